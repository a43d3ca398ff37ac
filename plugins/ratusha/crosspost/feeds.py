"""Reading the site's feeds with feedparser, as any feed reader would (docs/feeds.md).

A feed that fails to parse (feedparser's ``bozo``), cannot be fetched or has no entries
raises :class:`FeedError`: the caller then changes no state at all for the channel,
because an empty or broken feed is not evidence that items were withdrawn or posted.
Items are known by their guid only; the date is used for ordering, never for identity.
Corrections and withdrawals follow the feed contract: ``ratusha:revision`` changes when
and only when an item is corrected, ``ratusha:withdrawn`` (and ``_reason``) marks an item
taken off the site that stays in its feeds so that cross-posting learns of it.

A run reads each feed once, however many channels take it (:class:`FeedReader`): with a
channel per department, hundreds of channels share a few hundred feeds. It parses a feed
only when a channel needs its items: a channel whose feeds are byte for byte those it
processed last time, with nothing in play, needs only their digests (feedparser takes
about half a millisecond per entry: 462 full department feeds cost some 15 s to parse).
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import feedparser

from ratusha.crosspost import http

log = logging.getLogger("crosspost.feeds")


class FeedError(Exception):
    """A feed that must not be trusted this run (unreadable, bozo or empty)."""


@dataclass
class Item:
    """One feed entry, reduced to what a social post needs."""

    guid: str
    title: str
    link: str
    published: float  # seconds since the epoch, for ordering only
    date: str  # as the feed wrote it, with the municipality's offset
    summary: str = ""
    teaser: str = ""
    hashtags: str = ""
    image: str = ""
    crosspost: bool = True
    feeds: list[str] = field(default_factory=list)
    revision: str = ""  # ratusha:revision: changes when, and only when, the item is corrected
    updated: str = ""  # Atom <updated> / ratusha:updated, ISO 8601
    withdrawn: str = ""  # ratusha:withdrawn: when the site withdrew it, ISO 8601 ("" = not withdrawn)
    withdrawn_reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready copy (kept in the state, so a late item can still be posted)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        """Rebuild from to_dict's output, tolerating fields added later."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def feed_location(base: str, feed: str) -> str:
    """Where one configured feed is: a URL joined to a base URL, or a path under a folder."""
    if "://" in feed:
        return feed
    if "://" in base:
        return base.rstrip("/") + "/" + feed.lstrip("/")
    return str(Path(base) / feed.lstrip("/"))


def parse_feed(data: bytes, location: str) -> list[Item]:
    """Parse one feed's bytes; raise FeedError if they are malformed or hold no item."""
    parsed = feedparser.parse(data)
    if parsed.bozo:
        raise FeedError(f"{location}: not a well-formed feed: {parsed.get('bozo_exception')}")
    if not parsed.entries:
        raise FeedError(f"{location}: the feed has no items")
    items = []
    for number, entry in enumerate(parsed.entries, 1):
        guid = (entry.get("id") or "").strip()
        if not guid:
            # Identity by link or date would repost an item whose URL or date was edited.
            log.warning("%s: item %d (%s) has no guid; skipped", location, number, entry.get("title", "?"))
            continue
        items.append(_item(entry, guid, location))
    if not items:
        raise FeedError(f"{location}: no item has a guid")
    return items


def fetch(location: str, timeout: float = 30.0) -> bytes:
    """Return the bytes at a path or URL (a GET is retried on connection errors and 5xx); FeedError if unreadable."""
    if "://" not in location:
        try:
            return Path(location).read_bytes()
        except OSError as error:
            raise FeedError(f"{location}: cannot read: {error.strerror}") from None
    last = ""
    for delay in [*http.Backoff(tries=3, base=1.0).delays(), None]:
        try:  # a GET is idempotent: retrying it is always safe
            answer = http.request("GET", location, timeout=timeout)
        except http.TransportError as error:
            last = str(error)
        else:
            if answer.status == 200:
                return answer.body
            last = f"HTTP {answer.status}"
            if answer.status < 500:
                break
        if delay is not None:
            import time  # noqa: PLC0415

            time.sleep(delay)
    raise FeedError(f"{http.safe_url(location)}: cannot fetch: {last}")


