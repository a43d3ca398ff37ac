"""Site search: an index built with the site that the browser queries itself.

Every item page the theme marks with ``data-search-body`` (see ``pages``) is indexed into
static files under ``/search-index/`` (see ``index``); the search page's script
(``theme/static/js/search.js``) stems the query as this plugin stems the pages (Snowball's
Russian stemmer, so "ремонтов" finds "ремонт"), fetches one bucket per word and the
fragments of the results it shows. No server, no request to another host.

We used Pagefind before. It has no incremental mode and holds the whole index in memory:
at 50,000 items it took 8 GB and 80 s on every rebuild, whatever changed. This index is
patched instead: a page whose fingerprint (``incremental``) is unchanged keeps its
postings, and only the buckets holding the terms of changed or removed pages are
rewritten. What was indexed is kept in ``<CACHE_PATH>/search/`` and saved once the new
output is in place (``atomic_output``'s signal); without it, or when the previous index
cannot be patched (a new filter value, a different number of buckets), the index is built
from every page.

Settings:
    RATUSHA_SEARCH: build the index (default True).
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

from pelican import signals

from incremental import for_build as incremental_build

from .index import FOLDER, Document, Index, Recorded, document
from .pages import extract

__all__ = ["FOLDER", "SearchIndexError", "register"]

logger = logging.getLogger(__name__)
LOG_PREFIX = "[search]"


class SearchIndexError(RuntimeError):
    """A page could not be indexed; the build stops so that a site is never published without search."""


#: The state to keep once this build's output is in place: (file, state).
_pending: dict[str, tuple[Path, dict]] = {}


def _load(path: Path) -> dict | None:
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def build_index(generator: Any) -> None:
    """Index the item pages, which ``content_model`` has just written (or reused)."""
    _pending.clear()
    if not generator.settings.get("RATUSHA_SEARCH", True):
        return
    started = time.perf_counter()
    output = generator.output_path
    reuse = incremental_build(generator.settings, generator.context)
    state_file = reuse.cache_file("search", ".pickle") if reuse is not None else None
    state = _load(state_file) if state_file is not None else None
    index = Index(output, reuse.previous if reuse is not None else None, state)
    items = {item.save_as: item for items in generator.published.values() for item in items if item.save_as}
    fingerprints = {name: (reuse.page(item) if reuse is not None else "") for name, item in items.items()}

    def read(save_as: str) -> Document | None:
        path = os.path.join(output, save_as)
        try:
            with open(path, encoding="utf-8") as file:
                page = extract(file.read())
        except (OSError, UnicodeDecodeError) as error:
            raise SearchIndexError(f"{LOG_PREFIX} cannot index {path}: {error}") from error
        if page is None:
            return None
        return document(save_as, items[save_as].url, fingerprints[save_as], page)

    documents: list[Document | Recorded] = []
    names: list[str] = []
    for name in sorted(items):
        found = index.recorded(name, fingerprints[name]) or read(name)
        if found is not None:
            documents.append(found)
            names.append(name)
    try:
        new_state = index.write(documents, names, read)  # type: ignore[arg-type]
    except (OSError, ValueError, AttributeError, IndexError, KeyError, TypeError) as error:
        if index.state is None:
            raise SearchIndexError(f"{LOG_PREFIX} cannot write the index: {error}") from error
        # The previous index is not what the state says (a file deleted or changed by hand).
        logger.warning("%s the previous index cannot be patched (%s); indexing every page", LOG_PREFIX, error)
        shutil.rmtree(os.path.join(output, FOLDER), ignore_errors=True)
        index = Index(output, None, None)
        new_state = index.write(documents, names, read)  # type: ignore[arg-type]
    if state_file is not None:
        _pending["build"] = (state_file, new_state)
    logger.info(
        "%s %d pages in the index, %d files written in %.1f s",
        LOG_PREFIX,
        len(documents),
        index.written,
        time.perf_counter() - started,
    )


def save_state(pelican: Any) -> None:
    """Keep what was indexed, now that the index is the one on disk."""
    pending = _pending.pop("build", None)
    if pending is None:
        return
    path, state = pending
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as file:
        pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def forget(pelican: Any) -> None:
    """Drop the state of a run that failed (autoreload runs many builds in one process)."""
    _pending.clear()


def register() -> None:
    """Index once the item pages are written; keep the state once the output is swapped in."""
    signals.get_generators.connect(forget)
    signals.signal("ratusha.items_written").connect(build_index)
    signals.signal("ratusha.output_swapped").connect(save_state)
