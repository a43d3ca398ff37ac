"""The command as the crash tests run it in a child process: the real CLI with the ledger's posters.

Run as a script (``python tests/crosspost/crosspost_child.py --config …``): Python puts this
folder first on the module path, so the test helpers import without any path editing.
crosspost_doubles.POSTERS are the real posters with the contract's methods filled in where
the net branch has not written them yet.
"""

import sys

from crosspost_doubles import POSTERS

from ratusha.crosspost import cli

cli.POSTERS.update(POSTERS)
raise SystemExit(cli.main(sys.argv[1:]))
