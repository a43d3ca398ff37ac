"""Site search with Pagefind, indexed as part of every build.

Pagefind indexes the built HTML into static files under ``/pagefind/`` that the browser
queries itself: no server, no external requests, and Russian word forms are matched
(its Russian stemmer is chosen from ``<html lang="ru">``). Only item and static pages are
indexed (their <article data-pagefind-body>); lists and the home page are not, so results
are never duplicated. Filters "Раздел" and "Подразделение" come from hidden elements in
each page (theme component ``search_meta``).

Pagefind has no incremental mode and is a large part of a big site's build, so it starts
as soon as ``content_model`` has written the item pages (its signal
``ratusha.items_written``) and runs beside the list pages, feeds and the rest; the build
waits for it at the end, before precompression and the swap. Pages written meanwhile have
no ``data-pagefind-body`` and are not indexed, complete or not. When ``incremental`` reused
every item page and the set of pages is the same as last time, the previous index is
linked in instead: it is made of those pages alone.

Settings:
    RATUSHA_SEARCH: build the index (default True).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from typing import Any

from pelican import signals

from incremental import for_build as incremental_build

__all__ = ["SearchIndexError", "build_index", "register"]

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    """Pagefind failed; the build stops so that a site is never published without search."""


def build_index(site: str) -> None:
    """Run Pagefind over the built site folder ``site``."""
    command = [sys.executable, "-m", "pagefind", "--site", site, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"[search] pagefind failed ({result.returncode}): {result.stderr or result.stdout}")


class Indexing(threading.Thread):
    """Pagefind over one build's output, in the background."""

    def __init__(self, site: str) -> None:
        super().__init__(name="pagefind", daemon=True)
        self.site = site
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            build_index(self.site)
        except Exception as error:  # re-raised in the build's thread by finish()
            self.error = error

    def finish(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error


_running: dict[str, Indexing | None] = {}
INDEX_FOLDER = "pagefind"


def forget(pelican: Any) -> None:
    """Wait for an indexing left by a failed run (autoreload) before a new run starts."""
    leftover = _running.pop("build", None)
    if leftover is not None:
        leftover.join()
    _running.clear()


def start_index(generator: Any) -> None:
    """Start Pagefind once every item page is in the output (or reuse the last index)."""
    if not generator.settings.get("RATUSHA_SEARCH", True) or "build" in _running:
        return
    # The index is made of the item pages alone: if none changed, it is the previous one.
    reuse = incremental_build(generator.settings, generator.context)
    if reuse is not None and reuse.all_pages_reused() and reuse.reuse_folder(INDEX_FOLDER, generator.output_path):
        _running["build"] = None
        return
    _running["build"] = Indexing(generator.output_path)
    _running["build"].start()


def index_site(pelican: Any) -> None:
    """Wait for the index (or build it now), before precompression and the swap."""
    if "build" not in _running:
        if pelican.settings.get("RATUSHA_SEARCH", True):
            build_index(pelican.output_path)
        return
    indexing = _running.pop("build")
    if indexing is not None:  # None: the previous index was taken
        indexing.finish()


def register() -> None:
    """Index beside the other generators; finish before the output is swapped in."""
    signals.get_generators.connect(forget)
    signals.signal("ratusha.items_written").connect(start_index)
    signals.finalized.connect(index_site)
