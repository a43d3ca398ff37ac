"""Site search with Pagefind, indexed as part of every build.

Pagefind indexes the built HTML into static files under ``/pagefind/`` that the browser
queries itself: no server, no external requests, and Russian word forms are matched
(its Russian stemmer is chosen from ``<html lang="ru">``). Only item and static pages are
indexed (their <article data-pagefind-body>); lists and the home page are not, so results
are never duplicated. Filters "Раздел" and "Подразделение" come from hidden elements in
each page (theme component ``search_meta``).

Settings:
    RATUSHA_SEARCH: build the index (default True).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Any

from pelican import signals

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


def index_site(pelican: Any) -> None:
    """Index the finished site (still in its staging folder)."""
    if not pelican.settings.get("RATUSHA_SEARCH", True):
        return
    build_index(pelican.output_path)


def register() -> None:
    """Index after every other plugin has written its files, before the output is swapped in."""
    signals.finalized.connect(index_site)
