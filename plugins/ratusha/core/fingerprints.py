"""Fingerprints of what each page is made from, so a rebuild renders only what changed.

Pelican renders and writes every page on every build. At tens of thousands of items most
of a rebuild after a one-line edit is spent re-rendering pages that come out the same.
This plugin gives each item page a fingerprint of everything it is made from:

* what every page shares: the theme (templates and static files), Ratusha's code, the
  versions of the libraries that render, the settings, the municipality, the values that
  plugins declare every page shows (:meth:`~ratusha.core.build.Build.every_page_shows`:
  the footer menu, the urgent banner) and the year of the build (in the footer);
* the item itself: every attribute it carries (front matter, HTML body, derived values);
* the items it shows: its department, the acts it amends or that amend it, a department's
  news … (any attribute holding another content object), with their own attributes;
* the clock: for every date on the item and on the items it shows, whether it is already
  past, so "Мероприятие прошло" and a department's upcoming events change when they should.

When the fingerprint of a page equals the one recorded for it by the last successful build
and the published site still holds the file, the file (with its .gz/.br copies) is kept
where it is instead of being rendered: nothing is written for it (:mod:`.output` publishes
only the files this run wrote, and keeps every page of ``current`` it did not write). Feeds
and calendars are fingerprinted the same way from the pages of their entries
(``reuse_file``), and so is each page of a paginated list (``reuse_list_page``, from
:mod:`.listing`), so an edit rewrites only the feeds and list pages that show the edited
item; ``search`` patches its index with the same fingerprints. The record is written by
the finish pipeline after the swap, so it always describes the site on disk. Pages that
show a bit of everything (the home page, section front pages) and the sitemap are always
written anew. An attribute whose name starts with ``_memo`` is a cache, not data, and is
left out.

Setting RATUSHA_INCREMENTAL (:mod:`.settings`) turns reuse off. The record lives under
``<CACHE_PATH>/incremental/``; deleting it forces a full render.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import importlib.metadata
import io
import json
import logging
import os
import pickle
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pelican import signals
from pelican.contents import Content

if TYPE_CHECKING:
    from .build import Build


__all__ = ["Fingerprints"]

logger = logging.getLogger(__name__)
#: Libraries whose output goes into the pages.
RENDERING_PACKAGES = ("pelican", "markdown", "jinja2", "babel", "nh3", "pillow", "iuliia", "pystemmer")
#: Settings that differ between builds of the same site without changing its pages.
VOLATILE_SETTINGS = frozenset({"OUTPUT_PATH", "RATUSHA_BUILD_TIME", "CACHE_PATH"})
#: Attributes of a Pelican content object that are not its own data; and the prefix of
#: attributes that are caches (see the module's docstring).
SKIPPED_ATTRIBUTES = frozenset({"_context", "settings", "_summary_cache"})
MEMO_PREFIX = "_memo"
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _encoded(walked: Any) -> bytes:
    """Write what ``_walk`` returns (lists and plain values only) as bytes to hash.

    Pickled without the memo (``fast``): the same data gives the same bytes whatever the
    identity of its strings, which the memo would record. JSON gave the same guarantee at
    six times the cost (an item's HTML body is escaped character by character): 256 µs
    against 41 µs for a 30 KB item, and every item is walked on every build.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(walked)
    return buffer.getvalue()


def _data(value: Any) -> dict[str, Any]:
    """Return an object's own data: its attributes less Pelican's plumbing and memos."""
    return {k: v for k, v in vars(value).items() if k not in SKIPPED_ATTRIBUTES and not k.startswith(MEMO_PREFIX)}


def _files_digest(folders: Iterable[str], into: Any) -> None:
    """Feed the relative path and bytes of every file under ``folders`` into a hash."""
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".pyc"):
                    continue
                path = os.path.join(root, name)
                into.update(os.path.relpath(path, folder).encode())
                with open(path, "rb") as handle:
                    into.update(handle.read())


def _stable(value: Any) -> Any:
    """Reduce a settings value to something JSON can write the same way every build."""
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return getattr(value, "__qualname__", type(value).__qualname__)  # functions, classes, objects


