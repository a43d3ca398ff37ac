"""An act's versions and life, through what the build writes: pages, JSON-LD, feeds, and the checks."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import feedparser
import pytest

from ratusha.content_model.content_model import items_written
from ratusha.content_model.editor import check_content
from ratusha.testing import BUILD_TIME, ROOT, build, copy_fixture, edit, page

ACT = "/documents/postanovlenie-10-2025/"
ORIGINAL = ACT + "redakciya/2025-03-01/"
CONSOLIDATED = ACT + "redakciya/2026-02-15/"
DIFF = CONSOLIDATED + "sravnenie/"

#: A second amendment of act 10, in force, that no version incorporates.
LATER_AMENDMENT = """---
id: 40000000-0000-4000-8000-000000000030
title: О внесении изменения в пункт 1 постановления от 01.03.2025 № 10
date: 2026-03-11
act_type: постановление
number: 30
adopted: 2026-03-10
act_status: действует
issuer: administraciya
published_in: официальный сайт посёлка
published_on: 2026-03-11
amends: [postanovlenie-10-2025]
---
1. Внести изменение.
"""
#: An act invalidated by a court, with its decision.
COURT = """---
id: 40000000-0000-4000-8000-000000000040
title: О платных парковках
date: 2025-05-02
act_type: постановление
number: 40
adopted: 2025-05-01
act_status: отменён судом
issuer: administraciya
published_in: газета «Тестовые вести»
published_issue: № 12
published_on: 2025-05-06
in_force_from: 2025-05-06
register_number: RU55000000202500040
lost_force:
  date: 2026-04-20
  decision: Решение районного суда от 01.04.2026 по делу № 2а-1/2026
---
1. Ввести платные парковки.
"""


def _content(folder: Path) -> Path:
    content = copy_fixture(folder)
    (content / "acts/postanovlenie-30-2026.md").write_text(LATER_AMENDMENT, encoding="utf-8")
    (content / "acts/postanovlenie-40-2025.md").write_text(COURT, encoding="utf-8")
    edit(content / "acts/postanovlenie-10-2025.2026-02-15.md", "благоустройства и озеленения", "озеленения")
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The fixture with a second amendment and a court-invalidated act, built; and its acts."""
    folder = tmp_path_factory.mktemp("versions")
    seen: dict[str, Any] = {}

    def keep(generator: Any) -> None:
        seen.update(generator.context.get("acts_by_key", {}))

    items_written.connect(keep)
    try:
        output = build(_content(folder), folder / "output")
    finally:
        items_written.disconnect(keep)
    return output, seen


def text(tree: Any, xpath: str = "//article") -> str:
    return " ".join(" ".join(e.text_content().split()) for e in tree.xpath(xpath))


def jsonld(tree: Any, kind: str = "Legislation") -> dict[str, Any]:
    found = [json.loads(s.text) for s in tree.xpath("//script[@type='application/ld+json']")]
    return next(d for d in found if d["@type"] == kind)


def test_each_version_is_at_its_own_address_and_the_act_page_shows_the_current_text(site) -> None:
    output, _ = site
    assert "Утвердить Правила благоустройства." in text(page(output, ORIGINAL), "//div[@class='r-prose']")
    assert "Утвердить Правила озеленения." in text(page(output, CONSOLIDATED), "//div[@class='r-prose']")
    act = page(output, ACT)
    assert text(act, "//div[@class='r-prose']") == "Утвердить Правила озеленения."
    listed = [a.get("href") for a in act.xpath("//ol[@data-act-versions]//a")]
    assert listed == [ORIGINAL, DIFF], "the original linked; the current one marked, not linked"
    assert text(act, "//ol[@data-act-versions]//*[@aria-current='page']") == "Редакция от 15.02.2026"
    assert "Текст в редакции постановления от 10.02.2026 № 20" in text(act)


def test_an_amendment_in_force_but_in_no_version_is_announced(site) -> None:
    output, _ = site
    for url in (ACT, CONSOLIDATED):
        note = text(page(output, url), "//*[@data-act-note='not-incorporated']")
        assert note.startswith("Изменения, внесённые постановлением от 10.03.2026 № 30, не внесены в текст")
        assert "№ 20" not in note
    assert page(output, ORIGINAL).xpath("//*[@data-act-note]") == [], "an old version is not the text in force"


