"""A feedgen extension carrying the social-network fields of an item.

Cross-posting scripts and Telegram/VK bots read the feed, not the Markdown, so an
item's teaser, hashtags and "do not cross-post" flag travel in the feed, in their own
namespace (``urn:ratusha:social:1``, prefix ``ratusha``), in RSS and Atom alike:

    <ratusha:teaser>Short text written for social networks</ratusha:teaser>
    <ratusha:hashtags>#Северогорск #дороги</ratusha:hashtags>
    <ratusha:crosspost>no</ratusha:crosspost>   (only when the item must not be posted)
    <ratusha:revision>3f2a…</ratusha:revision>  (changes when, and only when, the item is corrected)
    <ratusha:updated>2026-11-24T10:30:00+06:00</ratusha:updated>  (RSS only; Atom has <updated>)
    <ratusha:withdrawn>2026-12-01T09:00:00+06:00</ratusha:withdrawn>  (only for a withdrawn item)
    <ratusha:withdrawn_reason>Why it was withdrawn</ratusha:withdrawn_reason>

feedparser exposes them as ``entry.ratusha_teaser``, ``entry.ratusha_hashtags``,
``entry.ratusha_crosspost``, ``entry.ratusha_revision``, ``entry.ratusha_updated``,
``entry.ratusha_withdrawn`` and ``entry.ratusha_withdrawn_reason`` (docs/feeds.md).
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

SOCIAL_NS = "urn:ratusha:social:1"


class SocialExtension(BaseExtension):
    """Declares the namespace on the feed."""

    def extend_ns(self) -> dict[str, str]:
        """Return the namespace prefix to declare."""
        return {"ratusha": SOCIAL_NS}


class SocialEntryExtension(BaseEntryExtension):
    """Adds teaser, hashtags and the cross-posting flag to an entry."""

    def __init__(self) -> None:
        self.teaser: str | None = None
        self.hashtags: list[str] = []
        self.crosspost = True
        self.revision = ""
        self.updated = ""
        self.withdrawn = ""
        self.withdrawn_reason = ""

    def _extend(self, entry: Any, rss: bool = False) -> Any:
        if self.teaser:
            xml_elem(f"{{{SOCIAL_NS}}}teaser", entry).text = self.teaser
        if self.hashtags:
            xml_elem(f"{{{SOCIAL_NS}}}hashtags", entry).text = " ".join(self.hashtags)
        if not self.crosspost:
            xml_elem(f"{{{SOCIAL_NS}}}crosspost", entry).text = "no"
        if self.revision:
            xml_elem(f"{{{SOCIAL_NS}}}revision", entry).text = self.revision
        if rss and self.updated:
            xml_elem(f"{{{SOCIAL_NS}}}updated", entry).text = self.updated
        if self.withdrawn:
            xml_elem(f"{{{SOCIAL_NS}}}withdrawn", entry).text = self.withdrawn
            xml_elem(f"{{{SOCIAL_NS}}}withdrawn_reason", entry).text = self.withdrawn_reason
        return entry

    def extend_rss(self, entry: Any) -> Any:
        """Add the fields to an RSS item."""
        return self._extend(entry, rss=True)

    def extend_atom(self, entry: Any) -> Any:
        """Add the fields to an Atom entry."""
        return self._extend(entry)
