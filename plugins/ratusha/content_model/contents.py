"""Ratusha's content types, declared the way Pelican declares Article and Page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pelican.contents import Content, Page

from ratusha.core.sections import SECTIONS, Section
from ratusha.core.text import plain_text


class PlainTextMixin:
    """Plain-text versions of the summary and body, for feeds and structured data."""

    @property
    def summary_text(self) -> str:
        """Return the summary without markup."""
        return plain_text(self.summary)  # type: ignore[attr-defined]

    @property
    def content_text(self) -> str:
        """Return the body without markup."""
        return plain_text(self.content)  # type: ignore[attr-defined]


def _memoised(item: Any, key: str, klass: str, expand: Callable[[], str]) -> str:
    """Return ``expand()`` (an item's URL or save_as), computed once per item.

    Pelican rebuilds an item's URL from a copy of all its metadata on every ``item.url``;
    a footer or list naming 200 items does that 200 times per page, millions of times in
    a large build (a third of it at 10,000 items: bench/PROFILE.md). The memo is keyed on
    what the URL patterns read and may change while a build runs (the pattern itself,
    slug, date, language, status, source path), so it is never stale.
    """
    ident = (
        key,
        klass,
        item.settings.get(f"{klass}_{key}".upper()),
        getattr(item, "slug", None),
        getattr(item, "date", None),
        getattr(item, "lang", None),
        getattr(item, "status", None),
        item.source_path,
    )
    memo = item.__dict__.setdefault("_memo_urls", {})  # "_memo": not data, for the fingerprints
    if ident not in memo:
        memo[ident] = expand()
    return memo[ident]


class ItemMixin(PlainTextMixin):
    """What every Ratusha item has, Pelican Page or not: a guid, field lines, memoised URLs."""

    settings_prefix: ClassVar[str] = ""
    type_name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Take the settings prefix and the page template from the type's section, not a copy of them."""
        super().__init_subclass__(**kwargs)
        section = SECTIONS.get(cls.__dict__.get("type_name", ""))
        if section is not None:
            cls.settings_prefix = section.settings_prefix
            cls.default_template = section.template

    @property
    def section(self) -> Section:
        """Return the item's section (its list page, titles …), from the site's section table."""
        return self.settings["RATUSHA_SECTIONS"][self.type_name]  # type: ignore[attr-defined]

    @property
    def section_title(self) -> str:
        """The title of the list page the item belongs to, for breadcrumbs and search."""
        return self.section.title

    @property
    def section_url(self) -> str:
        """The address of the list page the item belongs to."""
        return self.section.url

    @property
    def type_title(self) -> str:
        """What one item of this type is called ('Новость')."""
        return self.section.item_title

    def _expand_settings(self, key: str, klass: str | None = None) -> str:
        klass = klass or self.settings_prefix
        return _memoised(self, key, klass, lambda: Content._expand_settings(self, key, klass))  # type: ignore[arg-type]

    @property
    def guid(self) -> str:
        """The identifier that feeds and cross-posting know this item by."""
        return getattr(self, "id", None) or self.relative_source_path  # type: ignore[attr-defined]

    def line_of(self, field: str) -> int | None:
        """Return the line where ``field`` is written in the source file."""
        return getattr(self, "field_lines", {}).get(field)


class RatushaContent(ItemMixin, Content):
    """Base of the dated and registry types; URL settings use ``<PREFIX>_URL``.

    Pelican derives the settings key from the class name (``LEGALACT_URL``); the
    override gives the readable ``LEGAL_ACT_URL`` instead.
    """

    allowed_statuses = ("published", "review", "draft")
    default_status = "published"
    mandatory_properties = ("title", "date")


class NewsItem(RatushaContent):
    """A news item of the press service."""

    type_name = "news"


class LegalAct(RatushaContent):
    """A municipal legal act, with the acts it amends or repeals and those that did."""

    type_name = "legal_act"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amended_by: list[LegalAct] = []
        self.repealed_by: list[LegalAct] = []
        self.amends_acts: list[LegalAct] = []
        self.repeals_acts: list[LegalAct] = []

    @property
    def label(self) -> str:
        """Return how the act is cited: 'Постановление от 15.03.2026 № 123'."""
        return f"{self.act_type.capitalize()} от {self.adopted:%d.%m.%Y} № {self.number}"


class Announcement(RatushaContent):
    """An announcement of an event, with its start, end and place."""

    type_name = "announcement"


class Answer(RatushaContent):
    """One question of «Глава в ответе» and the head's answer."""

    type_name = "answer"


class Department(RatushaContent):
    """A structural organisation, node of the department registry."""

    type_name = "department"
    mandatory_properties = ("title",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_department: Department | None = None
        self.children: list[Department] = []
        self.news: list[NewsItem] = []
        self.acts: list[LegalAct] = []
        self.announcements: list[Announcement] = []
        self.answers: list[Answer] = []

    @property
    def ancestors(self) -> list[Department]:
        """The chain of parents from the top level down, for breadcrumbs."""
        chain = []
        parent = self.parent_department
        while parent is not None:
            chain.append(parent)
            parent = parent.parent_department
        return chain[::-1]


class StaticPage(ItemMixin, Page):
    """A static page (about, contacts …); Pelican's Page with our line lookup."""

    type_name = "page"
    allowed_statuses = ("published", "review", "draft")
