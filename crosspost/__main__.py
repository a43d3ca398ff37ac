"""`python -m crosspost` is the same as `ratusha-crosspost`."""

from crosspost.cli import main

raise SystemExit(main())
