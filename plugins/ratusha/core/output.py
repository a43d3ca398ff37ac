"""Build into a staging folder and publish it only when the whole build succeeded.

Pelican deletes and rewrites the output folder in place, so a build that fails half-way
(bad content, a template error) leaves a broken site behind, and a web server pointed at
the folder serves it. Ratusha writes into a sibling folder ``<output>.staging`` and
publishes it as the last step of the finish pipeline (:mod:`.pipeline`); on any failure
the published site stays exactly as it was.

A build publishes in one of two ways:

* **whole**: when it kept nothing of the published site (the first build, a theme or code
  change, no record of the site's files), the staging folder holds the whole site and is
  renamed over the output folder. The replaced site stays beside it as ``<output>.old``:
  a rollback is two renames.
* **applied**: a rebuild writes only the files that changed into the staging folder; the
  unchanged ones (pages whose fingerprint is the one recorded, :mod:`.fingerprints`) stay
  where they are. Publishing moves each new file (and its .gz/.br) over the published one
  (``os.replace``, atomic per file), then takes away the files the new site no longer has,
  found from the **manifest** of the site's files kept in the cache. Every replaced or
  removed file is moved, not deleted, into ``<output>.old`` at its own path, with
  ``.ratusha-added`` listing the files the build added: :func:`rollback` puts the
  previous site back. Work proportional to what changed, not to the site.

An apply is guarded by a journal (``<output>.journal``, written before the first file
moves, deleted after the last): a build killed during the apply is completed by the next
run before anything else, so the published folder is never left half-way for longer than
until the next build starts. Each step of the apply can be repeated (a file already moved
is skipped), so a repair killed in turn is repaired again.

The next build deletes ``<output>.old`` in a process of its own while it reads the
content; so is whatever the staging folder still holds after an apply.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["ADDED_FILE", "STAGING_SUFFIX", "Staging", "rollback"]

logger = logging.getLogger(__name__)
STAGING_SUFFIX = ".staging"
OLD_SUFFIX = ".old"
REMOVING_SUFFIX = ".removing"
JOURNAL_SUFFIX = ".journal"
#: Beside the output after a rollback: the manifest and the fingerprints describe another
#: site, so the next build renders and publishes everything (and removes the mark).
ROLLED_BACK_SUFFIX = ".rolled-back"
#: In ``<output>.old`` after an apply: the files the build added (a rollback deletes them).
ADDED_FILE = ".ratusha-added"
#: The precompressed copies that travel with a file (as in :mod:`.files`).
_COPIES = (".gz", ".br")
#: Deletes the folder named by its argument. A process of its own rather than a thread: a
#: thread deleting 75,000 files holds the GIL between every two of them and slowed the
#: build's own work by about as much time as the deletion took.
_REMOVER = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
#: Called with the number of files moved so far during an apply (tests kill the build there).
Fault = Callable[[int], None]


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def _files(folder: str) -> list[str]:
    """Every file under ``folder``, as a relative path with '/' (os.scandir: no stat per file)."""
    found: list[str] = []
    stack = [("", folder)]
    while stack:
        prefix, path = stack.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((relative + "/", entry.path))
                else:
                    found.append(relative)
    return found


def _write_atomically(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def _move(source: str, target: str, folders: set[str]) -> None:
    """Rename ``source`` to ``target``, making the target's folder once."""
    folder = os.path.dirname(target)
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    os.replace(source, target)


