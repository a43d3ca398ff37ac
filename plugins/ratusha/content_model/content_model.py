"""Ratusha's content model: typed folders read, checked and published as one catalogue.

The folder gives the type (``content/news/`` → news, ``content/acts/`` → legal acts …);
each type's fields are declared in :mod:`.schema` and checked in :mod:`.checks`. Any error
in any file stops the build before a single file is written, with every message at once.
Drafts (``status: draft``) and items dated in the future are read and checked but not
published.

Context filled for templates and other plugins: ``news``, ``legal_acts``,
``announcements``, ``answers``, ``departments``, ``static_pages`` (published, newest
first; departments and pages by ``order`` then title), ``departments_by_slug``,
``acts_by_key``, ``footer_pages`` (pages with an ``order``, shown on every page),
``withdrawn_items`` (items with ``withdrawn:``: their pages are written with a notice, but
they are in none of the lists above; feeds announce them), and ``ratusha_scheduled`` /
``ratusha_drafts``.

Signal ``ratusha.items_written`` is sent once every item page is written.

On a large site the files are read and the item pages written in forked worker
processes (``ratusha.core.workers``), one per core; the output is the same byte for byte.

Settings: ``DEFAULTS`` below (the workers); :mod:`.settings` (``*_URL``/``*_SAVE_AS`` per type).
"""

from __future__ import annotations

import functools
import logging
import os
import traceback
from collections.abc import Callable
from typing import Any

from pelican import signals
from pelican.generators import CachingGenerator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from ratusha.core import workers
from ratusha.core.build import Build, build_time
from ratusha.core.data import display_path
from ratusha.core.errors import BuildStopped, ContentError
from ratusha.core.fingerprints import Fingerprints
from ratusha.core.settings import Setting

from . import webeditor
from .checks import ItemChecker, check_catalog, check_dates
from .coverage import check_coverage
from .schema import CONTENT_TYPES, ContentType
from .settings import apply_defaults
from .webeditor import REVIEW

__all__ = ["DEFAULTS", "ContentModelGenerator", "register"]

logger = logging.getLogger(__name__)
LOG_PREFIX = "[content_model]"

#: Sent once every item page is written (``search`` starts indexing then).
items_written = signals.signal("ratusha.items_written")

DEFAULTS = {
    "RATUSHA_WORKERS": Setting(
        None,
        "processes that read the files and write the item pages (forked: Pelican has no parallel "
        "mode); None: one per core, 1: all in the build's own process",
    ),
    "RATUSHA_WORKERS_MIN": Setting(
        300,
        "fewer files to read (or item pages to write) than this are done in the build's own "
        "process: a fork costs more than it saves",
    ),
    "RATUSHA_SHOW_REVIEW": Setting(
        False,
        "publish the items with `status: review`, each marked «На проверке» (the reviewers' preview build, "
        "`invoke review`); off: they wait, as drafts do",
    ),
    **webeditor.DEFAULTS,
}
#: Files a worker reads before it sends them back (one pickle each).
READ_BATCH = 50
_PLAIN = frozenset({str, int, float, bool, type(None), bytes})


def _sort_key_ordered(item: Any) -> tuple[float, str]:
    return (getattr(item, "order", None) or 0, item.title)


