"""RSS 2.0, Atom and iCalendar feeds, made with feedgen, for people and for machines.

Feeds written (each as ``rss.xml`` and ``atom.xml`` in the folder):

- ``/``: everything (news, acts, announcements, answers), newest first;
- ``/news/``, ``/documents/``, ``/announcements/``, ``/glava-v-otvete/``: one type each;
- ``/departments/<slug>/``: everything of one department;
- ``/announcements/calendar.ics`` and ``event.ics`` beside each announcement: iCalendar.

Each entry has a guid that never changes (``urn:uuid:<id>`` from the item's ``id``), its
publication time with the municipality's UTC offset, a plain-text summary, the full HTML
with absolute URLs (``content:encoded`` in RSS), the lead image (an RSS enclosure; in
Atom ``media:content``, as feedgen 1.0 writes Atom enclosures as plain links), categories
for type, department and tags, the department as author, and the social fields of
:mod:`.social`. No timestamp of the build goes in, so unchanged content gives
byte-identical feeds.

Settings: ``DEFAULTS`` below; the absolute base of feed URLs is ``RATUSHA_PUBLIC_URL``
(``ratusha.core.site``): feeds need absolute URLs even when the site is previewed locally.
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from pelican import signals

from ratusha.core.build import Build
from ratusha.core.listing import ListingGenerator
from ratusha.core.sections import Section
from ratusha.core.settings import Setting
from ratusha.core.site import public_url

from .calendar import calendar_bytes
from .items import feed_html, feed_summary, feed_title, revision
from .social import SocialEntryExtension, SocialExtension

__all__ = ["DEFAULTS", "Feed", "FeedsGenerator", "entry_guid", "register"]

logger = logging.getLogger(__name__)

DEFAULTS = {"RATUSHA_FEED_LIMIT": Setting(50, "entries per feed")}
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_HASHTAG = re.compile(r"[^\w]+")


def entry_guid(item: Any, site_url: str) -> str:
    """Return the entry's permanent id: urn:uuid for a UUID, else a tag URI."""
    value = str(item.guid)
    try:
        return uuid.UUID(value).urn
    except ValueError:
        host = urlparse(site_url).hostname or "localhost"
        return f"tag:{host},2026:{value}"


def hashtags(value: Any) -> list[str]:
    """Normalise front-matter hashtags ('дороги', '#Дороги 2026') to '#дороги'-style tags."""
    values = value if isinstance(value, list) else str(value or "").split()
    tags = []
    for raw in values:
        tag = _HASHTAG.sub("", str(raw).lstrip("#"))
        if tag and f"#{tag}" not in tags:
            tags.append(f"#{tag}")
    return tags


@dataclass
class Feed:
    """One feed: the folder it lives in, its title and its items (newest first)."""

    folder: str
    title: str
    items: list[Any]

    @property
    def rss_url(self) -> str:
        """Return the site-relative URL of the RSS feed."""
        return f"{self.folder}rss.xml"

    @property
    def atom_url(self) -> str:
        """Return the site-relative URL of the Atom feed."""
        return f"{self.folder}atom.xml"


