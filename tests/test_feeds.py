"""Feeds that cross-posting scripts, bots and aggregators can rely on."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import icalendar
import pytest

from feed_rules import atom_problems, rss_problems
from ratusha.core.errors import BuildStopped
from support import build, page

NEWS = "news/2026-11-20-remont.md"
FEEDS = [
    "",
    "news/",
    "documents/",
    "announcements/",
    "glava-v-otvete/",
    "departments/zhkh/",
    "departments/administraciya/",
]


def all_feeds(output: Path) -> list[Path]:
    return sorted([*output.rglob("rss.xml"), *output.rglob("atom.xml")])


def by_id(feed: feedparser.FeedParserDict) -> dict[str, feedparser.FeedParserDict]:
    return {entry.id: entry for entry in feed.entries}


def test_every_feed_is_written_and_parses_cleanly(fixture_site: Path) -> None:
    for folder in FEEDS:
        for name in ("rss.xml", "atom.xml"):
            assert (fixture_site / folder / name).is_file(), folder + name
    for path in all_feeds(fixture_site):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version in ("rss20", "atom10")


def test_every_feed_follows_the_rss_and_atom_rules(fixture_site: Path) -> None:
    for path in all_feeds(fixture_site):
        check = rss_problems if path.name == "rss.xml" else atom_problems
        assert check(path.read_bytes()) == [], path


def test_the_rules_catch_what_validators_reject() -> None:
    bad_rss = b"""<rss version="2.0"><channel><title>t</title><link>/x</link><description>d</description>
      <item><title>a</title><link>https://s/a</link><pubDate>2026-11-20</pubDate><guid isPermaLink="false">1</guid>
      <enclosure url="/i.jpg" type="image/jpeg"/><author>Department</author></item>
      <item><title>b</title><link>https://s/b</link><pubDate>Fri, 20 Nov 2026 10:30:00 +1000</pubDate><guid isPermaLink="false">1</guid></item>
    </channel></rss>"""
    problems = rss_problems(bad_rss)
    for expected in ("not absolute", "rel=self", "pubDate", "length", "e-mail", "duplicate guid"):
        assert any(expected in p for p in problems), expected
    bad_atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>t</title><updated>2026-11-20 10:00</updated>
      <entry><id>e</id><title>a</title><updated>2026-11-20T10:00:00+10:00</updated>
        <link href="https://s/a"/><link href="https://s/i.jpg"/><content type="CDATA">x</content></entry></feed>"""
    problems = atom_problems(bad_atom)
    for expected in (
        "feed atom:id",
        "RFC 3339",
        "rel=self",
        "two alternate links",
        "CDATA",
        "no atom:author",
    ):
        assert any(expected in p for p in problems), expected


def test_items_carry_guid_offset_summary_html_image_categories_author(fixture_site: Path) -> None:
    rss = feedparser.parse((fixture_site / "rss.xml").read_bytes())
    entry = by_id(rss)["urn:uuid:11111111-1111-4111-8111-111111111111"]
    assert entry.title == "Капитальный ремонт школы № 5"
    assert entry.link == "https://test.example.ru/news/2026/11/kapitalnyj-remont-shkoly-5/"
    assert entry.published == "Fri, 20 Nov 2026 10:30:00 +1000"
    assert entry.summary == "В школе № 5 завершён капитальный ремонт."
    assert "<strong>капитальный ремонт</strong>" in entry.content[0].value
    (enclosure,) = entry.enclosures
    social = enclosure["href"].removeprefix("https://test.example.ru/")
    assert social.startswith("images/r/school-") and social.endswith("-social.jpg")
    assert enclosure["type"] == "image/jpeg"
    assert enclosure["length"] == str((fixture_site / social).stat().st_size)
    assert [t.term for t in entry.tags] == [
        "Новости",
        "Отдел жилищно-коммунального хозяйства",
        "образование",
        "ремонт",
    ]
    assert entry.author == "Отдел жилищно-коммунального хозяйства"

    atom = feedparser.parse((fixture_site / "atom.xml").read_bytes())
    atom_entry = by_id(atom)["urn:uuid:11111111-1111-4111-8111-111111111111"]
    assert atom_entry.published == "2026-11-20T10:30:00+10:00"
    assert atom_entry.media_content[0]["url"] == enclosure["href"]
    assert atom_entry.media_content[0]["filesize"] == enclosure["length"]
    assert (atom_entry.media_content[0]["width"], atom_entry.media_content[0]["height"]) == ("1200", "630")
    assert [link.rel for link in atom_entry.links] == ["alternate"]


def test_social_fields_pass_through(fixture_site: Path) -> None:
    for name in ("rss.xml", "atom.xml"):
        entries = by_id(feedparser.parse((fixture_site / name).read_bytes()))
        school = entries["urn:uuid:11111111-1111-4111-8111-111111111111"]
        assert school.ratusha_teaser == "Школа № 5 готова к зиме: новые окна и кровля."
        assert school.ratusha_hashtags == "#Тестовый #школа"
        assert "ratusha_crosspost" not in school
        assert entries["urn:uuid:22222222-2222-4222-8222-222222222222"].ratusha_crosspost == "no"


