"""Corrections and withdrawals as residents, feed readers and cross-posting see them (docs/feeds.md)."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from ratusha.content_model.editor import check_content
from support import ROOT, build, page

NEWS = "news/2026-11-20-remont.md"
WITHDRAWN = "withdrawn:\n  date: 2026-11-23 10:00\n  reason: Сроки ремонта перенесены, сведения устарели\n"


def add_field(content: Path, relative: str, line: str) -> None:
    """Put ``line`` into the front matter of a file, before its closing fence."""
    path = content / relative
    head, fence, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(f"{head}\n{line.rstrip()}{fence}{body}", encoding="utf-8")


def entry(output: Path, feed: str, title: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((output / feed).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    found = [e for e in parsed.entries if e.title == title]
    assert found, f"{title!r} is not in {feed}"
    return found[0]


@pytest.fixture
def withdrawn_site(fixture_content: Path, tmp_path: Path) -> tuple[Path, Path]:
    before = build(fixture_content, tmp_path / "before")
    add_field(fixture_content, NEWS, WITHDRAWN)
    return before, build(fixture_content, tmp_path / "after")


def test_a_withdrawn_item_keeps_its_page_and_leaves_every_list(withdrawn_site: tuple[Path, Path]) -> None:
    before, after = withdrawn_site
    url = "/news/2026/11/kapitalnyj-remont-shkoly-5/"
    assert page(after, url).xpath("//h1"), "the page stays: links to it keep working"
    notice = page(after, url).xpath("//section[contains(@class, 'r-withdrawn')]")
    assert notice and "Сроки ремонта перенесены, сведения устарели" in notice[0].text_content()
    assert notice[0].xpath(".//time/@datetime") == ["2026-11-23T10:00:00+10:00"]
    assert not page(before, url).xpath("//section[contains(@class, 'r-withdrawn')]")
    for listing in ("/", "/news/", "/departments/zhkh/"):
        assert page(before, listing).xpath(f"//a[contains(@href, '{url}')]"), f"{listing} listed it before"
        assert not page(after, listing).xpath(f"//a[contains(@href, '{url}')]"), f"{listing} still lists it"


def test_feeds_announce_a_withdrawal_with_its_date_and_reason(withdrawn_site: tuple[Path, Path]) -> None:
    before, after = withdrawn_site
    for feed in ("rss.xml", "atom.xml", "news/rss.xml", "departments/zhkh/rss.xml"):
        old = entry(before, feed, "Капитальный ремонт школы № 5")
        new = entry(after, feed, "Капитальный ремонт школы № 5")
        assert "ratusha_withdrawn" not in old
        assert new.ratusha_withdrawn == "2026-11-23T10:00:00+10:00"
        assert new.ratusha_withdrawn_reason == "Сроки ремонта перенесены, сведения устарели"
        assert new.id == old.id, "the guid never changes"
        assert new.ratusha_revision != old.ratusha_revision, "a withdrawal is a change of the item"
        assert new.summary.startswith("Материал отозван 23 ноября 2026: Сроки ремонта перенесены")


def test_the_revision_changes_with_a_correction_and_only_then(fixture_content: Path, tmp_path: Path) -> None:
    title = "Капитальный ремонт школы № 5"
    first = entry(build(fixture_content, tmp_path / "one"), "rss.xml", title)
    again = entry(build(fixture_content, tmp_path / "two"), "rss.xml", title)
    assert again.ratusha_revision == first.ratusha_revision, "nothing changed: the same revision"
    assert len(first.ratusha_revision) == 16
    path = fixture_content / NEWS
    path.write_text(path.read_text(encoding="utf-8").replace("окна", "окна и двери", 1), encoding="utf-8")
    add_field(fixture_content, NEWS, "modified: 2026-11-22 08:00")
    corrected = entry(build(fixture_content, tmp_path / "three"), "rss.xml", title)
    assert corrected.ratusha_revision != first.ratusha_revision
    assert corrected.ratusha_updated == "2026-11-22T08:00:00+10:00"
    other = "Отопительный сезон идёт штатно"
    assert (
        entry(tmp_path / "three", "rss.xml", other).ratusha_revision
        == entry(tmp_path / "one", "rss.xml", other).ratusha_revision
    )


def test_a_withdrawal_needs_a_date_and_a_reason(fixture_content: Path) -> None:
    add_field(fixture_content, NEWS, "withdrawn: {date: 2026-11-23}")
    problems = check_content(
        str(ROOT / "pelicanconf.py"),
        PATH=str(fixture_content),
        RATUSHA_MUNICIPALITY=str(fixture_content / "municipality.yml"),
    )
    found = [p for p in problems if p.field == "withdrawn.reason"]
    assert found and found[0].severity == "error" and found[0].path.endswith(NEWS)
    assert (
        found[0].line
        == (fixture_content / NEWS).read_text(encoding="utf-8").splitlines().index("withdrawn: {date: 2026-11-23}") + 1
    )


def test_the_departments_directory_publishes_each_departments_accounts(fixture_content: Path, tmp_path: Path) -> None:
    add_field(
        fixture_content,
        "departments/zhkh.md",
        "social:\n  - {network: telegram, url: https://t.me/test_zhkh}\n  - {network: vk, url: https://vk.com/club123, id: 123}\n"
        "  - {network: max, url: https://max.ru/test_zhkh, id: '-7012'}",
    )
    output = build(fixture_content, tmp_path / "output")
    data = json.loads((output / "departments" / "index.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    zhkh = next(d for d in data["departments"] if d["slug"] == "zhkh")
    assert zhkh["feed"] == "departments/zhkh/rss.xml"
    assert (output / zhkh["feed"]).is_file(), "the feed it names exists"
    assert zhkh["accounts"] == [
        {"network": "telegram", "id": "@test_zhkh", "url": "https://t.me/test_zhkh"},
        {"network": "vk", "id": "123", "url": "https://vk.com/club123"},
        {"network": "max", "id": "-7012", "url": "https://max.ru/test_zhkh"},
    ]
    assert {d["slug"] for d in data["departments"]} == {"administraciya", "zhkh"}
    links = page(output, "/departments/zhkh/").xpath("//section[@aria-labelledby='dept-social']//a/@href")
    assert links == ["https://t.me/test_zhkh", "https://vk.com/club123", "https://max.ru/test_zhkh"]


def test_an_account_of_an_unknown_network_is_an_error(fixture_content: Path) -> None:
    add_field(fixture_content, "departments/zhkh.md", "social:\n  - {network: myspace, url: https://myspace.com/x}")
    problems = check_content(
        str(ROOT / "pelicanconf.py"),
        PATH=str(fixture_content),
        RATUSHA_MUNICIPALITY=str(fixture_content / "municipality.yml"),
    )
    assert any(p.field == "social.0" and "telegram, vk, ok, max" in p.message for p in problems)