class FeedsGenerator(ListingGenerator):
    """Write every feed once all content has been read and linked."""

    @property
    def site_url(self) -> str:
        """Return the absolute base URL for feed links."""
        return public_url(self.settings)

    @property
    def sections(self) -> list[Section]:
        """The sections whose items go into feeds."""
        return [s for s in self.settings["RATUSHA_SECTIONS"].values() if s.in_feeds]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: id(item) -> (item, summary, HTML, revision), see ``_texts``.
        self._texts_memo: dict[int, tuple[Any, str, str, str]] = {}

    def feeds(self) -> list[Feed]:
        """Return every feed of the site."""
        limit = int(self.settings["RATUSHA_FEED_LIMIT"])

        def newest(items: list[Any]) -> list[Any]:
            return sorted(items, key=lambda i: (i.date, i.guid), reverse=True)[:limit]

        sections = self.sections
        # Withdrawn items stay in the feeds they were in, marked, so that readers and
        # cross-posting learn of the withdrawal (docs/feeds.md).
        withdrawn = [i for i in self.context.get("withdrawn_items", []) if i.section.in_feeds]
        every = [item for section in sections for item in self.context.get(section.context_key, [])]
        feeds = [Feed("", "Все материалы", newest(every + withdrawn))]
        for section in sections:
            gone = [i for i in withdrawn if i.type_name == section.name]
            feeds.append(
                Feed(section.url, section.feed_title, newest(self.context.get(section.context_key, []) + gone))
            )
        for department in self.context.get("departments", []):
            items = department.news + department.acts + department.announcements + department.answers
            items += [i for i in withdrawn if getattr(i, "department_obj", None) is department]
            feeds.append(Feed(department.url, department.title, newest(items)))
        return feeds

    def _feed(self, feed: Feed, atom: bool) -> FeedGenerator:
        """Return the channel of ``feed`` as a FeedGenerator, for RSS or Atom."""
        municipality = self.context["MUNICIPALITY"]
        base = self.site_url
        generator = FeedGenerator()
        generator.register_extension("ratusha", SocialExtension, SocialEntryExtension)
        generator.load_extension("dc")
        if atom:
            generator.load_extension("media")
        generator.id(f"{base}/{feed.folder}")
        generator.title(f"{municipality['short_name']}: {feed.title}")
        generator.subtitle(f"{feed.title}. Официальный сайт: {municipality['name']}")
        generator.author({"name": municipality["name"], "email": municipality["contacts"]["email"]})
        generator.language("ru")
        generator.generator("Ratusha")
        generator.link(href=f"{base}/{feed.atom_url if atom else feed.rss_url}", rel="self")
        generator.link(href=f"{base}/{feed.folder}", rel="alternate")
        updated = max((self._updated(i) for i in feed.items), default=EPOCH)
        generator.updated(updated)
        generator.lastBuildDate(updated)
        for item in feed.items:
            self._entry(generator.add_entry(order="append"), item, atom)
        return generator

    def _texts(self, item: Any) -> tuple[str, str, str]:
        """Return an item's summary, full HTML and revision: made once, though it is in up to six feeds.

        The site's, its section's and its department's, each as RSS and Atom; the HTML is
        parsed with lxml to make its links absolute, most of the time of a feed.
        """
        memo = self._texts_memo
        found = memo.get(id(item))  # the memo holds the item, so its id is not reused meanwhile
        if found is None:
            summary = feed_summary(item)
            body = feed_html(item, self.site_url)
            found = memo[id(item)] = (item, summary, body, revision(item, summary, body))
        return found[1], found[2], found[3]

    @staticmethod
    def _updated(item: Any) -> datetime.datetime:
        updated = getattr(item, "modified", None) or item.date
        withdrawn = getattr(item, "withdrawn", None)
        return max(updated, withdrawn["date"]) if withdrawn else updated

    def _entry(self, entry: FeedEntry, item: Any, atom: bool) -> None:
        """Fill one entry from an item."""
        base = self.site_url
        url = f"{base}/{item.url}"
        entry.guid(entry_guid(item, base), permalink=False)
        entry.title(feed_title(item))
        entry.link(href=url, rel="alternate")
        entry.published(item.date)
        entry.updated(self._updated(item))
        summary, body, digest = self._texts(item)
        if atom:
            entry.summary(summary)
            entry.content(body, type="html")
        else:
            entry.description(summary)
            entry.content(body, type="CDATA")
        section = item.section
        categories = [{"term": section.feed_title, "scheme": f"{base}/{section.url}"}]
        department = getattr(item, "department_obj", None)
        if department is not None:
            departments = self.settings["RATUSHA_SECTIONS"]["department"].url
            categories.append({"term": department.title, "scheme": f"{base}/{departments}"})
            contact = {"name": department.title}
            if department.contacts.get("email"):
                contact["email"] = department.contacts["email"]
            entry.author(contact)
            entry.dc.dc_creator(department.title)
        categories += [{"term": str(tag)} for tag in getattr(item, "tags", None) or []]
        entry.category(categories)
        image = getattr(item, "image", None)
        image = (image.social or image) if image is not None else None
        if image is not None:
            image_url = f"{base}/{image.url}"
            if atom:
                entry.media.content(
                    url=image_url,
                    fileSize=str(image.size),
                    type=image.mime,
                    medium="image",
                    width=str(image.width),
                    height=str(image.height),
                    group=None,
                )
            else:
                entry.enclosure(image_url, str(image.size), image.mime)
        social = entry.ratusha
        social.teaser = (item.metadata.get("teaser") or "").strip() or None
        social.hashtags = hashtags(item.metadata.get("hashtags"))
        social.crosspost = not item.metadata.get("no_crosspost")
        social.revision = digest
        social.updated = self._updated(item).isoformat()
        withdrawn = getattr(item, "withdrawn", None)
        if withdrawn:
            social.withdrawn = withdrawn["date"].isoformat()
            social.withdrawn_reason = withdrawn["reason"]

    def generate_output(self, writer: Any) -> None:
        """Write the RSS, Atom and iCalendar files (unchanged ones are reused, see ``incremental``)."""
        reuse = Build.of(self.context).fingerprints

        def write(relative: str, items: list[Any], make: Callable[[], bytes], *extra: str) -> None:
            if reuse is None or not reuse.reuse_file(relative, self.output_path, items, relative, *extra):
                self.write_data(relative, make())

        for feed in self.feeds():
            title = (feed.title, feed.folder)
            write(feed.rss_url, feed.items, lambda f=feed: self._feed(f, atom=False).rss_str(pretty=True), *title)
            write(feed.atom_url, feed.items, lambda f=feed: self._feed(f, atom=True).atom_str(pretty=True), *title)
        announcements = self.context.get("announcements", [])
        municipality, base = self.context["MUNICIPALITY"], self.site_url
        calendar = self.settings["RATUSHA_SECTIONS"]["announcement"].url + "calendar.ics"
        write(calendar, announcements, lambda: calendar_bytes(announcements, municipality, base))
        for event in announcements:
            write(f"{event.url}event.ics", [event], lambda e=event: calendar_bytes([e], municipality, base))


def get_generators(pelican: Any) -> type[FeedsGenerator]:
    """Add the feeds generator."""
    return FeedsGenerator


def register() -> None:
    """Write the feeds with the other pages."""
    signals.get_generators.connect(get_generators)
