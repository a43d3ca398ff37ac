"""Build into a staging folder and swap it in only when the whole build succeeded.

Pelican deletes and rewrites the output folder in place, so a build that fails half-way
(bad content, a template error) leaves a broken site behind, and a web server pointed at
the folder serves it. With this plugin the site is written to a sibling folder
``<output>.staging`` and renamed over the output folder at the very end; on any failure
the previous site stays exactly as it was.

Once the new site is in place the named signal ``ratusha.output_swapped`` is sent (with
the Pelican object), for plugins that must record what is now on disk (``incremental``).

The site it replaced stays beside it as ``<output>.old`` (a rollback is two renames) until
the next build, which deletes it in a process of its own while it reads the content:
deleting tens of thousands of files is seconds of a rebuild that need not wait for it.

No settings. Runs for any build, including ``pelican`` on the command line.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from typing import Any

from pelican import signals

__all__ = ["output_swapped", "register"]

logger = logging.getLogger(__name__)
#: Sent after the new output has replaced the old one.
output_swapped = signals.signal("ratusha.output_swapped")
STAGING_SUFFIX = ".staging"
OLD_SUFFIX = ".old"
REMOVING_SUFFIX = ".removing"


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def redirect_output(pelican: Any) -> None:
    """Point Pelican at a fresh staging folder beside the real output folder."""
    final = getattr(pelican, "ratusha_final_output", None) or os.path.abspath(pelican.output_path)
    staging = final.rstrip(os.sep) + STAGING_SUFFIX
    _remove(staging)  # left over by a failed build
    os.makedirs(staging)
    _remove_in_background(final.rstrip(os.sep) + OLD_SUFFIX)
    pelican.ratusha_final_output = final
    pelican.output_path = staging
    pelican.settings["OUTPUT_PATH"] = staging
    # The site being replaced (if there is one yet): `incremental` reuses its unchanged pages.
    pelican.settings["RATUSHA_PREVIOUS_OUTPUT"] = final
    # The staging folder is new and empty; there is nothing to delete or retain.
    pelican.delete_outputdir = False


#: The process deleting a replaced site, if one was started (one at a time, across runs).
_cleanup: list[subprocess.Popen] = []
#: Deletes the folder named by its argument. A process of its own rather than a thread: a
#: thread deleting 75,000 files holds the GIL between every two of them and slowed the
#: build's own work by about as much time as the deletion took.
_REMOVER = "import shutil, sys; shutil.rmtree(sys.argv[1])"


def _wait_for_cleanup() -> None:
    """Wait until the replaced site is deleted (a failed run, under autoreload, may leave one going)."""
    while _cleanup:
        process = _cleanup.pop()
        if process.wait() != 0:  # the next build tries again
            logger.warning("[atomic_output] cannot delete %s (see the error above)", process.args[-1])


def _remove_in_background(old: str) -> None:
    """Start deleting the site the last build replaced, if there is one."""
    _wait_for_cleanup()
    if not os.path.lexists(old):
        return
    removing = old + REMOVING_SUFFIX
    _remove(removing)  # left over by a run that was killed
    os.rename(old, removing)
    _cleanup.append(subprocess.Popen([sys.executable, "-c", _REMOVER, removing]))


def swap_in(pelican: Any) -> None:
    """Replace the output folder with the finished staging folder; keep the old one aside."""
    final = getattr(pelican, "ratusha_final_output", None)
    if final is None:
        return
    _wait_for_cleanup()
    staging = pelican.output_path
    old = final.rstrip(os.sep) + OLD_SUFFIX
    _remove(old)  # only there if something else put it back
    if os.path.lexists(final):
        os.rename(final, old)
    os.rename(staging, final)
    pelican.output_path = final
    pelican.settings["OUTPUT_PATH"] = final
    logger.debug("[atomic_output] %s replaced by the new build", final)
    output_swapped.send(pelican)


def register() -> None:
    """Redirect the output at the start of each run and swap it in at the end."""
    # get_generators rather than initialized: it fires at the start of every run(),
    # also for each rebuild of `pelican --autoreload`, and before Pelican creates the
    # generators and the writer that take the output path.
    signals.get_generators.connect(redirect_output)
    signals.finalized.connect(swap_in)
