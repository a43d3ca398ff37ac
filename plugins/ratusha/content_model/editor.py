"""What editors run besides the build: a new item from a template, and a content check.

Both use the same schema and checks as the build (``invoke new`` writes every required
field of the type; ``invoke check`` is the first half of a build without the writing),
so a file that passes the check builds.
"""

from __future__ import annotations

import datetime
import os
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ratusha.core.acts import ACT_STATUSES, ACT_TYPES
from ratusha.core.errors import ContentError
from ratusha.core.slugs import slugify

from .schema import TYPES_BY_NAME

#: Names editors may use on the command line for each type.
TYPE_ALIASES = {
    "news": "news",
    "novost": "news",
    "act": "legal_act",
    "acts": "legal_act",
    "legal_act": "legal_act",
    "announcement": "announcement",
    "anons": "announcement",
    "answer": "answer",
    "answers": "answer",
    "department": "department",
    "page": "page",
}


def _quote(value: str) -> str:
    """Quote a YAML value so that colons, quotes and leading symbols are safe."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _front_matter(ctype_name: str, title: str, now: datetime.datetime, options: dict[str, str]) -> list[str]:
    """Return the header lines for a new item: required fields filled in or marked."""
    stamp = f"{now:%Y-%m-%d %H:%M}"
    required = "обязательно / required"
    lines = [f"title: {_quote(title)}"]
    if TYPES_BY_NAME[ctype_name].dated:
        lines += [f"date: {stamp}", f"id: {uuid.uuid4()}"]
    department = options.get("department", "")
    fields = {
        "news": [
            f"department: {department}  # {required}: имя файла из content/departments/ без .md",
            "summary: ",
            "tags: []",
            "# image: images/news/photo.jpg",
            "# image_alt: что изображено на фотографии",
            "# teaser: короткий текст для соцсетей",
            "# hashtags: []",
        ],
        "legal_act": [
            f"act_type: {options.get('act_type', '')}  # {required}: {', '.join(ACT_TYPES)}",
            f"number: {_quote(options['number']) if options.get('number') else ''}  # {required}",
            f"adopted: {now:%Y-%m-%d}  # {required}: дата принятия",
            f"act_status: действует  # {required}: {', '.join(ACT_STATUSES)}",
            f"issuer: {department}  # {required}: подразделение, принявшее акт",
            "signed_by: ",
            "published_in: ",
            "# published_on: 2026-01-31",
            "# amends: [postanovlenie-123-2026]",
            "# repeals: []",
            "# attachments:",
            "#   - file: files/acts/document.pdf",
            "#     title: Текст документа (PDF)",
        ],
        "announcement": [
            f"starts: {stamp}  # {required}: начало мероприятия",
            "# ends: 2026-12-31 18:00",
            f"place: {_quote(options['place']) if options.get('place') else ''}  # {required}: адрес",
            f"department: {department}",
            "summary: ",
        ],
        "answer": [
            f"question: {_quote(options['question']) if options.get('question') else ''}  # {required}: вопрос жителя",
            "asked_by: {name: , district: }",
            f"department: {department}",
        ],
        "department": [
            "short_title: ",
            f"parent: {options.get('parent', '')}",
            f"head: {{name: , position: }}  # {required}",
            f"contacts: {{phone: , email: , address: , hours: }}  # {required}",
            "order: 10",
        ],
        "page": ["order: 10"],
    }
    return ["---", *lines, *fields[ctype_name], "---"]


def new_item(
    content: Path, kind: str, title: str, timezone: str, now: datetime.datetime | None = None, **options: str
) -> Path:
    """Create the file for a new item and return its path; never overwrite a file."""
    ctype_name = TYPE_ALIASES.get(kind.lower())
    if ctype_name is None:
        raise ContentError(kind, f"неизвестный тип; допустимы: {', '.join(sorted(set(TYPE_ALIASES)))} / unknown type")
    if not title.strip():
        raise ContentError(kind, "укажите заголовок / give a title", field="title")
    ctype = TYPES_BY_NAME[ctype_name]
    moment = (now or datetime.datetime.now(ZoneInfo(timezone))).astimezone(ZoneInfo(timezone))
    slug = options.pop("slug", "") or slugify(title)
    name = f"{moment:%Y-%m-%d}-{slug}.md" if ctype.dated else f"{slug}.md"
    path = content / ctype.folder / name
    if path.exists():
        raise ContentError(
            str(path), "файл уже существует и не будет перезаписан / the file exists and is not overwritten"
        )
    body = {
        "answer": "Ответ главы.",
        "department": "Полномочия и функции подразделения.",
    }.get(ctype_name, "Текст материала.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write("\n".join(_front_matter(ctype_name, title.strip(), moment, options)) + f"\n{body}\n")
    return path


def check_content(settings_file: str, **overrides: Any) -> list[ContentError]:
    """Check all content as the build would, without writing anything."""
    from pelican import Pelican  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    from .content_model import ContentModelGenerator  # noqa: PLC0415

    settings = read_settings(settings_file, override=overrides)
    pelican = Pelican(settings)  # registers the plugins and loads the municipality
    context = settings.copy()
    context.update({"generated_content": {}, "static_links": set(), "static_content": {}, "localsiteurl": ""})
    generator = ContentModelGenerator(
        context=context,
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=os.devnull,
    )
    del pelican
    return sorted(generator.check(), key=lambda p: (p.severity != "error", p.path, p.line or 0))
