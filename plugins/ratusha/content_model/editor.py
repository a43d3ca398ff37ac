"""What editors run besides the build: a new item from a template, and a content check.

Both use the same schema and checks as the build (``invoke new`` writes the fields the
schema says a new file shows, ``Field.new``, every required one among them; ``invoke
check`` is the first half of a build without the writing), so a file that passes the
check builds.
"""

from __future__ import annotations

import datetime
import os
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ratusha.core.errors import ContentError
from ratusha.core.slugs import slugify
from ratusha.core.text import did_you_mean

from .schema import TYPES_BY_NAME, Field

#: How a new file marks a field the editor must fill in.
REQUIRED = "обязательно / required"

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


def _field_lines(spec: Field, values: dict[str, str]) -> list[str]:
    """Return the lines of one field in a new file, as its schema entry says (``Field.new``)."""
    if spec.new.startswith("#"):  # an example, commented out
        first, *more = spec.new[1:].split("\n")
        return [f"# {spec.name}: {first.strip()}".rstrip(), *more]
    line = f"{spec.name}: {spec.new.format(**values)}"
    if spec.required:
        hint = spec.hint.format(choices=", ".join(spec.choices))
        line += f"  # {REQUIRED}" + (f": {hint}" if hint else "")
    return [line]


def _front_matter(ctype_name: str, title: str, now: datetime.datetime, options: dict[str, str]) -> list[str]:
    """Return the header lines for a new item: required fields filled in or marked."""
    ctype = TYPES_BY_NAME[ctype_name]
    stamp = f"{now:%Y-%m-%d %H:%M}"
    lines = [f"title: {_quote(title)}"]
    if ctype.dated:
        lines += [f"date: {stamp}", f"id: {uuid.uuid4()}"]
    values = {key: options.get(key, "") for key in ("department", "parent", "act_type")}
    values.update({key: _quote(options[key]) if options.get(key) else "" for key in ("number", "place", "question")})
    values.update(today=f"{now:%Y-%m-%d}", now=stamp)
    for spec in (*ctype.fields, *ctype.new_fields):
        if spec.new is not None:
            lines += _field_lines(spec, values)
    return ["---", *lines, "---"]


#: The types as an editor is told of them.
TYPE_NAMES = {
    "news": "новость",
    "act": "правовой акт",
    "announcement": "анонс",
    "answer": "«Глава в ответе»",
    "department": "подразделение",
    "page": "страница",
}


def new_usage(kind: str = "") -> str:
    """Return the Russian (and English) help for ``invoke new`` called without a type or title."""
    missing = "тип и заголовок" if not kind.strip() else "заголовок"
    missing_en = "the type and the title" if not kind.strip() else "the title"
    types = "\n".join(f"  {name:<13}{what}" for name, what in TYPE_NAMES.items())
    return (
        f"Не указан {missing}. / Missing: {missing_en}.\n"
        'Как создать материал: invoke new ТИП "Заголовок" [--department=имя]\n'
        '  (или: make new TYPE=news TITLE="Заголовок" DEPARTMENT=имя)\n'
        f"ТИП — один из:\n{types}\n"
        "--department — имя файла подразделения из content/departments/ без .md (для новости, акта,\n"
        "анонса и ответа); --parent — вышестоящее подразделение для нового подразделения.\n"
        'Пример: invoke new news "Открыт каток на улице Юбилейной" --department=kultura\n'
        "Все параметры / every option: invoke --help new"
    )


def known_departments(content: Path) -> list[str]:
    """Return the departments' slugs: their files' names, or the ``slug:`` a file sets."""
    slugs = []
    for path in sorted((content / TYPES_BY_NAME["department"].folder).glob("*.md")):
        slug = path.stem
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[1:40]:
            if line.strip() == "---":
                break
            if line.startswith("slug:"):
                slug = line.partition(":")[2].strip().strip("\"'") or slug
        slugs.append(slug)
    return slugs


def _check_department(content: Path, option: str, slug: str) -> None:
    """Refuse a department that does not exist, suggesting the closest (a typo would fail the check later)."""
    known = known_departments(content)
    if slug in known:
        return
    hint = did_you_mean(slug, known)
    raise ContentError(
        f"--{option.replace('_', '-')}",
        f"нет подразделения {slug!r} в content/{TYPES_BY_NAME['department'].folder}/"
        f"{'' if hint else ' (есть: ' + ', '.join(known) + ')'} / unknown department{hint}",
    )


def new_item(
    content: Path, kind: str, title: str, timezone: str, now: datetime.datetime | None = None, **options: str
) -> Path:
    """Create the file for a new item and return its path; never overwrite a file."""
    ctype_name = TYPE_ALIASES.get(kind.lower())
    if ctype_name is None:
        hint = did_you_mean(kind.lower(), list(TYPE_ALIASES))
        allowed = ", ".join(f"{name} ({what})" for name, what in TYPE_NAMES.items())
        raise ContentError(kind, f"неизвестный тип; допустимы: {allowed} / unknown type{hint}")
    if not title.strip():
        raise ContentError(kind, "укажите заголовок / give a title", field="title")
    ctype = TYPES_BY_NAME[ctype_name]
    for option in ("department", "parent"):
        if options.get(option):
            _check_department(content, option, options[option].strip())
    moment = (now or datetime.datetime.now(ZoneInfo(timezone))).astimezone(ZoneInfo(timezone))
    slug = options.pop("slug", "") or slugify(title)
    name = f"{moment:%Y-%m-%d}-{slug}.md" if ctype.dated else f"{slug}.md"
    path = content / ctype.folder / name
    if path.exists():
        raise ContentError(
            str(path), "файл уже существует и не будет перезаписан / the file exists and is not overwritten"
        )
    body = ctype.new_body
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
