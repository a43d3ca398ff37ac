"""What each content type must and may contain, as data the checks walk through.

One table for the build, ``invoke check`` and the editors' guide, so the three never
disagree about what a field means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ratusha.core.acts import ACT_STATUSES, ACT_TYPES

from .contents import (
    Announcement,
    Answer,
    Department,
    LegalAct,
    NewsItem,
    RatushaContent,
    StaticPage,
)


@dataclass(frozen=True)
class Field:
    """One front-matter field: its name, kind of value, and whether it is required.

    Kinds: text, date, datetime, choice, department, acts, attachments, image, person,
    contacts, asked_by, number.
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()


COMMON = (
    Field("title", required=True),
    Field("summary"),
    Field("image", "image"),
    Field("image_alt"),
    Field("teaser"),
    Field("hashtags", "hashtags"),
    Field("no_crosspost", "flag"),
)


#: Fields that put an item forward: a banner on every page until a moment, or first place
#: on the home page.
PROMOTION = (
    Field("urgent", "flag"),
    Field("urgent_until", "datetime"),
    Field("pinned", "flag"),
)


@dataclass(frozen=True)
class ContentType:
    """A content type: the folder it lives in, its class and its fields."""

    name: str
    folder: str
    content_class: type[RatushaContent] | type[StaticPage]
    fields: tuple[Field, ...] = field(default=())
    dated: bool = True

    @property
    def all_fields(self) -> tuple[Field, ...]:
        """Return the common fields, the date for dated types, and the type's own."""
        # Dated items go into feeds and social networks, which know them by ``id``
        # alone: it must be there, so that editing a title or URL never reposts them.
        dated = (Field("date", "datetime", required=True), Field("id", "id", required=True))
        if not self.dated:
            dated = (Field("id", "id"),)
        return COMMON + dated + self.fields


CONTENT_TYPES = (
    ContentType(
        "department",
        "departments",
        Department,
        (
            Field("short_title"),
            Field("parent", "department"),
            Field("head", "person", required=True),
            Field("contacts", "contacts", required=True),
            Field("order", "number"),
        ),
        dated=False,
    ),
    ContentType("news", "news", NewsItem, (Field("department", "department", required=True), *PROMOTION)),
    ContentType(
        "legal_act",
        "acts",
        LegalAct,
        (
            Field("act_type", "choice", required=True, choices=ACT_TYPES),
            Field("number", required=True),
            Field("adopted", "date", required=True),
            Field("act_status", "choice", required=True, choices=tuple(ACT_STATUSES)),
            Field("issuer", "department", required=True),
            Field("signed_by"),
            Field("published_in"),
            Field("published_on", "date"),
            Field("amends", "acts"),
            Field("repeals", "acts"),
            Field("invalidated_by"),
            Field("attachments", "attachments"),
        ),
    ),
    ContentType(
        "announcement",
        "announcements",
        Announcement,
        (
            Field("starts", "datetime", required=True),
            Field("ends", "datetime"),
            Field("place", required=True),
            Field("department", "department"),
            *PROMOTION,
        ),
    ),
    ContentType(
        "answer",
        "answers",
        Answer,
        (
            Field("question", required=True),
            Field("asked_by", "asked_by"),
            Field("department", "department"),
        ),
    ),
    ContentType("page", "pages", StaticPage, (Field("order", "number"),), dated=False),
)

TYPES_BY_NAME = {ctype.name: ctype for ctype in CONTENT_TYPES}
