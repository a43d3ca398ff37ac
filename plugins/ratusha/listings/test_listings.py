"""List pages: home, news, announcements and their archive, the weekly column, search and 404."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from ratusha.listings import WeeklyIssue, split_announcements, weekly_issues
from ratusha.testing import build, copy_fixture, edit, page, paginated

ZONE = ZoneInfo("Asia/Vladivostok")


def at(day: int, hour: int = 12, month: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=ZONE)


def headings(tree, xpath: str) -> list[str]:
    return [" ".join(h.text_content().split()) for h in tree.xpath(xpath)]


def test_answers_are_grouped_by_the_week_they_were_given() -> None:
    answers = [SimpleNamespace(date=at(day), name=day) for day in (24, 22, 16, 10)]
    issues = weekly_issues(answers)  # Monday 23, Monday 16, Monday 9 November 2026
    assert [issue.monday for issue in issues] == [datetime.date(2026, 11, d) for d in (23, 16, 9)]
    assert [[a.name for a in issue.answers] for issue in issues] == [[24], [22, 16], [10]]
    assert issues[1].sunday == datetime.date(2026, 11, 22)
    assert issues[1].anchor == "vypusk-2026-47"


def test_an_issue_is_named_after_its_iso_week() -> None:
    assert WeeklyIssue(datetime.date(2026, 12, 28)).anchor == "vypusk-2026-53"
    assert WeeklyIssue(datetime.date(2027, 1, 4)).anchor == "vypusk-2027-01"


def test_an_event_is_past_once_it_has_ended() -> None:
    fair = SimpleNamespace(starts=at(24, 10), ends=at(24, 16))
    concert = SimpleNamespace(starts=at(25, 19), ends=None)
    meeting = SimpleNamespace(starts=at(20, 15), ends=None)
    hearing = SimpleNamespace(starts=at(10, 15), ends=None)
    events = [meeting, fair, concert, hearing]
    assert split_announcements(events, at(24, 12)) == ([fair, concert], [meeting, hearing])
    assert split_announcements(events, at(24, 17)) == ([concert], [fair, meeting, hearing])


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with answers in three weeks (one issue a page), one news item on the home page,
    the older news item pinned, the newer one urgent until the day after the build and the
    fair urgent until three hours before it."""
    folder = tmp_path_factory.mktemp("listings")
    content = copy_fixture(folder)
    edit(content / "news" / "2026-11-20-remont.md", "department: zhkh\n", "department: zhkh\npinned: true\n")
    edit(
        content / "news" / "2026-11-21-otoplenie.md",
        "no_crosspost: true\n",
        "no_crosspost: true\nurgent: true\nurgent_until: 2026-11-25 12:00\n",
    )
    edit(content / "announcements" / "yarmarka.md", "place:", "urgent: true\nurgent_until: 2026-11-24 09:00\nplace:")
    for day, slug in ((3, "svet"), (10, "voda")):
        (content / "answers" / f"{slug}.md").write_text(
            f"---\nid: 40000000-0000-4000-8000-0000000001{day:02d}\ntitle: Вопрос {day} ноября\n"
            f"date: 2026-11-{day:02d} 12:00\nquestion: Когда?\n---\nСкоро.\n",
            encoding="utf-8",
        )
    return build(content, folder / "output", RATUSHA_HOME_LATEST=1, PAGINATED_TEMPLATES=paginated(answers=1))


def test_the_column_shows_one_issue_after_another(busy: Path) -> None:
    first, last = page(busy, "/glava-v-otvete/"), page(busy, "/glava-v-otvete/page/3/")
    assert headings(first, "//section[@class='r-issue']/h2") == ["Выпуск 16 ноября 2026 — 22 ноября 2026"]
    assert headings(last, "//section[@class='r-issue']/h2") == ["Выпуск 2 ноября 2026 — 8 ноября 2026"]
    assert headings(last, "//section[@class='r-issue']//h3") == ["Вопрос 3 ноября"]


def test_the_home_page_shows_pinned_news_first_and_as_many_as_configured(busy: Path, fixture_site: Path) -> None:
    assert headings(page(busy, "/"), "//section[@class='r-home__news']//h3") == ["Капитальный ремонт школы № 5"]
    assert headings(page(fixture_site, "/"), "//section[@class='r-home__news']//h3") == [
        "Отопительный сезон идёт штатно",
        "Капитальный ремонт школы № 5",
    ]


def test_an_urgent_item_is_a_banner_on_every_page_until_it_ends(busy: Path, fixture_site: Path) -> None:
    for url in ("/", "/about/", "/documents/", "/404.html"):
        banner = page(busy, url).xpath("//section[@class='r-urgent']")
        assert banner and "Отопительный сезон идёт штатно" in banner[0].text_content(), url
        assert "ярмарка" not in banner[0].text_content(), url
        assert not page(fixture_site, url).xpath("//section[@class='r-urgent']"), url


def test_news_are_listed_newest_first(fixture_site: Path) -> None:
    assert headings(page(fixture_site, "/news/"), "//main//article//h2") == [
        "Отопительный сезон идёт штатно",
        "Капитальный ремонт школы № 5",
    ]


def test_announcements_are_split_at_the_build_time(fixture_content: Path, tmp_path: Path) -> None:
    later = build(fixture_content, tmp_path / "output", RATUSHA_BUILD_TIME="2026-12-21T09:00:00")
    assert headings(page(later, "/announcements/"), "//article[@class='r-event']//h2") == []
    assert headings(page(later, "/announcements/archive/"), "//article[@class='r-event']//h2") == [
        "Новогодняя ярмарка",
        "Публичные слушания по бюджету",
    ]


def test_the_search_and_404_pages_are_written(fixture_site: Path) -> None:
    assert page(fixture_site, "/search/").xpath("//form[@role='search'] | //main//form")
    missing = page(fixture_site, "/404.html")
    assert "Страница не найдена" in missing.xpath("string(//h1)")
    assert missing.xpath("//link[@rel='stylesheet']/@href")[0].startswith("/")  # absolute: served at any address