def test_links_and_images_in_the_html_are_absolute(fixture_content: Path, tmp_path: Path) -> None:
    path = fixture_content / NEWS
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n[Документ](/documents/postanovlenie-10-2025/) ![Схема](/images/school.png)\n",
        encoding="utf-8",
    )
    output = build(fixture_content, tmp_path / "output")
    entry = by_id(feedparser.parse((output / "news" / "rss.xml").read_bytes()))[
        "urn:uuid:11111111-1111-4111-8111-111111111111"
    ]
    html = entry.content[0].value
    assert 'href="https://test.example.ru/documents/postanovlenie-10-2025/"' in html
    assert 'src="https://test.example.ru/images/school.png"' in html
    assert rss_problems((output / "news" / "rss.xml").read_bytes()) == []


def test_act_entries_name_the_act_and_link_its_files(fixture_site: Path) -> None:
    entries = feedparser.parse((fixture_site / "documents" / "rss.xml").read_bytes()).entries
    act = next(e for e in entries if e.title.startswith("Постановление от 01.03.2025"))
    assert act.title == "Постановление от 01.03.2025 № 10 «Об утверждении Правил благоустройства»"
    assert 'href="https://test.example.ru/files/postanovlenie-10-2025.pdf"' in act.content[0].value


def test_department_feed_holds_only_its_items(fixture_site: Path) -> None:
    entries = feedparser.parse((fixture_site / "departments" / "zhkh" / "rss.xml").read_bytes()).entries
    assert {e.title for e in entries} == {
        "Капитальный ремонт школы № 5",
        "Когда отремонтируют дорогу на улице Гагарина?",
        "Изменён график приёма граждан",  # withdrawn: it stays in its feeds, marked (docs/feeds.md)
    }


def test_guids_survive_edits_of_title_slug_and_file_name(fixture_content: Path, tmp_path: Path) -> None:
    before = by_id(feedparser.parse((build(fixture_content, tmp_path / "one") / "rss.xml").read_bytes()))
    path = fixture_content / NEWS
    text = path.read_text(encoding="utf-8").replace(
        "title: Капитальный ремонт школы № 5", "title: Завершён ремонт школы № 5\nslug: remont-shkoly"
    )
    path.unlink()
    (fixture_content / "news" / "school-renamed.md").write_text(text, encoding="utf-8")
    after = by_id(feedparser.parse((build(fixture_content, tmp_path / "two") / "rss.xml").read_bytes()))
    assert before.keys() == after.keys()
    edited = after["urn:uuid:11111111-1111-4111-8111-111111111111"]
    assert edited.title == "Завершён ремонт школы № 5"
    assert edited.link.endswith("/news/2026/11/remont-shkoly/")


def test_unchanged_content_gives_byte_identical_feeds(fixture_content: Path, tmp_path: Path) -> None:
    first = build(fixture_content, tmp_path / "one", RATUSHA_BUILD_TIME="2026-11-24T12:00:00")
    copy = tmp_path / "elsewhere" / "content"
    shutil.copytree(fixture_content, copy)
    second = build(copy, tmp_path / "two", RATUSHA_BUILD_TIME="2026-11-25T08:00:00")
    feeds = [p.relative_to(first) for p in [*all_feeds(first), *first.rglob("*.ics")]]
    assert len(feeds) > 10
    for relative in feeds:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_a_duplicate_guid_fails_with_both_file_names(
    fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fixture_content.parent)
    path = fixture_content / "answers" / "doroga.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "40000000-0000-4000-8000-000000000005", "11111111-1111-4111-8111-111111111111"
        ),
        encoding="utf-8",
    )
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "output")
    assert "content/answers/doroga.md" in str(stopped.value)
    assert "content/news/2026-11-20-remont.md" in str(stopped.value)


def test_a_dated_item_without_id_is_refused(fixture_content: Path, tmp_path: Path) -> None:
    path = fixture_content / NEWS
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: 11111111-1111-4111-8111-111111111111\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(BuildStopped, match=r"id: .*required field is missing"):
        build(fixture_content, tmp_path / "output")


def test_announcements_calendar_has_zone_and_stable_uids(fixture_site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((fixture_site / "announcements" / "calendar.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Публичные слушания по бюджету", "Новогодняя ярмарка"]
    fair = events[1]
    assert fair["uid"] == "40000000-0000-4000-8000-000000000004@test.example.ru"
    assert fair.decoded("dtstart").isoformat() == "2026-12-20T10:00:00+10:00"
    assert fair["dtstart"].params["TZID"] == "Asia/Vladivostok"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Vladivostok"
    single = icalendar.Calendar.from_ical(
        (fixture_site / "announcements" / "2026" / "novogodnyaya-yarmarka" / "event.ics").read_bytes()
    )
    assert [str(e["uid"]) for e in single.walk("VEVENT")] == [str(fair["uid"])]


def test_pages_link_their_feeds(fixture_site: Path) -> None:
    dept = page(fixture_site, "/departments/zhkh/")
    assert dept.xpath("//head/link[@rel='alternate'][@type='application/rss+xml']/@href") == [
        "/rss.xml",
        "/departments/zhkh/rss.xml",
    ]
    assert dept.xpath("//main//a[@href='/departments/zhkh/rss.xml']")
    news = page(fixture_site, "/news/")
    assert news.xpath("//main//a[@href='/news/atom.xml']")
    assert page(fixture_site, "/announcements/").xpath("//main//a[@href='/announcements/calendar.ics']")
    home = page(fixture_site, "/")
    assert home.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href") == ["/atom.xml"]