class Fingerprints:
    """Fingerprints of one build's pages, and the record of the previous build's.

    Made by :class:`~ratusha.core.build.Build` when the first page is about to be written,
    once every generator has read and linked its content.
    """

    def __init__(self, build: Build, context: dict[str, Any]) -> None:
        self.build = build
        self.settings = build.settings
        self.context = context
        self.now = build.now
        self.previous = build.previous
        self.record_path = build.cache_file("incremental", ".json")
        self.recorded = self._load()
        self.current: dict[str, str] = {}
        self._own: dict[int, tuple[str, list[Content]]] = {}  # id -> (digest, the items it shows)
        self._shared: dict[int, tuple[Any, str]] = {}
        self._lists = ""
        self.common = self._common(build.shown_on_every_page)
        self.reused = 0

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self.record_path.read_text(encoding="utf-8"))["pages"]
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def _common(self, every_page: dict[str, list[Any]]) -> str:
        """Fingerprint what every page shares."""
        digest = hashlib.sha256()
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the ratusha package
        # Usually PLUGIN_PATHS is that folder too: read each folder once.
        folders = (self.settings["THEME"], here, *self.settings.get("PLUGIN_PATHS", []))
        _files_digest(dict.fromkeys(os.path.abspath(folder) for folder in folders), digest)
        versions = {name: importlib.metadata.version(name) for name in RENDERING_PACKAGES}
        settings = {k: v for k, v in self.settings.items() if k not in VOLATILE_SETTINGS}
        shared = {
            "versions": versions,
            "settings": _stable(settings),
            "year": self.now.year,
            "shown": {name: [self.own(i) for i in items] for name, items in sorted(every_page.items())},
        }
        digest.update(json.dumps(shared, sort_keys=True, ensure_ascii=False).encode())
        return digest.hexdigest()

    def _walk(self, value: Any, refs: list[Content] | None, depth: int = 0) -> Any:  # noqa: PLR0911
        """Reduce an attribute to data; content objects become references (collected)."""
        if type(value) in _PLAIN:  # most values: tested first, as they are walked by the million
            return value
        if isinstance(value, Content):
            if refs is not None:
                refs.append(value)
            return ["ref", value.source_path]
        if isinstance(value, datetime.datetime):
            aware = value if value.tzinfo else value.replace(tzinfo=self.now.tzinfo)
            return [value.isoformat(), aware < self.now]
        if isinstance(value, datetime.date):
            return [value.isoformat(), value < self.now.date()]
        if isinstance(value, str):  # a subclass (Markup) as its text, as JSON wrote it
            return str(value)
        if isinstance(value, int):  # bool is plain: an IntEnum … as its number
            return int(value)
        if isinstance(value, float):
            return float(value)
        if depth > 8:
            return type(value).__qualname__
        if isinstance(value, dict):
            return [[str(k), self._walk(v, refs, depth + 1)] for k, v in value.items()]
        if isinstance(value, (list, tuple)):
            return [self._walk(v, refs, depth + 1) for v in value]
        if isinstance(value, (set, frozenset)):  # in an order that does not hang on the hash seed
            return sorted((self._walk(v, refs, depth + 1) for v in value), key=repr)
        if dataclasses.is_dataclass(value):
            return [self._walk(getattr(value, f.name), refs, depth + 1) for f in dataclasses.fields(value)]
        if hasattr(value, "__dict__"):  # a tag, an image …: its data, not the settings it carries
            data = _data(value)
            return [type(value).__qualname__, self._walk(data, refs, depth + 1)]
        return repr(value)

    def _state(self, item: Content, refs: list[Content] | None) -> bytes:
        data = _data(item)
        data["url"], data["save_as"] = item.url, item.save_as
        return _encoded(self._walk(data, refs))

    def _walked(self, item: Content) -> tuple[str, list[Content]]:
        """Walk an item once per build: its own fingerprint and the items it shows."""
        key = id(item)
        if key not in self._own:
            refs: list[Content] = []
            self._own[key] = (hashlib.sha256(self._state(item, refs)).hexdigest(), refs)
        return self._own[key]

    def own(self, item: Content) -> str:
        """Fingerprint an item's own attributes (memoised: items are shown on many pages)."""
        return self._walked(item)[0]

    def fingerprint(self, item: Content) -> str:
        """Fingerprint an item page: the shared part, the item, and the items it shows."""
        own, refs = self._walked(item)
        digest = hashlib.sha256(self.common.encode())
        digest.update(own.encode())
        return self._with_shown(digest, refs)

    def _with_shown(self, digest: Any, refs: list[Content]) -> str:
        """Add the own fingerprints of the items a value shows to ``digest``; return its hex digest.

        Sorted: where each item is shown is in the walked data already (``["ref", path]``), and
        the items of a set are collected in an order that hangs on the hash seed.
        """
        for own in sorted(self.own(ref) for ref in refs):
            digest.update(own.encode())
        return digest.hexdigest()

    def page(self, item: Content) -> str:
        """Return the fingerprint of an item's page (computed once per build)."""
        save_as = item.save_as
        if save_as not in self.current:
            self.current[save_as] = self.fingerprint(item)
        return self.current[save_as]

    def reuse(self, item: Content, output: str) -> bool:
        """Link the item's page from the previous output if it is unchanged; say whether."""
        save_as = item.save_as
        if not self._carry(save_as, self.page(item), output):
            return False
        # Tell the plugins that follow written pages (the sitemap) as Pelican's writer would.
        written = {"item": item, "output_file": save_as, **self._build_context}
        signals.content_written.send(os.path.join(output, save_as), context=written)
        return True

    def shared(self, value: Any) -> str:
        """Fingerprint a value that many list pages show (facets, a department), once per build."""
        key = id(value)
        if key not in self._shared:  # the value is kept with its digest, so its id stays its own
            refs: list[Content] = []
            digest = hashlib.sha256(_encoded(self._walk(value, refs)))
            self._shared[key] = (value, self._with_shown(digest, refs))
        return self._shared[key][1]

    def reuse_list_page(self, save_as: str, output: str, parts: Iterable[str], objects: Iterable[Any]) -> bool:
        """Link one page of a paginated list if its entries and ``parts`` are unchanged.

        ``parts`` are the template, the page's number and count and the fingerprints of the
        other values it is rendered with; every entry counts by its page's fingerprint.
        The length of every list in the context counts too (a registry shows its total).
        """
        if not self._lists:
            lengths = {k: len(v) for k, v in self.context.items() if isinstance(v, (list, tuple, dict))}
            self._lists = json.dumps(lengths, sort_keys=True)
        digest = hashlib.sha256(self.common.encode())
        for part in (*parts, self._lists):
            digest.update(part.encode() + b"\n")
        for entry in objects:
            digest.update((self.page(entry) if isinstance(entry, Content) else self.shared(entry)).encode())
        self.current[save_as] = digest.hexdigest()
        if not self._carry(save_as, self.current[save_as], output):
            return False
        written = {"output_file": save_as, **self._build_context}
        signals.content_written.send(os.path.join(output, save_as), context=written)
        return True

    def reuse_file(self, relative: str, output: str, items: Iterable[Content], *extra: str) -> bool:
        """Link a file made only of ``items`` and ``extra`` (a feed, a calendar) if unchanged."""
        digest = hashlib.sha256(self.common.encode())
        for part in (*extra, *(self.page(item) for item in items)):
            digest.update(part.encode() + b"\n")
        self.current[relative] = digest.hexdigest()
        return self._carry(relative, self.current[relative], output)

    def _carry(self, relative: str, fingerprint: str, output: str) -> bool:
        """Keep the published file if its fingerprint is the recorded one; say whether.

        Nothing is written (so a forked worker may call it): the page stays in the published
        folder, and :mod:`.output` keeps every page of ``current`` this run did not write.
        The manifest says the file is there; a file deleted by hand is found by its stat.
        """
        if self.recorded.get(relative) != fingerprint or not self.build.can_keep(relative):
            return False
        if not os.path.exists(os.path.join(self.previous or "", relative)):
            return False
        self.reused += 1
        return True

    @property
    def _build_context(self) -> dict[str, Any]:
        return {self.build.CONTEXT_KEY: self.build}

    def forget(self) -> None:
        """Delete the record before the site on disk changes (``save`` writes the new one after)."""
        self.record_path.unlink(missing_ok=True)

    def save(self) -> None:
        """Record this build's fingerprints; called once its output is in place."""
        self.record_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.record_path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"pages": self.current}, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.record_path)
        rendered = len(self.current) - self.reused
        logger.info("[incremental] %d unchanged pages and feeds reused, %d written", self.reused, rendered)
