"""Russian dates, independent of the machine's locale (templates, feeds, structured data).

Pelican formats dates with ``strftime``, which follows the locale of the machine that
builds the site ("November" on a CI runner). These functions format with Babel's CLDR
data instead, so "24 ноября 2026" comes out the same everywhere.

The ``ru_dates`` plugin gives them to templates as filters: ``ru_date`` (24 ноября 2026),
``ru_datetime`` (24 ноября 2026, 10:30), ``ru_time`` (10:30), ``ru_month`` (ноябрь 2026),
``iso`` (2026-11-24T10:30:00+06:00), ``ru_plural`` (1 новость, 2 новости, 5 новостей).
"""

from __future__ import annotations

import datetime

from babel.dates import get_month_names

__all__ = ["FILTERS", "iso", "ru_date", "ru_datetime", "ru_month", "ru_plural", "ru_time"]

LOCALE = "ru_RU"
#: CLDR's month names: "ноября" in a date (format), "ноябрь" alone (stand-alone). Babel's
#: ``format_date`` parses its pattern and looks the names up on every call, a tenth of the
#: time of rendering a news page; its patterns "d MMMM y" and "LLLL y" are these, as
#: ``test_dates_read_as_babel_formats_them`` checks day by day.
_MONTHS = get_month_names("wide", context="format", locale=LOCALE)
_MONTHS_ALONE = get_month_names("wide", context="stand-alone", locale=LOCALE)


def ru_date(value: datetime.date | datetime.datetime | None) -> str:
    """Return '24 ноября 2026'."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month]} {value.year}"


def ru_datetime(value: datetime.datetime | None) -> str:
    """Return '24 ноября 2026, 10:30' in the value's own time zone."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        return ru_date(value)
    return f"{ru_date(value)}, {ru_time(value)}"


def ru_time(value: datetime.datetime) -> str:
    """Return '10:30'."""
    return f"{value.hour:02d}:{value.minute:02d}"


def ru_month(value: datetime.date | datetime.datetime) -> str:
    """Return 'ноябрь 2026' (the standalone, nominative month name)."""
    return f"{_MONTHS_ALONE[value.month]} {value.year}"


def iso(value: datetime.date | datetime.datetime | None) -> str:
    """Return an ISO 8601 string for <time datetime> and structured data."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.microsecond:
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def ru_plural(count: int, one: str, few: str, many: str) -> str:
    """Return the count with the Russian plural form: 1 новость, 2 новости, 5 новостей."""
    if count % 10 == 1 and count % 100 != 11:
        word = one
    elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        word = few
    else:
        word = many
    return f"{count} {word}"


FILTERS = {
    "ru_date": ru_date,
    "ru_datetime": ru_datetime,
    "ru_time": ru_time,
    "ru_month": ru_month,
    "iso": iso,
    "ru_plural": ru_plural,
}
