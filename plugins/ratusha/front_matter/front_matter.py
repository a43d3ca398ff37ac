"""A Markdown reader for YAML front matter that remembers where every field is.

Pelican's Markdown reader and pelican-yaml-metadata report a broken header as "Could not
process" and skip the file; editors then have to guess what is wrong. This reader reads
the header with PyYAML's composer, so every field keeps its line number, and raises
:class:`ContentError` naming the file, line and field for any problem it can see.
"""

from __future__ import annotations

import datetime
import logging
import os
from typing import Any

import yaml
from markdown import Markdown
from pelican import signals
from pelican.readers import BaseReader
from pelican.utils import get_date

from .errors import ContentError
from .sanitize import sanitize
from .transliteration import slugify

__all__ = [
    "ContentError",
    "FrontMatterReader",
    "decode_utf8",
    "display_path",
    "parse_yaml_mapping",
    "register",
    "slugify",
    "split_front_matter",
    "to_datetime",
]

logger = logging.getLogger(__name__)

FENCE = "---"
#: Fields whose string values Pelican itself converts; the rest keep their YAML types.
DATE_FIELDS = ("date", "modified")
#: What an editor should do about the YAML errors they meet most often.
YAML_HINTS = {
    "mapping values are not allowed": "если в значении есть двоеточие, возьмите значение в кавычки / "
    "quote a value that contains ': '",
    "found character '\\t'": "замените табуляцию пробелами / use spaces, not tabs",
    "could not find expected ':'": "каждая строка заголовка — «поле: значение» / each line is 'field: value'",
    "found undefined alias": "значение, начинающееся с *, возьмите в кавычки / quote a value starting with *",
}