def test_the_comparison_marks_insertions_and_deletions_in_words_a_screen_reader_says(site) -> None:
    output, _ = site
    tree = page(output, DIFF)
    assert [text(e, ".") for e in tree.xpath("//div[@data-act-diff]//ins")] == ["[добавлено: озеленения]"]
    assert [text(e, ".") for e in tree.xpath("//div[@data-act-diff]//del")] == ["[удалено: благоустройства]"]
    hidden = tree.xpath("//div[@data-act-diff]//ins/span[@class='r-visually-hidden']")
    assert [h.text for h in hidden] == ["[добавлено: ", "]"]


def test_json_ld_links_the_work_and_its_versions(site) -> None:
    output, _ = site
    base = "https://test.example.ru"
    work = jsonld(page(output, ACT))
    assert [v["@id"] for v in work["workExample"]] == [base + ORIGINAL, base + CONSOLIDATED]
    assert work["publication"] == {
        "@type": "PublicationEvent",
        "name": "газета «Тестовые вести» № 9",
        "startDate": "2025-03-05",
    }
    version = jsonld(page(output, CONSOLIDATED))
    assert version["exampleOfWork"]["@id"] == base + ACT
    assert version["legislationDateVersion"] == "2026-02-15"
    assert version["temporalCoverage"] == "2026-02-15/.."
    assert [c["@id"] for c in version["legislationConsolidates"]] == [
        base + ORIGINAL,
        base + "/documents/postanovlenie-20-2026/",
    ]
    original = jsonld(page(output, ORIGINAL))
    assert "legislationConsolidates" not in original
    assert original["temporalCoverage"] == "2025-03-01/2026-02-15"
    assert original["legislationIdentifier"] == base + "/eli/administraciya/postanovlenie/2025/03/01/10/2025-03-01/"


def test_the_life_of_an_act_is_on_its_page_in_json_ld_and_in_the_feed(site) -> None:
    output, _ = site
    tree = page(output, "/documents/postanovlenie-40-2025/")
    facts = text(tree, "//dl[@class='r-attributes']")
    assert "Официальное опубликованиегазета «Тестовые вести», № 12, 6 мая 2025" in facts
    assert "Вступил в силу6 мая 2025" in facts
    assert "RU55000000202500040" in facts
    assert "Утратил силу20 апреля 2026, Решение районного суда от 01.04.2026 по делу № 2а-1/2026" in facts
    data = jsonld(tree)
    assert data["expires"] == "2026-04-20"
    assert data["temporalCoverage"] == "2025-05-06/2026-04-20"
    assert data["legislationDateOfApplicability"] == "2025-05-06"
    assert data["identifier"]["value"] == "RU55000000202500040"
    assert data["subjectOf"]["name"].startswith("Решение районного суда")
    repealed = jsonld(page(output, "/documents/rasporyazhenie-5-r-2024/"))
    assert (
        repealed["@reverse"]["legislationRepeals"]["@id"] == "https://test.example.ru/documents/postanovlenie-20-2026/"
    )
    assert repealed["expires"] == "2026-02-15", "the day the repealing act entered into force"
    feed = feedparser.parse((output / "documents/rss.xml").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.id == "urn:uuid:40000000-0000-4000-8000-000000000040")
    assert "Утратил силу 20 апреля 2026 (Решение районного суда" in entry.summary
    body = entry.content[0].value
    assert "Официально опубликован 6 мая 2025: газета «Тестовые вести», № 12." in body
    assert "Вступил в силу 6 мая 2025." in body


def test_the_public_attributes_other_plugins_read(site) -> None:
    _, acts = site
    act = acts["postanovlenie-10-2025"]
    assert [(v.date, v.url, v.original, v.current) for v in act.versions] == [
        (datetime.date(2025, 3, 1), ORIGINAL.lstrip("/"), True, False),
        (datetime.date(2026, 2, 15), CONSOLIDATED.lstrip("/"), False, True),
    ]
    assert act.versions[1].eli == "/eli/administraciya/postanovlenie/2025/03/01/10/2026-02-15/"
    assert [a.act_key for a in act.versions[1].amendments] == ["postanovlenie-20-2026"]
    assert act.publication.source == "газета «Тестовые вести» № 9"
    assert act.publication.issue is None
    assert act.publication.date == datetime.date(2025, 3, 5)
    assert act.in_force_from is None and act.register_number is None and act.lost_force is None
    single = acts["postanovlenie-30-2026"]
    assert [(v.url, v.original, v.current, v.amendments) for v in single.versions] == [(single.url, True, True, [])]
    repealed = acts["rasporyazhenie-5-r-2024"].lost_force
    assert (repealed.date, repealed.by.act_key, repealed.decision) == (
        datetime.date(2026, 2, 15),
        "postanovlenie-20-2026",
        None,
    )
    court = acts["postanovlenie-40-2025"].lost_force
    assert (court.date, court.by, court.decision[:7]) == (datetime.date(2026, 4, 20), None, "Решение")


