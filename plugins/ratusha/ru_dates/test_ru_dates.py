"""Russian dates do not depend on the machine's locale."""

from __future__ import annotations

import datetime
import locale
from zoneinfo import ZoneInfo

import pytest

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
