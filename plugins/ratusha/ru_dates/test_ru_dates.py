"""Russian dates do not depend on the machine's locale."""

from __future__ import annotations

import datetime
import locale
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from ratusha.core.dates import iso, ru_date, ru_datetime, ru_month, ru_plural


def test_dates_are_russian_whatever_the_locale() -> None:
    previous = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, "C")
        assert ru_date(datetime.date(2026, 11, 24)) == "24 ноября 2026"
    finally:
        locale.setlocale(locale.LC_TIME, previous)


@pytest.mark.parametrize(("month", "genitive"), [(1, "января"), (3, "марта"), (5, "мая"), (8, "августа")])
def test_month_names_are_genitive_in_dates(month: int, genitive: str) -> None:
    assert ru_date(datetime.date(2026, month, 1)) == f"1 {genitive} 2026"


def test_datetime_keeps_its_own_zone() -> None:
    moment = datetime.datetime(2026, 11, 24, 10, 5, tzinfo=ZoneInfo("Asia/Vladivostok"))
    assert ru_datetime(moment) == "24 ноября 2026, 10:05"
    assert iso(moment) == "2026-11-24T10:05:00+10:00"
    assert ru_month(moment) == "ноябрь 2026"


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "1 новость"),
        (2, "2 новости"),
        (5, "5 новостей"),
        (11, "11 новостей"),
        (21, "21 новость"),
        (104, "104 новости"),
    ],
)
def test_plural_forms(count: int, text: str) -> None:
    assert ru_plural(count, "новость", "новости", "новостей") == text


def test_dates_read_as_babel_formats_them() -> None:
    """The month names come from Babel's CLDR data: every day of 30 years as format_date writes it."""
    day = datetime.date(2000, 1, 1)
    while day.year < 2030:
        assert ru_date(day) == format_date(day, "d MMMM y", locale="ru_RU")
        assert ru_month(day) == format_date(day, "LLLL y", locale="ru_RU")
        day += datetime.timedelta(days=1)
    moment = datetime.datetime(2026, 11, 24, 23, 30, 15, 500, tzinfo=ZoneInfo("Asia/Omsk"))
    assert ru_date(moment) == "24 ноября 2026" and ru_month(moment) == "ноябрь 2026"
    assert iso(moment) == "2026-11-24T23:30:15+06:00" and iso(moment.replace(microsecond=0)) == iso(moment)
