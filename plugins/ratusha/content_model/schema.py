"""What each content type must and may contain, as data the checks walk through.

One table for the build, ``invoke check`` and the editors' guide, so the three never
disagree about what a field means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ratusha.core.acts import ACT_STATUSES, ACT_TYPES, IN_FORCE

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
    contacts, asked_by, number, register_number, lost_force, covers.
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    #: What ``invoke new`` writes for the field in a new file: a value (``{department}``,
    #: ``{today}``, ``{now}``, ``{number}``, ``{place}``, ``{question}``, ``{parent}``,
    #: ``{act_type}`` are filled in), "# …" for a commented-out example, None to leave it out.
    new: str | None = None
    #: The editor's hint after a required field's value, in the new file ({choices}: the allowed values).
    hint: str = ""


COMMON = (
    Field("title", required=True),
    Field("summary"),
    Field("image", "image"),
    Field("image_alt"),
    Field("teaser"),
    Field("hashtags", "hashtags"),
    Field("no_crosspost", "flag"),
    # Taken off the site: the page stays with a notice, the item leaves every list, the
    # feeds announce it and cross-posting deletes or answers its posts (docs/feeds.md).
    Field("withdrawn", "withdrawn"),
)
#: The common fields as a new news item shows them (the other types leave most out).
NEWS_COMMON = (
    Field("summary", new=""),
    Field("tags", new="[]"),
    Field("image", "image", new="# images/news/photo.jpg"),
    Field("image_alt", new="# что изображено на фотографии"),
    Field("teaser", new="# короткий текст для соцсетей"),
    Field("hashtags", "hashtags", new="# []"),
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
    #: Common fields a new file of this type shows, after the type's own (see Field.new).
    new_fields: tuple[Field, ...] = ()
    #: The body of a new file.
    new_body: str = "Текст материала."

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
            Field("short_title", new=""),
            Field("parent", "department", new="{parent}"),
            Field("head", "person", required=True, new="{{name: , position: }}"),
            Field("contacts", "contacts", required=True, new="{{phone: , email: , address: , hours: }}"),
            Field("order", "number", new="10"),
            Field("social", "social", new='# [{network: telegram, url: https://t.me/…, id: "@…"}]'),
        ),
        dated=False,
        new_body="Полномочия и функции подразделения.",
    ),
    ContentType(
        "news",
        "news",
        NewsItem,
        (
            Field(
                "department",
                "department",
                required=True,
                new="{department}",
                hint="имя файла из content/departments/ без .md",
            ),
            *PROMOTION,
        ),
        new_fields=NEWS_COMMON,
    ),
    ContentType(
        "legal_act",
        "acts",
        LegalAct,
        (
            Field("act_type", "choice", required=True, choices=ACT_TYPES, new="{act_type}", hint="{choices}"),
            Field("number", required=True, new="{number}"),
            Field("adopted", "date", required=True, new="{today}", hint="дата принятия"),
            Field("act_status", "choice", required=True, choices=tuple(ACT_STATUSES), new=IN_FORCE, hint="{choices}"),
            Field("issuer", "department", required=True, new="{department}", hint="подразделение, принявшее акт"),
            Field("signed_by", new=""),
            Field("published_in", new=""),
            Field("published_on", "date", new="# 2026-01-31"),
            Field("published_issue", new="# № 5 (1601)"),
            Field("in_force_from", "date", new="# 2026-02-01"),
            # The federal register of municipal normative acts (регистр МНПА): RU + 17 digits.
            Field("register_number", "register_number", new="# RU55000000202600001"),
            Field("normative", "flag"),
            Field("lost_force", "lost_force"),
            Field("amends", "acts", new="# [postanovlenie-123-2026]"),
            Field("repeals", "acts", new="# []"),
            Field("invalidated_by"),
            Field(
                "attachments",
                "attachments",
                new="#\n#   - file: files/acts/document.pdf\n#     title: Текст документа (PDF)",
            ),
        ),
    ),
    ContentType(
        "announcement",
        "announcements",
        Announcement,
        (
            Field("starts", "datetime", required=True, new="{now}", hint="начало мероприятия"),
            Field("ends", "datetime", new="# 2026-12-31 18:00"),
            Field("place", required=True, new="{place}", hint="адрес"),
            Field("department", "department", new="{department}"),
            *PROMOTION,
        ),
        new_fields=(Field("summary", new=""),),
    ),
    ContentType(
        "answer",
        "answers",
        Answer,
        (
            Field("question", required=True, new="{question}", hint="вопрос жителя"),
            Field("asked_by", "asked_by", new="{{name: , district: }}"),
            Field("department", "department", new="{department}"),
        ),
        new_body="Ответ главы.",
    ),
    ContentType(
        "page",
        "pages",
        StaticPage,
        (
            Field("order", "number", new="10"),
            # What of 8-FZ art. 13 the page publishes (keys of ratusha.core.law.CATEGORIES).
            Field("covers", "covers", new="# []"),
        ),
        dated=False,
    ),
)

TYPES_BY_NAME = {ctype.name: ctype for ctype in CONTENT_TYPES}