# invoke check -----------------------------------------------------------------------


def check(content: Path) -> list[str]:
    problems = check_content(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        RATUSHA_MUNICIPALITY=str(content / "municipality.yml"),
        RATUSHA_BUILD_TIME=BUILD_TIME,
        CACHE_CONTENT=False,
        LOAD_CONTENT_CACHE=False,
    )
    return [f"{p} [{p.severity}]" for p in problems]


def test_the_fixture_has_no_problems(fixture_content: Path) -> None:
    assert check(fixture_content) == []


def test_a_normative_act_in_force_without_publication_is_warned_about(fixture_content: Path) -> None:
    edit(fixture_content / "acts/postanovlenie-10-2025.md", "published_on: 2025-03-05\n", "")
    found = check(fixture_content)
    assert len(found) == 1
    assert found[0].startswith(
        f"{fixture_content}/acts/postanovlenie-10-2025.md:11: published_in: нормативный акт действует, "
        "но нет сведений об официальном опубликовании"
    ), found
    assert found[0].endswith("[warning]")


def test_an_act_repealed_but_in_force_is_warned_about_on_its_own_file(fixture_content: Path) -> None:
    edit(fixture_content / "acts/rasporyazhenie-5-r-2024.md", "act_status: утратил силу", "act_status: действует")
    found = check(fixture_content)
    assert found == [
        f"{fixture_content}/acts/rasporyazhenie-5-r-2024.md:8: act_status: акт отменён актом postanovlenie-20-2026, "
        "но его статус «действует» / repealed by postanovlenie-20-2026 but still marked in force [warning]"
    ]


def test_a_version_naming_an_unknown_act_is_an_error_at_its_line(fixture_content: Path) -> None:
    version = fixture_content / "acts/postanovlenie-10-2025.2026-02-15.md"
    edit(version, "amendments: [postanovlenie-20-2026]", "amendments: [postanovlenie-21-2026]")
    found = check(fixture_content)
    assert found == [
        f"{version}:3: amendments: нет акта с ключом 'postanovlenie-21-2026' / unknown act; "
        "возможно, postanovlenie-20-2026? / did you mean postanovlenie-20-2026? [error]"
    ]


def test_a_version_whose_date_differs_from_its_file_name_is_an_error(fixture_content: Path) -> None:
    version = fixture_content / "acts/postanovlenie-10-2025.2026-02-15.md"
    edit(version, "applies_from: 2026-02-15", "applies_from: 2026-02-16")
    assert [p for p in check(fixture_content) if ":2: applies_from: дата 2026-02-16 не совпадает" in p]


def test_a_version_without_its_act_is_an_error(fixture_content: Path) -> None:
    orphan = fixture_content / "acts/postanovlenie-11-2025.2026-02-15.md"
    orphan.write_text("---\napplies_from: 2026-02-15\namendments: [postanovlenie-20-2026]\n---\nТекст.\n")
    assert check(fixture_content) == [
        f"{orphan}:1: нет акта postanovlenie-11-2025.md для этой редакции / no act file for this version [error]"
    ]


def test_a_version_from_a_future_date_is_published_but_not_yet_the_current_text(
    fixture_content: Path, tmp_path: Path
) -> None:
    future = fixture_content / "acts/postanovlenie-10-2025.2027-01-01.md"
    future.write_text("---\napplies_from: 2027-01-01\namendments: [postanovlenie-20-2026]\n---\n1. Будущий текст.\n")
    output = build(fixture_content, tmp_path / "output")
    act = page(output, ACT)
    assert text(act, "//div[@class='r-prose']") == "Утвердить Правила благоустройства и озеленения."
    assert "Редакция от 01.01.2027 — вступает в силу 1 января 2027" in text(act, "//ol[@data-act-versions]")
    later = page(output, ACT + "redakciya/2027-01-01/")
    assert "Эта редакция начнёт применяться 1 января 2027" in text(later)
    assert "Будущий текст." in text(later, "//div[@class='r-prose']")
