"""The sections of a portal: each content type's address, titles, feeds and templates.

One table that the content model, the feeds, the list pages, the breadcrumbs and the
templates all read, so that moving a section is one change. A site may override the
address or titles of a section in ``RATUSHA_SECTIONS`` (e.g.
``{"news": {"url": "novosti/"}}``); the item pages follow (``NEWS_URL`` and the other
``<PREFIX>_URL`` settings default to the section's address plus the item's pattern), and
so do the list pages, the feeds and every link to the section.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["SECTIONS", "Section", "resolve_sections"]


@dataclass(frozen=True)
class Section:
    """One content type as the portal shows it."""

    name: str  # the content type
    url: str  # the section's own page, site-relative ("news/"); "" for static pages
    title: str  # in the menu and breadcrumbs
    item_title: str  # what one item is called ("Новость")
    context_key: str  # where its published items are in the context
    template: str  # the item page's template
    item_pattern: str = "{slug}/"  # the item's address below the section's
    settings_prefix: str = ""  # <PREFIX>_URL / <PREFIX>_SAVE_AS
    feed_title: str = ""  # the title of its feeds; "" when it has none
    #: The 8-FZ art. 13 categories (:mod:`.law`) the section covers while it has published items.
    covers: tuple[str, ...] = ()

    @property
    def in_feeds(self) -> bool:
        """Whether the section's items go into the site's feeds."""
        return bool(self.feed_title)

    @property
    def item_url(self) -> str:
        """The default item URL pattern (``NEWS_URL``)."""
        return self.url + self.item_pattern


#: The default sections, in the order the site lists them.
SECTIONS: dict[str, Section] = {
    section.name: section
    for section in (
        Section(
            "news", "news/", "Новости", "Новость", "news", "news_item",
            "{date:%Y}/{date:%m}/{slug}/", "NEWS", "Новости",
        ),
        Section(
            "legal_act", "documents/", "Документы", "Правовой акт", "legal_acts", "legal_act",
            "{slug}/", "LEGAL_ACT", "Правовые акты", ("acts",),
        ),
        Section(
            "announcement", "announcements/", "Анонсы", "Анонс", "announcements", "announcement",
            "{date:%Y}/{slug}/", "ANNOUNCEMENT", "Анонсы", ("programmes",),
        ),
        Section(
            "answer", "glava-v-otvete/", "Глава в ответе", "Глава в ответе", "answers", "answer",
            "{slug}/", "ANSWER", "Глава в ответе", ("speeches",),
        ),
        Section(
            "department", "departments/", "Структура", "Структурное подразделение", "departments", "department",
            "{slug}/", "DEPARTMENT", "", ("structure", "powers", "heads"),
        ),
        Section("page", "", "", "Страница", "static_pages", "page", "{slug}/", "PAGE"),
    )
}  # fmt: skip


def resolve_sections(overrides: dict[str, dict[str, Any]] | None) -> dict[str, Section]:
    """Return the sections with a site's overrides (``RATUSHA_SECTIONS``) applied."""
    resolved = dict(SECTIONS)
    for name, changes in (overrides or {}).items():
        if name not in resolved:
            raise ValueError(f"RATUSHA_SECTIONS: unknown section {name!r} (known: {', '.join(SECTIONS)})")
        if isinstance(changes, Section):
            resolved[name] = changes
            continue
        unknown = set(changes) - {"url", "title", "item_title", "feed_title", "item_pattern", "covers"}
        if unknown:
            raise ValueError(f"RATUSHA_SECTIONS[{name!r}]: cannot change {', '.join(sorted(unknown))}")
        if "covers" in changes:
            changes = {**changes, "covers": tuple(changes["covers"])}
        resolved[name] = dataclasses.replace(resolved[name], **changes)
    return resolved
