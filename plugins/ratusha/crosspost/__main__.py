"""`python -m ratusha.crosspost` is the same as `ratusha-crosspost`."""

from ratusha.crosspost.cli import main

raise SystemExit(main())