def display_path(path: str) -> str:
    """Return ``path`` relative to the working folder when it lies inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def decode_utf8(raw: bytes, path: str) -> str:
    """Decode a content file, refusing anything that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            path,
            f"файл не в кодировке UTF-8 (байт 0x{raw[exc.start]:02x}); "
            "сохраните его как UTF-8 / the file is not UTF-8: save it as UTF-8",
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Split ``text`` into (front matter, body, line number of the first body line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(
            path,
            "нет заголовка YAML: файл должен начинаться со строки '---' / "
            "no YAML front matter: the file must start with a line '---'",
            line=1,
        )
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FENCE:
            return "".join(lines[1 : number - 1]), "".join(lines[number:]), number + 1
    raise ContentError(
        path,
        "заголовок YAML не закрыт строкой '---' / the front matter has no closing '---'",
        line=1,
    )


def _field_lines(node: yaml.Node, offset: int, prefix: str = "") -> dict[str, int]:
    """Map dotted field paths ('contacts.phone', 'attachments.0.file') to line numbers."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            lines[name] = key.start_mark.line + offset
            lines.update(_field_lines(value, offset, f"{name}."))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            name = f"{prefix}{index}"
            lines[name] = value.start_mark.line + offset
            lines.update(_field_lines(value, offset, f"{name}."))
    return lines


def _duplicate_keys(node: yaml.Node, path: str, offset: int) -> None:
    """Refuse repeated keys, which YAML would otherwise resolve silently (last wins)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                raise ContentError(
                    path,
                    "поле указано дважды / the field is given twice",
                    line=key.start_mark.line + offset,
                    field=str(key.value),
                )
            seen.add(key.value)
            _duplicate_keys(value, path, offset)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            _duplicate_keys(value, path, offset)


#: libyaml's loader is ~10 times faster than the pure-Python one and gives the same nodes,
#: marks and values; a 10,000-item build spent 7 % of its time in YAML (bench/PROFILE.md).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _parse_fast(front: str, path: str, offset: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse well-formed front matter with libyaml; raise on any problem, to be re-read slowly."""
    if _FAST_LOADER is None:
        raise yaml.YAMLError("libyaml is not available")
    loader = _FAST_LOADER(front)
    try:
        node = loader.get_single_node()
        if node is None:
            raise yaml.YAMLError("empty")
        _duplicate_keys(node, path, offset)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise yaml.YAMLError("not a mapping")
    return data, _field_lines(node, offset)


def parse_yaml_mapping(front: str, path: str, offset: int = 2) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a YAML mapping, returning its fields and the line of each field.

    ``offset`` is the file line of the text's first line: 2 for a front matter, which
    starts after the opening fence, 1 for a whole data file.
    """
    try:
        return _parse_fast(front, path, offset)
    except (yaml.YAMLError, ContentError):
        pass  # read again with the pure-Python loader, whose messages the hints are written for
    loader = yaml.SafeLoader(front)
    try:
        node = loader.get_single_node()
        if node is not None:
            _duplicate_keys(node, path, offset)
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        started = ""
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != mark.line:
            line = exc.context_mark.line + offset
            started = f" (начало в строке {line} / {exc.context} started on line {line})"
        problem = exc.problem or exc.context or ""
        hint = next((f"; {h}" for key, h in YAML_HINTS.items() if key in problem), "")
        raise ContentError(
            path,
            f"ошибка в YAML / broken YAML: {problem}{started}{hint}",
            line=mark.line + offset if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"ошибка в YAML / broken YAML: {exc}", line=offset) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ContentError(
            path,
            "заголовок должен состоять из строк «поле: значение» / "
            "the front matter must be a list of 'field: value' lines",
            line=offset,
        )
    return data, _field_lines(node, offset)


def to_datetime(value: Any, path: str, field: str, line: int | None) -> datetime.datetime:
    """Convert a YAML date, date-time or string to a (naive or aware) datetime."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value.strip():
        try:
            return get_date(value.strip())
        except (ValueError, OverflowError):
            pass
    raise ContentError(
        path,
        f"не удаётся прочитать дату {value!r}: пишите ГГГГ-ММ-ДД или ГГГГ-ММ-ДД ЧЧ:ММ / "
        f"cannot read the date {value!r}: use YYYY-MM-DD or YYYY-MM-DD HH:MM",
        line=line,
        field=field,
    )


class FrontMatterReader(BaseReader):
    """Read Markdown with a YAML header into Pelican content and metadata."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        config = dict(settings["MARKDOWN"])
        config["extensions"] = [ext for ext in config.get("extensions", []) if ext != "markdown.extensions.meta"]
        self._md = Markdown(**config)

    def render(self, text: str) -> str:
        """Render Markdown to HTML with the site's extensions, reduced to the allow-list."""
        self._md.reset()
        return sanitize(self._md.convert(text), self.settings.get("RATUSHA_EMBED_HOSTS", ()))

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Return (HTML body, metadata) for one file, or raise ContentError."""
        path = display_path(source_path)
        with open(source_path, "rb") as handle:
            text = decode_utf8(handle.read(), path)
        front, body, _ = split_front_matter(text, path)
        data, lines = parse_yaml_mapping(front, path)

        metadata: dict[str, Any] = {}
        for key, value in data.items():
            name = str(key).lower()
            line = lines.get(str(key))
            if name in DATE_FIELDS:
                value = to_datetime(value, path, name, line)
            elif name == "summary" and isinstance(value, str):
                value = self.render(value)
            elif name in ("tags", "status", "slug"):
                if name != "tags":
                    value = str(value)
                value = self.process_metadata(name, value)
            metadata[name] = value
        if "slug" not in metadata and isinstance(metadata.get("title"), str):
            metadata["slug"] = slugify(metadata["title"])
        metadata["field_lines"] = {k.lower(): v for k, v in lines.items()}
        return self.render(body), metadata


def add_reader(readers: Any) -> None:
    """Use this reader for Markdown files."""
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader


def register() -> None:
    """Replace Pelican's Markdown reader with the front-matter reader."""
    signals.readers_init.connect(add_reader)
