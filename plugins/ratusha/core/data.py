"""Reading the files editors write: UTF-8 text and YAML that remembers where each field is.

Every message about bad content names the file, line and field, so the YAML is read with
PyYAML's composer (each node keeps its line) and its errors are turned into
:class:`~ratusha.core.errors.ContentError` with a hint for the mistakes editors make most.
Used by the front-matter reader, the municipality data file and the checks.
"""

from __future__ import annotations

import datetime
import os
import re
from typing import Any

import yaml
from pelican.utils import SafeDatetime, get_date

from .errors import ContentError

__all__ = ["decode_utf8", "display_path", "localise", "parse_yaml_mapping", "to_datetime"]

#: What an editor should do about the YAML errors they meet most often, by PyYAML's problem:
#: (in Russian, in English).
YAML_HINTS = {
    "mapping values are not allowed": (
        "в значении есть двоеточие с пробелом: возьмите всё значение в кавычки "
        "(или строка сдвинута пробелами, а сдвигать её нельзя)",
        "quote a value that contains ': '",
    ),
    "found character '\\t'": ("в начале строки табуляция: замените её пробелами", "use spaces, not tabs"),
    "could not find expected ':'": ("каждая строка заголовка — «поле: значение»", "each line is 'field: value'"),
    "found undefined alias": ("значение, начинающееся с *, возьмите в кавычки", "quote a value starting with *"),
    "expected <block end>, but found '<scalar>'": (
        "после закрывающей кавычки есть ещё текст: возьмите в кавычки всё значение",
        "text after a closing quote",
    ),
    "expected <block end>, but found": (
        "строка не похожа на «поле: значение»: проверьте отступ в её начале",
        "each line is 'field: value', not indented",
    ),
}
#: What is left open, by PyYAML's context (the construct it was reading): the hint names the
#: line and column where it opened, which is where the editor has to look.
YAML_UNCLOSED = {
    "while scanning a quoted scalar": "кавычка, открытая в строке {line} (позиция {column}), не закрыта: "
    "поставьте такую же кавычку в конце значения",
    "while parsing a flow sequence": "список «[», открытый в строке {line} (позиция {column}), не закрыт: "
    "поставьте «]» в конце списка",
    "while parsing a flow mapping": "скобка «{{», открытая в строке {line} (позиция {column}), не закрыта: "
    "поставьте «}}» в конце",
}


def _yaml_message(exc: yaml.MarkedYAMLError, offset: int) -> tuple[str, int | None]:
    """Return an editor's message for a YAML error, in Russian first, and the line to point at.

    PyYAML's own words are kept after the slash, with the line and column (counted from 1,
    as editors count them) of both where it stopped and where the unclosed construct began.
    """
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + offset if mark else None
    column = mark.column + 1 if mark else None
    problem = exc.problem or exc.context or ""
    english = problem + (f" (line {line}, column {column})" if mark else "")
    started = exc.context_mark if exc.context and exc.context_mark and exc.context_mark is not mark else None
    if started is not None:
        english += f", {exc.context} started on line {started.line + offset}, column {started.column + 1}"
    unclosed = YAML_UNCLOSED.get(exc.context or "") if started is not None else None
    if unclosed is not None:
        russian = unclosed.format(line=started.line + offset, column=started.column + 1)
        return f"ошибка в YAML: {russian} / broken YAML: {english}", started.line + offset
    hint = next((h for key, h in YAML_HINTS.items() if key in problem), None)
    if hint is None:
        where = f" в строке {line}, позиция {column}" if mark else ""
        return f"ошибка в YAML{where}: проверьте кавычки, скобки и отступы / broken YAML: {english}", line
    return f"ошибка в YAML: {hint[0]} (позиция {column}) / broken YAML: {english}; {hint[1]}", line


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
#: A naive ISO date or date-time (``2026-03-29``, ``2026-03-29 10:00``, ``2026-03-29T10:00:30``):
#: read by ``datetime.fromisoformat``; anything else goes to Pelican's dateutil parser.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")


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
        message, line = _yaml_message(exc, offset)
        raise ContentError(path, message, line=line) from None
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


def localise(moment: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """Return ``moment`` in ``zone``: a naive one is taken to be written in it (as editors write times)."""
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def to_datetime(value: Any, path: str, field: str, line: int | None) -> datetime.datetime:
    """Convert a YAML date, date-time or string to a (naive or aware) datetime."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value.strip():
        try:
            if ISO_DATE.fullmatch(value.strip()):  # as editors write them: dateutil's result, 30 times faster
                return SafeDatetime.fromisoformat(value.strip())
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
