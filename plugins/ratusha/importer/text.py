"""Reading what old portals print: Russian dates, act titles, department names, addresses."""

from __future__ import annotations

import datetime
import hashlib
import re
import urllib.parse
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ratusha.core.acts import ACT_TYPES

__all__ = [
    "ActAttributes",
    "local_datetime",
    "name_key",
    "old_address",
    "parse_act_title",
    "parse_date",
    "source_id",
]

MONTHS = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
_TIME = r"(?:[\sT,в]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?)?"
_NUMERIC = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + _TIME)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})" + _TIME)
_WORDS = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})(?:\s*г(?:ода|\.)?)?" + _TIME,
    re.IGNORECASE,
)


def parse_date(text: str) -> datetime.datetime | datetime.date | None:
    """Return the first date (with its time, if printed) in ``text``: 12.03.2025 14:30, 12 марта 2025, ISO.

    An ISO string with an offset (``<time datetime>``, feeds) comes back aware; a date printed
    for people comes back naive, in the municipality's local time, as the old site showed it.
    """
    text = " ".join(str(text or "").split())
    if not text:
        return None
    try:  # a machine-readable value: <time datetime="2025-03-12T14:30:00+06:00">
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed if (parsed.hour, parsed.minute, parsed.tzinfo) != (0, 0, None) or "T" in text else parsed.date()
    for pattern in (_NUMERIC, _WORDS, _ISO):
        match = pattern.search(text)
        if not match:
            continue
        month = match["month"]
        month_number = MONTHS[month.lower()] if not month.isdigit() else int(month)
        try:
            day = datetime.date(int(match["year"]), month_number, int(match["day"]))
            if match["hour"] is None:
                return day
            return datetime.datetime(day.year, day.month, day.day, int(match["hour"]), int(match["minute"]))
        except ValueError:  # 31.02.2025: not a date
            continue
    return None


def local_datetime(value: datetime.datetime | datetime.date, timezone: ZoneInfo) -> str:
    """Return ``value`` as front matter writes it, in the municipality's time zone."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def name_key(name: str) -> str:
    """Return a department name as the mapping table compares it: case, quotes and spaces aside."""
    text = str(name or "").replace("ё", "е").replace("Ё", "Е")
    text = re.sub(r"[«»\"'“”„]", "", text)
    return " ".join(text.split()).casefold().strip(" .:;,")


def _split(address: str) -> urllib.parse.SplitResult:
    return urllib.parse.urlsplit(str(address).strip())


def source_id(address: str) -> str:
    """Return the stable ``id`` of the item found at ``address``: the same address, the same id.

    The scheme, ``www.``, the letter case of the host, a fragment and the order of the query's
    parameters do not change it, so re-importing over https what was read over http updates
    the items instead of duplicating them.
    """
    parts = _split(address)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = urllib.parse.unquote(parts.path or "/")
    query = "&".join(sorted(urllib.parse.unquote(parts.query).split("&"))) if parts.query else ""
    digest = hashlib.sha256(f"{host}{path}?{query}".encode()).hexdigest()
    return f"import-{digest[:20]}"


def old_address(address: str) -> str | None:
    """Return the site-relative address the ledger keeps for ``address`` (None if it has none).

    The path is decoded, as nginx's ``$uri`` is; the query string stays as it was sent, as
    nginx's ``$args`` is (Bitrix's ``detail.php?ID=…`` addresses).
    """
    parts = _split(address)
    path = urllib.parse.unquote(parts.path or "/")
    if not path.startswith("/") or any(char in path for char in "\t\r\n"):
        return None
    if path == "/" and not parts.query:
        return None  # the old home page is the new home page
    return path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class ActAttributes:
    """What an act's title says about it when the source has no fields for it."""

    act_type: str
    number: str
    adopted: datetime.date
    title: str


#: Stems of the act types as titles print them (any case, any grammatical form).
_TYPE_STEMS = {
    "постановлени": "постановление",
    "распоряжени": "распоряжение",
    "решени": "решение",
    "приказ": "приказ",
    "регламент": "регламент",
    "программ": "программа",
}
assert set(_TYPE_STEMS.values()) <= set(ACT_TYPES)
_TYPE = re.compile(r"\b(" + "|".join(_TYPE_STEMS) + r")[а-я]*", re.IGNORECASE)
_NUMBER = re.compile(r"(?:№|N|No\.?)\s*(?P<number>[0-9А-Яа-яA-Za-z][0-9А-Яа-яA-Za-z/\-.]*[0-9А-Яа-яA-Za-z]|\d)")
_QUOTED = re.compile(r"«(?P<title>.+)»\s*$|\"(?P<plain>.+)\"\s*$")


def parse_act_title(title: str) -> ActAttributes | None:
    """Return the type, number and adoption date an act's title prints, or None if one is missing.

    Understands the usual forms: «Постановление от 12.03.2025 № 245 «Об …»», «Распоряжение
    № 45-р от 5 марта 2025 г. О …», «Решение Совета депутатов от 01.02.2024 N 12/3».
    """
    text = " ".join(str(title or "").split())
    kind = _TYPE.search(text)
    number = _NUMBER.search(text)
    if not kind or not number:
        return None
    adopted = parse_date(text[kind.end() :])
    if isinstance(adopted, datetime.datetime):
        adopted = adopted.date()
    if adopted is None:
        return None
    act_type = _TYPE_STEMS[kind.group(1).lower()]
    rest = text
    quoted = _QUOTED.search(text)
    if quoted:
        rest = quoted["title"] or quoted["plain"]
    else:  # the words after the number (and the date, when it comes last)
        tail = text[number.end() :]
        tail = re.sub(r"^\s*(от\s+)?(\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s+[а-я]+\s+\d{4})(\s*г(ода|\.)?)?", "", tail)
        rest = tail.strip(" .,-—:") or text
    return ActAttributes(act_type, number["number"].strip("."), adopted, rest[:1].upper() + rest[1:])