class Staging:
    """The folders of one site: the published output, the staging folder, the old site.

    One per output folder for the life of the process (``pelican --autoreload`` and
    ``invoke preview`` build many times in one process), so that the deletion of the site
    replaced by one build is waited for by the next. ``manifest`` is where the list of the
    published site's files is kept (in the cache); without it every build is published whole.
    """

    #: Called after each file an apply moves in (tests kill the build there); None in builds.
    fault: Fault | None = None

    def __init__(self, final: str, manifest: str | os.PathLike[str] | None = None) -> None:
        self.final = os.path.abspath(final).rstrip(os.sep)
        self.staging = self.final + STAGING_SUFFIX
        self.old = self.final + OLD_SUFFIX
        self.journal = self.final + JOURNAL_SUFFIX
        self.manifest = os.fspath(manifest) if manifest is not None else None
        #: The published site's files (relative, '/'), when known: a rebuild may keep them.
        self.published: frozenset[str] | None = None
        self._cleanup: list[subprocess.Popen] = []

    def prepare(self) -> str | None:
        """Make a fresh staging folder; return the site it will replace, if there is one yet.

        An apply that a killed build left half-done is finished first.
        """
        self._wait_for_cleanup()
        self.repair()
        _remove(self.staging)  # left over by a failed build
        os.makedirs(self.staging)
        self._remove_in_background(self.old)
        rolled_back = os.path.exists(self.final + ROLLED_BACK_SUFFIX)
        self.published = self._load_manifest() if os.path.isdir(self.final) and not rolled_back else None
        return self.final if os.path.isdir(self.final) else None

    def _load_manifest(self) -> frozenset[str] | None:
        if self.manifest is None:
            return None
        try:
            with open(self.manifest, encoding="utf-8") as handle:
                return frozenset(handle.read().splitlines())
        except OSError:
            return None

    def _wait_for_cleanup(self) -> None:
        """Wait until the folders given away are deleted (a failed run may leave one going)."""
        processes, self._cleanup = self._cleanup, []
        for process in processes:
            if process.wait() != 0:  # the next build tries again
                logger.warning("[output] cannot delete %s (see the error above)", process.args[-1])

    def _remove_in_background(self, folder: str) -> None:
        """Start deleting ``folder`` (renamed aside first, so the name is free at once)."""
        if not os.path.lexists(folder):
            return
        removing = folder + REMOVING_SUFFIX
        _remove(removing)  # left over by a run that was killed
        os.rename(folder, removing)
        self._cleanup.append(subprocess.Popen([sys.executable, "-c", _REMOVER, removing]))

    def publish(self, kept: Iterable[str] = ()) -> None:
        """Publish the finished staging folder; ``kept``: published files this build did not rewrite.

        A file of ``kept`` stays with its .gz/.br copies. With nothing kept, or no manifest
        of the published site, the staging folder replaces the output whole.
        """
        staged = _files(self.staging)
        if self.published is None or not os.path.isdir(self.final):
            self.swap(staged)
            return
        written = set(staged)
        site = set(written)
        for relative in kept:
            if relative in written or relative not in self.published:
                continue
            site.add(relative)
            site.update(c for suffix in _COPIES if (c := relative + suffix) in self.published)
        if len(site) == len(written):  # nothing kept: nothing to gain from an apply
            self.swap(staged)
            return
        gone = sorted(self.published - site)
        added = sorted(written - self.published)
        _write_atomically(self.manifest + ".next", "\n".join(sorted(site)))
        journal = {"manifest": self.manifest, "replace": sorted(written), "delete": gone, "added": added}
        # The site replaced before was renamed aside by prepare() and is deleted meanwhile
        # under another name: an edit need not wait for tens of thousands of unlinks.
        _remove(self.old)  # only there if something else put it back
        _write_atomically(self.journal, json.dumps(journal, ensure_ascii=False))
        self._apply(journal)
        logger.debug("[output] %s: %d files replaced, %d removed", self.final, len(written), len(gone))

    def repair(self) -> bool:
        """Finish an apply that a killed build left half-done; say whether there was one."""
        try:
            with open(self.journal, encoding="utf-8") as handle:
                journal = json.load(handle)
        except FileNotFoundError:
            return False
        except ValueError:  # never: the journal is renamed into place whole
            logger.warning("[output] %s is damaged; the next build publishes whole", self.journal)
            os.remove(self.journal)
            self._forget_manifest()
            return False
        logger.warning("[output] finishing the publication a killed build left half-done in %s", self.final)
        self._apply(journal)
        return True

    def _forget_manifest(self) -> None:
        """Forget the manifest, which no longer describes the folder: the next build publishes whole."""
        if self.manifest is not None:
            for path in (self.manifest, self.manifest + ".next"):
                Path(path).unlink(missing_ok=True)

    def _apply(self, journal: dict) -> None:
        """Move the new files in and the replaced ones aside; every step may be done again."""
        fault = type(self).fault  # a plain function, not a method
        made_final: set[str] = set()
        made_old: set[str] = set()
        moved = 0
        for relative in journal["replace"]:
            source = os.path.join(self.staging, relative)
            if not os.path.lexists(source):  # moved in by the run that was killed
                continue
            target = os.path.join(self.final, relative)
            if os.path.lexists(target):  # kept aside for a rollback
                _move(target, os.path.join(self.old, relative), made_old)
            _move(source, target, made_final)
            moved += 1
            if fault is not None:
                fault(moved)
        folders: set[str] = set()
        for relative in journal["delete"]:
            target = os.path.join(self.final, relative)
            if os.path.lexists(target):
                _move(target, os.path.join(self.old, relative), made_old)
                folders.add(os.path.dirname(target))
        for folder in sorted(folders, key=len, reverse=True):  # a deleted item's folder goes too
            while folder != self.final and folder.startswith(self.final + os.sep):
                try:
                    os.rmdir(folder)
                except OSError:  # not empty, or already gone
                    break
                folder = os.path.dirname(folder)
        os.makedirs(self.old, exist_ok=True)
        _write_atomically(os.path.join(self.old, ADDED_FILE), "\n".join(journal["added"]))
        manifest = journal["manifest"]
        if os.path.exists(manifest + ".next"):
            os.replace(manifest + ".next", manifest)
        os.remove(self.journal)
        self._remove_in_background(self.staging)  # what is left: folders, links to kept files

    def swap(self, staged: list[str] | None = None) -> None:
        """Replace the output folder with the finished staging folder; keep the old one aside."""
        self._wait_for_cleanup()
        _remove(self.old)  # only there if something else put it back
        if self.manifest is not None:  # the new manifest goes in before the folder it describes
            Path(self.manifest).unlink(missing_ok=True)
        if os.path.lexists(self.final):
            os.rename(self.final, self.old)
        os.rename(self.staging, self.final)
        Path(self.final + ROLLED_BACK_SUFFIX).unlink(missing_ok=True)
        if self.manifest is not None:
            files = _files(self.final) if staged is None else staged
            _write_atomically(self.manifest, "\n".join(sorted(files)))
        logger.debug("[output] %s replaced by the new build", self.final)


def rollback(final: str) -> None:
    """Put back the site the last build replaced (``<output>.old``), whole or applied.

    After a whole swap the old folder is the previous site: two renames. After an apply it
    holds the replaced and removed files at their paths: they go back, and the files the
    build added are deleted. The manifest is out of date afterwards, so the next build of
    the site publishes whole.
    """
    final = os.path.abspath(final).rstrip(os.sep)
    old = final + OLD_SUFFIX
    Path(final + ROLLED_BACK_SUFFIX).write_text("the published site is not the one the cache describes\n")
    added_file = os.path.join(old, ADDED_FILE)
    if not os.path.exists(added_file):
        rejected = final + ".rejected"
        _remove(rejected)
        os.rename(final, rejected)
        os.rename(old, final)
        shutil.rmtree(rejected)
        return
    with open(added_file, encoding="utf-8") as handle:
        added = [line for line in handle.read().splitlines() if line]
    os.remove(added_file)
    for relative in added:
        Path(final, relative).unlink(missing_ok=True)
    made: set[str] = set()
    for relative in _files(old):
        _move(os.path.join(old, relative), os.path.join(final, relative), made)
    shutil.rmtree(old)