def _item(entry: Any, guid: str, location: str) -> Item:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    image = ""
    for enclosure in entry.get("enclosures") or []:
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            image = enclosure["href"]
            break
    if not image:
        for media in entry.get("media_content") or []:
            if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
                image = media.get("url", "")
                break
    return Item(
        guid=guid,
        title=_text(entry.get("title")),
        link=entry.get("link", ""),
        published=float(calendar.timegm(stamp)) if stamp else 0.0,
        date=entry.get("published") or entry.get("updated") or "",
        summary=_text(entry.get("summary")),
        teaser=_text(entry.get("ratusha_teaser")),
        hashtags=_text(entry.get("ratusha_hashtags")),
        image=image,
        crosspost=str(entry.get("ratusha_crosspost") or "").strip().lower() != "no",
        feeds=[location],
        revision=_text(entry.get("ratusha_revision")),
        # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning
        updated=_text(dict.get(entry, "ratusha_updated") or dict.get(entry, "updated")),
        withdrawn=_text(entry.get("ratusha_withdrawn")),
        withdrawn_reason=_text(entry.get("ratusha_withdrawn_reason")),
    )


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def digest(data: bytes) -> str:
    """Name a feed's bytes: equal digests, the same feed to the byte."""
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass
class _Slot:
    """One feed's outcomes within a run: its bytes (or why not), then its items (or why not)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    data: bytes | FeedError | None = None  # emptied once parsed
    sha: str = ""
    items: list[Item] | FeedError | None = None


class FeedReader:
    """Each feed fetched once per run and parsed at most once, whichever thread or channel asks first.

    Every outcome is kept: a feed that failed fails every channel that takes it, and is
    not fetched again within the run. Callers get their own copies of the items.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, _Slot] = {}

    def _slot(self, location: str, timeout: float) -> _Slot:
        with self._lock:
            slot = self._slots.setdefault(location, _Slot())
        with slot.lock:
            if slot.data is None:
                try:
                    slot.data = fetch(location, timeout)
                    slot.sha = digest(slot.data)
                except FeedError as error:
                    slot.data = error
        return slot

    def digest(self, location: str, timeout: float = 30.0) -> str:
        """Return the digest of the feed's bytes, fetched on the first call for this location."""
        slot = self._slot(location, timeout)
        if isinstance(slot.data, FeedError):
            raise slot.data
        return slot.sha

    def read(self, location: str, timeout: float = 30.0) -> list[Item]:
        """Return the feed's items, parsed on the first call for this location."""
        slot = self._slot(location, timeout)
        with slot.lock:
            if slot.items is None:
                try:
                    if isinstance(slot.data, FeedError):
                        raise slot.data
                    slot.items = parse_feed(slot.data, location)
                except FeedError as error:
                    slot.items = error
                if not isinstance(slot.data, FeedError):
                    slot.data = b""  # the items are kept: the bytes are not needed again
        if isinstance(slot.items, FeedError):
            raise slot.items
        return [replace(item, feeds=list(item.feeds)) for item in slot.items]


def read_channel_feeds(base: str, feeds: list[str], timeout: float, reader: FeedReader) -> dict[str, list[Item]]:
    """Read every feed of a channel; any failure raises FeedError (all or nothing)."""
    return {feed: reader.read(feed_location(base, feed), timeout) for feed in feeds}


def channel_digests(base: str, feeds: list[str], timeout: float, reader: FeedReader) -> str:
    """Name the bytes of every feed of a channel at once (JSON of feed → digest); FeedError if one is unreadable."""
    return json.dumps({feed: reader.digest(feed_location(base, feed), timeout) for feed in feeds}, sort_keys=True)


def merge(feeds: dict[str, list[Item]]) -> list[Item]:
    """One item per guid across the feeds (site-wide and a department's), oldest first."""
    by_guid: dict[str, Item] = {}
    for feed, items in feeds.items():
        for item in items:
            if item.guid in by_guid:
                by_guid[item.guid].feeds.append(feed)
            else:
                by_guid[item.guid] = replace(item, feeds=[feed])
    return sorted(by_guid.values(), key=lambda item: (item.published, item.guid))
