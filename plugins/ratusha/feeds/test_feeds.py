"""RSS, Atom and iCalendar per section and department: stable ids, limits, absolute URLs."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import feedparser
import icalendar
import pytest

from ratusha.core.sections import SECTIONS
from ratusha.feeds import entry_guid
from ratusha.testing import FIXTURE, build

MIRROR = "https://mirror.example.org"


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with one entry a feed, published under another address."""
    folder = tmp_path_factory.mktemp("feeds")
    return build(FIXTURE, folder / "output", RATUSHA_FEED_LIMIT=1, RATUSHA_FEED_SITE_URL=MIRROR)


def parsed(output: Path, relative: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((output / relative).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_an_items_id_becomes_a_urn_and_anything_else_a_tag_uri() -> None:
    item = SimpleNamespace(guid="11111111-1111-4111-8111-111111111111")
    assert entry_guid(item, "https://test.example.ru") == "urn:uuid:11111111-1111-4111-8111-111111111111"
    assert entry_guid(SimpleNamespace(guid="news-17"), "https://test.example.ru") == "tag:test.example.ru,2026:news-17"


def test_each_section_and_department_has_both_feeds(fixture_site: Path) -> None:
    folders = [
        "",
        *(section.url for section in SECTIONS.values() if section.in_feeds),
        "departments/zhkh/",
        "departments/administraciya/",
    ]
    for folder in folders:
        for name in ("rss.xml", "atom.xml"):
            assert parsed(fixture_site, folder + name).entries, folder + name


def test_a_section_feed_holds_its_type_only(fixture_site: Path) -> None:
    titles = {entry.title for entry in parsed(fixture_site, "announcements/rss.xml").entries}
    assert titles == {"Публичные слушания по бюджету", "Новогодняя ярмарка"}
    everything = {entry.title for entry in parsed(fixture_site, "rss.xml").entries}
    assert {"Капитальный ремонт школы № 5", "Новогодняя ярмарка"} <= everything
    assert "Черновик новости" not in everything and "Запланированная новость" not in everything


def test_the_limit_keeps_the_newest_entries(limited: Path) -> None:
    for name in ("rss.xml", "atom.xml", "news/rss.xml", "departments/zhkh/atom.xml"):
        assert len(parsed(limited, name).entries) == 1, name
    (newest,) = parsed(limited, "news/rss.xml").entries
    assert newest.title == "Отопительный сезон идёт штатно"  # 21 November, after the school's 20th


def test_the_feed_site_url_is_the_base_of_every_link(limited: Path) -> None:
    feed = parsed(limited, "news/atom.xml")
    assert feed.feed.id == f"{MIRROR}/news/"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"{MIRROR}/news/atom.xml"]
    (entry,) = feed.entries
    assert entry.link == f"{MIRROR}/news/2026/11/otopitelnyj-sezon-idyot-shtatno/"
    calendar = icalendar.Calendar.from_ical((limited / "announcements" / "calendar.ics").read_bytes())
    assert {str(event["uid"]).split("@")[1] for event in calendar.walk("VEVENT")} == {"mirror.example.org"}


def test_each_announcement_has_its_own_calendar_file(fixture_site: Path) -> None:
    single = icalendar.Calendar.from_ical(
        (fixture_site / "announcements" / "2026" / "publichnye-slushaniya-po-byudzhetu" / "event.ics").read_bytes()
    )
    (event,) = single.walk("VEVENT")
    assert str(event["summary"]) == "Публичные слушания по бюджету"
    assert event.decoded("dtstart").isoformat() == "2026-10-15T15:00:00+10:00"