class ContentModelGenerator(CachingGenerator):
    """Read every typed folder, check it, and publish what is ready."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Pelican hashes a file up to three times a build (CHECK_MODIFIED_METHOD = "md5", so
        # that a cache restored on a fresh clone is valid): once per build is enough.
        stamp = getattr(self, "_filestamp_func", None)
        if stamp is not None:
            self._filestamp_func = self.readers._filestamp_func = functools.lru_cache(maxsize=None)(stamp)
        self.items: list[Any] = []
        self.published: dict[str, list[Any]] = {}
        self.scheduled: list[Any] = []
        self.drafts: list[Any] = []

    def _read(self, ctype: ContentType, path: str, problems: list[ContentError]) -> Any:
        """Read and check one file; return the item, or None when it has errors."""
        cached = self.get_cached_data(path, None)
        item = self._load(ctype, path, problems) if cached is None else self._check(ctype, cached, problems)
        self._keep(path, item, cached is None)
        return item

    def _load(self, ctype: ContentType, path: str, problems: list[ContentError]) -> Any:
        """Read one file and check it; return the item, or None when it has errors.

        Changes nothing of the generator's (a worker process runs it, see ``_read_in_workers``).
        """
        try:
            item = self.readers.read_file(
                base_path=self.path,
                path=path,
                content_class=ctype.content_class,
                context=self.context,
            )
        except ContentError as exc:
            problems.append(exc)
            return None
        except Exception as exc:  # a reader or Markdown extension failed
            shown = display_path(os.path.join(self.path, path))
            problems.append(ContentError(shown, f"не удаётся прочитать файл / cannot read the file: {exc}"))
            logger.debug("%s %s", LOG_PREFIX, shown, exc_info=True)
            return None
        return self._check(ctype, item, problems)

    def _keep(self, path: str, item: Any, read: bool) -> None:
        """Record a file's outcome: failed, or (when it was read, not cached) cached for the next build."""
        if item is None:
            self._add_failed_source_path(path)
        elif read:
            self.cache_data(path, item)

    def _check(self, ctype: ContentType, item: Any, problems: list[ContentError]) -> Any:
        """Run the per-item checks; return the item, or None when it has errors."""
        found = ItemChecker(item, ctype, self.settings).run()
        problems.extend(found)
        if any(p.severity == "error" for p in found):
            return None
        return item

    def _workers(self, tasks: int) -> int:
        """Return how many processes to share ``tasks`` files or pages between (1: this one alone)."""
        wanted = self.settings["RATUSHA_WORKERS"]
        if wanted is None:
            wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        if not hasattr(os, "fork") or tasks < self.settings["RATUSHA_WORKERS_MIN"]:
            return 1
        return max(1, min(int(wanted), tasks))

    def _shared(self) -> workers.Shared:
        """Return what items may point to that the workers hold too: sent as references, never copied."""
        objects = {id(self.settings): self.settings, id(self.context): self.context}
        for values in (self.settings.values(), self.context.values()):
            for value in values:
                if type(value) not in _PLAIN:
                    objects.setdefault(id(value), value)
        return workers.Shared(objects.values())

    def _read_in_workers(self, files: list[tuple[ContentType, str]]) -> dict[str, tuple[Any, list[ContentError]]]:
        """Read the files not in Pelican's content cache in worker processes, in batches.

        Returns each file's item (None when it has errors) and problems; the reader's cache
        gets what the workers' readers cached. Nothing when the site is small or
        RATUSHA_WORKERS is 1: a fork costs more than it saves.
        """
        if self._workers(len(files)) < 2:  # serial as ever, without looking into the cache first
            return {}
        todo = [(ctype, path) for ctype, path in files if self._not_cached(path)]
        count = self._workers(len(todo))
        if count < 2:
            return {}
        batches = [todo[start : start + READ_BATCH] for start in range(0, len(todo), READ_BATCH)]

        def task(number: int) -> Callable[[workers.Emit], None]:
            def read(emit: workers.Emit) -> None:
                for batch in batches[number::count]:
                    done = []
                    for ctype, path in batch:
                        found: list[ContentError] = []
                        item = self._load(ctype, path, found)
                        done.append((path, item, found, self.readers.get_cached_data(self._source(path), None)))
                    emit(done)

            return read

        shared = self._shared()
        started = [workers.fork(number, task(number), shared) for number in range(count)]
        loaded = {}
        for _, done in workers.collect(started, shared):
            for path, item, found, cached in done:
                loaded[path] = (item, found)
                if cached is not None:
                    self.readers.cache_data(self._source(path), cached)
        logger.debug("%s %d files read by %d workers", LOG_PREFIX, len(todo), count)
        return loaded

    def _source(self, path: str) -> str:
        """Return the path Pelican's reader knows a file by (its cache's key)."""
        return os.path.abspath(os.path.join(self.path, path))

    def _not_cached(self, path: str) -> bool:
        """Say whether reading the file means parsing it (not in the generator's or the reader's cache)."""
        if self.get_cached_data(path, None) is not None:
            return False
        return self.readers.get_cached_data(self._source(path), (None, None))[0] is None

    def _unknown_folders(self, problems: list[ContentError]) -> None:
        """Markdown outside the typed folders would be silently ignored: say so."""
        folders = {ctype.folder for ctype in CONTENT_TYPES}
        for path in self.get_files([""], extensions=("md", "markdown")):
            top = path.replace(os.sep, "/").split("/")[0]
            if top not in folders:
                problems.append(
                    ContentError(
                        display_path(os.path.join(self.path, path)),
                        f"файл вне папок типов ({', '.join(sorted(folders))}) не будет опубликован / "
                        "a file outside the typed folders is not published",
                        severity="warning",
                    )
                )

    def check(self) -> list[ContentError]:
        """Read and check every typed folder; return all problems (errors and warnings).

        This is the whole of ``invoke check``, and the first half of every build, so the
        two can never disagree.
        """
        problems: list[ContentError] = []
        now = build_time(self.settings)
        self.items = []
        self.published = {ctype.name: [] for ctype in CONTENT_TYPES}
        self.scheduled, self.drafts = [], []
        # Files with errors still exist as far as references go: their stems are known
        # keys, so one broken act does not also break every act that amends it.
        failed: dict[str, set[str]] = {ctype.name: set() for ctype in CONTENT_TYPES}
        files = [
            (ctype, path)
            for ctype in CONTENT_TYPES
            for path in sorted(self.get_files([ctype.folder], extensions=("md", "markdown")))
        ]
        loaded = self._read_in_workers(files)
        for ctype, path in files:
            if path in loaded:  # read by a worker: its problems in their place, as if read here
                item, found = loaded.pop(path)
                problems += found
                self._keep(path, item, True)
            else:
                item = self._read(ctype, path, problems)
            if item is None:
                failed[ctype.name].add(os.path.splitext(os.path.basename(path))[0])
                continue
            self.items.append(item)
            if item.status == "draft" or (item.status == REVIEW and not self.settings["RATUSHA_SHOW_REVIEW"]):
                self.drafts.append(item)
            elif ctype.dated and item.date > now:
                self.scheduled.append(item)
            else:
                self.published[ctype.name].append(item)
        self._unknown_folders(problems)
        problems += check_catalog(self.items, failed)
        problems += check_dates(self.items, now)
        problems += check_coverage(self.published, self.settings)
        return problems

    def generate_context(self) -> None:
        """Read, check and sort all content; stop the build on any error."""
        problems = self.check()
        errors = [p for p in problems if p.severity == "error"]
        for warning in (p for p in problems if p.severity != "error"):
            logger.warning("%s", warning)
        if errors:
            raise BuildStopped(errors)

        published = self.published
        for ctype in CONTENT_TYPES:
            items = published[ctype.name]
            if ctype.dated:
                items.sort(key=lambda i: (i.date, i.source_path), reverse=True)
            else:
                items.sort(key=_sort_key_ordered)
            for item in items:
                self.add_source_path(item)
                self.add_static_links(item)
        withdrawn = []
        for name, section in self.settings["RATUSHA_SECTIONS"].items():
            self.context[section.context_key] = [i for i in published[name] if not getattr(i, "withdrawn", None)]
            withdrawn += [i for i in published[name] if getattr(i, "withdrawn", None)]
        self.context["withdrawn_items"] = withdrawn
        # The footer menu: only pages with an ``order`` (a large city has hundreds of pages).
        self.context["footer_pages"] = [p for p in published["page"] if getattr(p, "order", None) is not None]
        Build.of(self.context).every_page_shows("footer", self.context["footer_pages"])
        self.context["departments_by_slug"] = {d.slug: d for d in published["department"]}
        self.context["acts_by_key"] = {a.act_key: a for a in published["legal_act"]}
        self.context["ratusha_scheduled"] = self.scheduled
        self.context["ratusha_drafts"] = self.drafts
        if self.scheduled or self.drafts:
            logger.info("%s not published: %d scheduled, %d drafts", LOG_PREFIX, len(self.scheduled), len(self.drafts))
        self.save_cache()
        self.readers.save_cache()

    def generate_output(self, writer: Any) -> None:
        """Write one page per published item (unchanged ones are reused, see ``incremental``).

        On a large site the pages are shared between worker processes (``_write_in_workers``).
        """
        reuse = Build.of(self.context).fingerprints
        items = [item for items in self.published.values() for item in items]
        count = self._workers(len(items))
        if count > 1 and len({item.save_as for item in items}) == len(items):
            self._write_in_workers(writer, items, reuse, count)
        else:  # serial; also when two items claim one file, so Pelican's writer says so as ever
            for item in items:
                self._write(writer, item, reuse)
        items_written.send(self)
        if self.settings["RATUSHA_EDITOR_PUBLISH"]:
            webeditor.publish(self.settings, self.path, writer.output_path)

    def reread(self, path: str) -> tuple[Any, list[ContentError]]:
        """Read and check one file again, as the build would (the preview's fast path).

        Returns the fresh item (None when the file has errors or is not in a typed folder)
        and its problems. The catalogue is left as it is: checks across items (references,
        duplicate ids) are the next build's.
        """
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(self.path))
        top = relative.replace(os.sep, "/").split("/")[0]
        ctype = next((t for t in CONTENT_TYPES if t.folder == top), None)
        if ctype is None:
            return None, []
        self._cache.pop(relative, None)  # the item as read before the save
        forget = getattr(self._filestamp_func, "cache_clear", None)  # this build's hashes (see __init__)
        if forget is not None:
            forget()
        problems: list[ContentError] = []
        return self._read(ctype, relative, problems), problems

    def _page(self, item: Any) -> dict[str, Any]:
        """Return the arguments of ``writer.write_file`` for an item's page, less the template."""
        return {
            "name": item.save_as,
            "item": item,
            "page_name": os.path.splitext(item.save_as)[0],
            "relative_urls": self.settings["RELATIVE_URLS"],
            "override_output": hasattr(item, "override_save_as"),
            "url": item.url,
        }

    def _write(self, writer: Any, item: Any, reuse: Fingerprints | None) -> bool:
        """Write an item's page, or keep it if unchanged; return whether it was kept."""
        if reuse is not None and reuse.reuse(item, self.output_path):
            return True
        page = self._page(item)
        writer.write_file(page.pop("name"), self.get_template(item.template), self.context, **page)
        return False

    def _write_slice(
        self, writer: Any, items: list[Any], reuse: Fingerprints | None, number: int, count: int
    ) -> dict[str, Any]:
        """Write every ``count``-th page from the ``number``-th; stop at the first error, as serial would."""
        before = dict(reuse.current) if reuse is not None else {}
        reused = reuse.reused if reuse is not None else 0
        done: list[tuple[int, bool]] = []
        failure = None
        for index in range(number, len(items), count):
            try:
                done.append((index, self._write(writer, items[index], reuse)))
            except Exception as exc:  # raised by the parent, in the serial order
                failure = (index, workers.portable(exc), traceback.format_exc())
                break
        if reuse is None:
            return {"done": done, "failure": failure, "current": {}, "reused": 0}
        current = {key: value for key, value in reuse.current.items() if before.get(key) != value}
        return {"done": done, "failure": failure, "current": current, "reused": reuse.reused - reused}

    def _write_in_workers(self, writer: Any, items: list[Any], reuse: Fingerprints | None, count: int) -> None:
        """Write the item pages in ``count`` processes: this one and forked children.

        Forked once every generator has read its content, so each child renders from the
        whole context without it being pickled. A child sends back what the parent must know:
        the pages it wrote or kept (the parent tells ``content_written``'s listeners, the
        sitemap, as the writer would have), the fingerprints it computed and its count of
        reused pages. The first error in the serial order stops the build, as serially.
        """
        shared = self._shared()

        def task(number: int) -> Callable[[workers.Emit], None]:
            return lambda emit: emit(self._write_slice(writer, items, reuse, number, count))

        started = [workers.fork(number, task(number), shared) for number in range(1, count)]
        outcomes = [self._write_slice(writer, items, reuse, 0, count)]
        outcomes += [outcome for _, outcome in workers.collect(started, shared)]
        failures = sorted((o["failure"] for o in outcomes if o["failure"]), key=lambda f: f[0])
        if failures:
            index, error, where = failures[0]
            if index % count:  # a child's: its traceback is text
                error.add_note(f"{LOG_PREFIX} in a worker process, writing {items[index].save_as}:\n{where}")
            raise error
        for outcome in outcomes[1:]:
            if reuse is not None:
                reuse.current.update(outcome["current"])
                reuse.reused += outcome["reused"]
        done = sorted(entry for outcome in outcomes[1:] for entry in outcome["done"])
        for index, kept in done:
            self._written_elsewhere(writer, items[index], kept)
        logger.debug("%s %d item pages written by %d processes", LOG_PREFIX, len(items), count)

    def _written_elsewhere(self, writer: Any, item: Any, kept: bool) -> None:
        """Tell what a worker wrote or kept as Pelican's writer (or ``reuse``) would have told it."""
        build = Build.of(self.context)
        if kept:
            written = {"item": item, "output_file": item.save_as, build.CONTEXT_KEY: build}
            signals.content_written.send(os.path.join(self.output_path, item.save_as), context=written)
            return
        page = self._page(item)
        name = page["name"]
        # The local context exactly as Writer.write_file builds it (pelican/writers.py).
        local = self.context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if page["relative_urls"]:
            relative = path_to_url(get_relative_path(name))
            local["SITEURL"] = local["localsiteurl"] = relative
        local["output_file"] = name
        local.update(item=page["item"], page_name=page["page_name"])
        if local["localsiteurl"]:
            self.context["localsiteurl"] = local["localsiteurl"]
        path = sanitised_join(writer.output_path, name)
        # The writer's record of the files it wrote, so that a later page at the same
        # path fails as it would have (Pelican's attributes, read by Writer._open_w).
        if page["override_output"]:
            writer._overridden_files.add(path)
        writer._written_files.add(path)
        signals.content_written.send(path, context=local)


def get_generators(pelican: Any) -> type[ContentModelGenerator]:
    """Add the content-model generator to Pelican's."""
    return ContentModelGenerator


def set_defaults(pelican: Any) -> None:
    """Fill in the content model's default settings."""
    apply_defaults(pelican.settings)


def register() -> None:
    """Set defaults at start-up and read the typed folders with our generator."""
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
