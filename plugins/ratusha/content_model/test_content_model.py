"""Typed folders become items with pages at their URLs; drafts and scheduled items stay unpublished."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

import pytest

from ratusha.core.build import build_time
from ratusha.core.errors import BuildStopped
from ratusha.testing import build, edit, page


def test_the_build_time_is_read_in_the_municipalitys_zone() -> None:
    settings = {"TIMEZONE": "Asia/Vladivostok", "RATUSHA_BUILD_TIME": "2026-11-24T12:00:00"}
    moment = build_time(settings)
    assert moment.isoformat() == "2026-11-24T12:00:00+10:00"
    settings["RATUSHA_BUILD_TIME"] = "2026-11-24T00:00:00+00:00"
    assert build_time(settings).isoformat() == "2026-11-24T10:00:00+10:00"


def test_without_a_build_time_the_clock_decides() -> None:
    moment = build_time({"TIMEZONE": "Asia/Omsk"})
    assert moment.utcoffset() == datetime.timedelta(hours=6)
    assert abs(moment - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/news/2026/11/kapitalnyj-remont-shkoly-5/", "Капитальный ремонт школы № 5"),
        ("/documents/postanovlenie-10-2025/", "Об утверждении Правил благоустройства"),
        ("/announcements/2026/novogodnyaya-yarmarka/", "Новогодняя ярмарка"),
        ("/glava-v-otvete/kogda-otremontiruyut-dorogu-na-ulice-gagarina/", "Когда отремонтируют дорогу"),
        ("/departments/zhkh/", "Отдел жилищно-коммунального хозяйства"),
        ("/about/", "О посёлке"),
    ],
)
def test_each_type_has_one_page_per_item_at_its_url(fixture_site: Path, url: str, title: str) -> None:
    assert title in page(fixture_site, url).xpath("string(//h1)")


def test_the_url_settings_move_a_types_pages(fixture_content: Path, tmp_path: Path) -> None:
    output = build(
        fixture_content, tmp_path / "output", NEWS_URL="novosti/{slug}/", NEWS_SAVE_AS="novosti/{slug}/index.html"
    )
    assert "Капитальный ремонт" in page(output, "/novosti/kapitalnyj-remont-shkoly-5/").xpath("string(//h1)")
    # The old address is no longer the item's page: it only redirects to the new one.
    old = page(output, "/news/2026/11/kapitalnyj-remont-shkoly-5/")
    assert old.xpath("string(//meta[@http-equiv='refresh']/@content)") == "0; url=/novosti/kapitalnyj-remont-shkoly-5/"
    assert not old.xpath("//main")


def test_a_scheduled_item_is_published_by_the_first_build_on_its_date(fixture_content: Path, tmp_path: Path) -> None:
    before = build(fixture_content, tmp_path / "before")
    assert not (before / "news" / "2027").exists()
    after = build(fixture_content, tmp_path / "after", RATUSHA_BUILD_TIME="2027-06-01T09:00:00")
    assert page(after, "/news/2027/06/zaplanirovannaya-novost/").xpath("string(//h1)") == "Запланированная новость"
    assert "Черновик новости" not in (after / "news" / "index.html").read_text(encoding="utf-8")  # a draft stays one


def test_a_draft_is_published_once_its_status_goes(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / "news" / "2026-11-22-chernovik.md", "status: draft\n", "")
    output = build(fixture_content, tmp_path / "output")
    assert page(output, "/news/2026/11/chernovik-novosti/").xpath("string(//h1)") == "Черновик новости"


def test_markdown_outside_the_typed_folders_is_named_not_published(
    fixture_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (fixture_content / "novosti").mkdir()
    (fixture_content / "novosti" / "zabytaya.md").write_text("---\ntitle: Забытая\n---\nТекст.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        output = build(fixture_content, tmp_path / "output")
    assert any(
        "zabytaya.md" in r.getMessage() and "outside the typed folders" in r.getMessage() for r in caplog.records
    )
    assert not list(output.rglob("*zabytaya*"))


def test_errors_stop_the_build_before_anything_is_written(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / "news" / "2026-11-20-remont.md", "department: zhkh", "department: nikto")
    edit(fixture_content / "announcements" / "yarmarka.md", "place: площадь Ленина\n", "")
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "output")
    fields = sorted(problem.field for problem in stopped.value.problems)
    assert fields == ["department", "place"]
    assert not (tmp_path / "output").exists()
