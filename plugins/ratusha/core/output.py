"""Build into a staging folder and swap it in only when the whole build succeeded.

Pelican deletes and rewrites the output folder in place, so a build that fails half-way
(bad content, a template error) leaves a broken site behind, and a web server pointed at
the folder serves it. Ratusha writes the site to a sibling folder ``<output>.staging``
and renames it over the output folder as the last step of the finish pipeline
(:mod:`.pipeline`); on any failure the previous site stays exactly as it was.

The site it replaced stays beside it as ``<output>.old`` (a rollback is two renames) until
the next build, which deletes it in a process of its own while it reads the content:
deleting tens of thousands of files is seconds of a rebuild that need not wait for it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys

__all__ = ["STAGING_SUFFIX", "Staging"]

logger = logging.getLogger(__name__)
STAGING_SUFFIX = ".staging"
OLD_SUFFIX = ".old"
REMOVING_SUFFIX = ".removing"
#: Deletes the folder named by its argument. A process of its own rather than a thread: a
#: thread deleting 75,000 files holds the GIL between every two of them and slowed the
#: build's own work by about as much time as the deletion took.
_REMOVER = "import shutil, sys; shutil.rmtree(sys.argv[1])"


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


class Staging:
    """The folders of one site: the published output, the staging folder, the old site.

    One per output folder for the life of the process (``pelican --autoreload`` and
    ``invoke preview`` build many times in one process), so that the deletion of the site
    replaced by one build is waited for by the next.
    """

    def __init__(self, final: str) -> None:
        self.final = os.path.abspath(final).rstrip(os.sep)
        self.staging = self.final + STAGING_SUFFIX
        self.old = self.final + OLD_SUFFIX
        self._cleanup: subprocess.Popen | None = None

    def prepare(self) -> str | None:
        """Make a fresh staging folder; return the site it will replace, if there is one yet."""
        _remove(self.staging)  # left over by a failed build
        os.makedirs(self.staging)
        self._remove_old_in_background()
        return self.final if os.path.isdir(self.final) else None

    def _wait_for_cleanup(self) -> None:
        """Wait until the replaced site is deleted (a failed run, under autoreload, may leave one going)."""
        process, self._cleanup = self._cleanup, None
        if process is not None and process.wait() != 0:  # the next build tries again
            logger.warning("[output] cannot delete %s (see the error above)", process.args[-1])

    def _remove_old_in_background(self) -> None:
        """Start deleting the site the last build replaced, if there is one."""
        self._wait_for_cleanup()
        if not os.path.lexists(self.old):
            return
        removing = self.old + REMOVING_SUFFIX
        _remove(removing)  # left over by a run that was killed
        os.rename(self.old, removing)
        self._cleanup = subprocess.Popen([sys.executable, "-c", _REMOVER, removing])

    def swap(self) -> None:
        """Replace the output folder with the finished staging folder; keep the old one aside."""
        self._wait_for_cleanup()
        _remove(self.old)  # only there if something else put it back
        if os.path.lexists(self.final):
            os.rename(self.final, self.old)
        os.rename(self.staging, self.final)
        logger.debug("[output] %s replaced by the new build", self.final)
