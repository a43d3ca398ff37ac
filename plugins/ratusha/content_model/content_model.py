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

Settings: see :mod:`.settings` (``*_URL``/``*_SAVE_AS`` per type).
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from pelican import signals
from pelican.generators import CachingGenerator

from ratusha.core.build import Build, build_time
from ratusha.core.data import display_path
from ratusha.core.errors import BuildStopped, ContentError

from .checks import ItemChecker, check_catalog, check_dates
from .coverage import check_coverage
from .schema import CONTENT_TYPES, ContentType
from .settings import apply_defaults

__all__ = ["ContentModelGenerator", "register"]

logger = logging.getLogger(__name__)
LOG_PREFIX = "[content_model]"

#: Sent once every item page is written (``search`` starts indexing then).
items_written = signals.signal("ratusha.items_written")


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
        item = self.get_cached_data(path, None)
        if item is not None:
            # Checked again: an attachment or a department may have gone since.
            return self._check(ctype, path, item, problems)
        try:
            item = self.readers.read_file(
                base_path=self.path,
                path=path,
                content_class=ctype.content_class,
                context=self.context,
            )
        except ContentError as exc:
            problems.append(exc)
            self._add_failed_source_path(path)
            return None
        except Exception as exc:  # a reader or Markdown extension failed
            shown = display_path(os.path.join(self.path, path))
            problems.append(ContentError(shown, f"не удаётся прочитать файл / cannot read the file: {exc}"))
            logger.debug("%s %s", LOG_PREFIX, shown, exc_info=True)
            self._add_failed_source_path(path)
            return None
        item = self._check(ctype, path, item, problems)
        if item is not None:
            self.cache_data(path, item)
        return item

    def _check(self, ctype: ContentType, path: str, item: Any, problems: list[ContentError]) -> Any:
        """Run the per-item checks; return the item, or None when it has errors."""
        found = ItemChecker(item, ctype, self.settings).run()
        problems.extend(found)
        if any(p.severity == "error" for p in found):
            self._add_failed_source_path(path)
            return None
        return item

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
        for ctype in CONTENT_TYPES:
            for path in sorted(self.get_files([ctype.folder], extensions=("md", "markdown"))):
                item = self._read(ctype, path, problems)
                if item is None:
                    failed[ctype.name].add(os.path.splitext(os.path.basename(path))[0])
                    continue
                self.items.append(item)
                if item.status == "draft":
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
        """Write one page per published item (unchanged ones are reused, see ``incremental``)."""
        reuse = Build.of(self.context).fingerprints
        for items in self.published.values():
            for item in items:
                if reuse is not None and reuse.reuse(item, self.output_path):
                    continue
                writer.write_file(
                    item.save_as,
                    self.get_template(item.template),
                    self.context,
                    item=item,
                    page_name=os.path.splitext(item.save_as)[0],
                    relative_urls=self.settings["RELATIVE_URLS"],
                    override_output=hasattr(item, "override_save_as"),
                    url=item.url,
                )
        items_written.send(self)

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
