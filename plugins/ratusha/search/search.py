"""Site search: an index built with the site that the browser queries itself.

Every item page the theme marks with ``data-search-body`` (see ``pages``) is indexed into
static files under ``/search-index/`` (see ``index``); the search page's script
(``theme/static/js/search.js``) stems the query as this plugin stems the pages (Snowball's
Russian stemmer, so "ремонтов" finds "ремонт": PyStemmer here, the npm package that
``stemmer`` ships with the site in the browser), fetches one bucket per word and the
fragments of the results it shows. No server, no request to another host.

We used Pagefind before. It has no incremental mode and holds the whole index in memory:
at 50,000 items it took 8 GB and 80 s on every rebuild, whatever changed. This index is
patched instead: a page whose fingerprint (``ratusha.core.fingerprints``) is unchanged
keeps its postings, and only the buckets holding the terms of changed or removed pages are
rewritten; the rest of the index stays where it is in the published folder (the build keeps
it, as it keeps unchanged pages), so an edit writes and publishes a few files, not the index.
What was indexed is kept in ``<CACHE_PATH>/search/`` and saved once the new
output is in place (the finish step ``search-state``); without fingerprints, or when the
previous index cannot be patched (a new filter value, a different number of buckets), the
index is built from every page.

The indexing runs in a process of its own (``indexing``), started as soon as
``content_model`` has written the item pages (its signal ``ratusha.items_written``), so
that the list pages, feeds and the rest are written meanwhile on the other core; the
finish step ``search`` waits for it, before precompression and the swap, and the build
stops if it failed.

Settings: ``DEFAULTS`` below.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pelican import signals

from ratusha.core.build import Build
from ratusha.core.files import link_with_copies
from ratusha.core.pipeline import add_step
from ratusha.core.settings import Setting

from . import stemmer
from .index import CHUNK, FOLDER

__all__ = ["DEFAULTS", "FOLDER", "SearchIndexError", "register"]

logger = logging.getLogger(__name__)
LOG_PREFIX = "[search]"


class SearchIndexError(RuntimeError):
    """The index could not be built; the build stops so that a site is never published without search."""


class Indexing:
    """One run of ``search.indexing`` over a build's output."""

    def __init__(self, job: dict, state_file: Path | None) -> None:
        self.folder = tempfile.mkdtemp(prefix="ratusha-search-")
        self.state_file = state_file
        job["result"] = str(self.result) if self.result is not None else None
        job["unchanged"] = os.path.join(self.folder, "unchanged.txt")
        job_file = os.path.join(self.folder, "job.json")
        with open(job_file, "w", encoding="utf-8") as file:
            json.dump(job, file, ensure_ascii=False)
        self.log = open(os.path.join(self.folder, "log"), "w+", encoding="utf-8")  # noqa: SIM115 - closed in finish()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ratusha.search.indexing", job_file],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        atexit.register(self.stop)  # a build that fails or is interrupted leaves no indexing behind

    @property
    def result(self) -> Path | None:
        """Where the indexing writes the new state (kept once the output is swapped in)."""
        return self.state_file.with_suffix(".new") if self.state_file is not None else None

    def finish(self) -> list[str]:
        """Wait for the index; return the previous index's files it has unchanged.

        Raises SearchIndexError if it failed.
        """
        code = self.process.wait()
        self.log.seek(0)
        said = self.log.read().strip()
        unchanged: list[str] = []
        if code == 0:
            with open(os.path.join(self.folder, "unchanged.txt"), encoding="utf-8") as file:
                unchanged = file.read().split()
        self.stop()
        if code != 0:
            raise SearchIndexError(f"{LOG_PREFIX} the index could not be built ({code}):\n{said[-3000:]}")
        logger.info("%s %s", LOG_PREFIX, said)
        return unchanged

    def stop(self) -> None:
        """End the run (killed if a failed build left it going) and remove its files."""
        atexit.unregister(self.stop)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


PLUGIN = "ratusha.search"
DEFAULTS = {
    "RATUSHA_SEARCH": Setting(True, "build the search index"),
    "RATUSHA_SEARCH_CHUNK": Setting(
        CHUNK, "postings in one chunk file of a common word (a one-word query downloads its first chunk)"
    ),
}


def _stemmer(build: Build) -> tuple[str, bytes]:
    """Return the browser's stemmer as this build ships it (path, bytes): read once a run."""
    state = build.state(PLUGIN)
    if "stemmer" not in state:
        state["stemmer"] = stemmer.shipped()
    return state["stemmer"]


def add_stemmer(generator: Any) -> None:
    """Give templates ``search_stemmer``: the address of the browser's stemmer ('' without search)."""
    build = Build.at_generator_init(generator)
    if build is None:
        return
    url = ""
    if generator.settings["RATUSHA_SEARCH"]:
        url = f"{generator.settings.get('SITEURL', '')}/{_stemmer(build)[0]}"
    generator.env.globals["search_stemmer"] = url


def start_index(generator: Any) -> None:
    """Start indexing the item pages, which ``content_model`` has just written (or reused)."""
    if not generator.settings["RATUSHA_SEARCH"]:
        return
    build = Build.of(generator.context)
    stemmer.write(build.output, *_stemmer(build))
    reuse = build.fingerprints
    items = sorted(
        (item.save_as, item)
        for items in generator.published.values()
        for item in items
        if item.save_as and not getattr(item, "withdrawn", None)  # a withdrawn item leaves search with the lists
    )
    job = {
        "output": build.output,
        "previous": build.previous if reuse is not None else None,
        "state": None,
        "chunk": int(generator.settings.get("RATUSHA_SEARCH_CHUNK", CHUNK)),
        "pages": [[name, item.url, reuse.page(item) if reuse is not None else ""] for name, item in items],
    }
    state_file = build.cache_file("search", ".pickle") if reuse is not None else None
    if state_file is not None:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        job["state"] = str(state_file)
    indexing = Indexing(job, state_file)
    build.state(PLUGIN)["indexing"] = indexing
    build.at_end(indexing.stop)  # a run that fails leaves no indexing behind


def finish_index(build: Build) -> None:
    """Wait for the index, before precompression and the swap (a finish step)."""
    indexing = build.state(PLUGIN).get("indexing")
    if indexing is None:
        return
    for relative in indexing.finish():
        # Kept in the published folder with its copies; linked only if that folder cannot keep it.
        if not build.keep(relative) and build.previous is not None:
            target = os.path.join(build.output, relative)
            if not os.path.exists(target):
                link_with_copies(os.path.join(build.previous, relative), target)


def save_state(build: Build) -> None:
    """Keep the state of the index, now that it is the one on disk (after the swap)."""
    indexing = build.state(PLUGIN).get("indexing")
    if indexing is not None and indexing.state_file is not None:
        os.replace(indexing.result, indexing.state_file)  # type: ignore[arg-type]


def register() -> None:
    """Ship the browser's stemmer, index beside the rest of the build, keep the state after the swap."""
    signals.generator_init.connect(add_stemmer)
    signals.signal("ratusha.items_written").connect(start_index)
    add_step("search", finish_index, PLUGIN)
    add_step("search-state", save_state, PLUGIN)
