"""``python -m ratusha.preview --content C --output O --port P [--cache DIR]``."""

from .cli import main

raise SystemExit(main())
