"""The acts registry: links both ways, facets by type, year, status and issuer, ELI identifiers."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from ratusha.legal_acts import Facet, eli
from ratusha.testing import FIXTURE, build, page, paginated


def titles(tree) -> list[str]:
    return [" ".join(h.text_content().split()) for h in tree.xpath("//article[@class='r-act']//h2")]


@pytest.fixture(scope="module")
def two_a_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's three acts, two to a registry page."""
    return build(FIXTURE, tmp_path_factory.mktemp("acts") / "output", PAGINATED_TEMPLATES=paginated(legal_acts=2))


def test_the_eli_names_issuer_type_date_and_number() -> None:
    act = SimpleNamespace(
        issuer="administraciya", act_type="распоряжение", adopted=datetime.date(2024, 1, 9), number="5-р"
    )
    assert eli(act) == "/eli/administraciya/rasporyazhenie/2024/01/09/5-r/"


def test_a_facet_counts_its_acts() -> None:
    assert Facet("year", "2025", "documents/year/2025/", ["a", "b", "c"]).count == 3


def test_the_registry_lists_acts_newest_adopted_first(fixture_site: Path) -> None:
    assert titles(page(fixture_site, "/documents/")) == [
        "Постановление от 10.02.2026 № 20",
        "Постановление от 01.03.2025 № 10",
        "Распоряжение от 09.01.2024 № 5-р",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/documents/type/postanovlenie/", ["Постановление от 10.02.2026 № 20", "Постановление от 01.03.2025 № 10"]),
        ("/documents/type/rasporyazhenie/", ["Распоряжение от 09.01.2024 № 5-р"]),
        ("/documents/year/2025/", ["Постановление от 01.03.2025 № 10"]),
        ("/documents/status/dejstvuet/", ["Постановление от 10.02.2026 № 20", "Постановление от 01.03.2025 № 10"]),
        ("/documents/status/utratil-silu/", ["Распоряжение от 09.01.2024 № 5-р"]),
        ("/documents/issuer/administraciya/", ["Постановление от 10.02.2026 № 20", "Постановление от 01.03.2025 № 10", "Распоряжение от 09.01.2024 № 5-р"]),
    ],
)  # fmt: skip
def test_each_facet_page_selects_its_acts(fixture_site: Path, url: str, expected: list[str]) -> None:
    assert titles(page(fixture_site, url)) == expected


def test_only_facets_with_acts_get_a_page(fixture_site: Path) -> None:
    assert not (fixture_site / "documents" / "type" / "reshenie").exists()
    assert not (fixture_site / "documents" / "year" / "2023").exists()
    links = page(fixture_site, "/documents/").xpath("//nav[@class='r-facets']//li/a/@href")
    assert "/documents/issuer/administraciya/" in links
    assert all((fixture_site / link.lstrip("/") / "index.html").is_file() for link in links)


def test_amends_and_repeals_are_linked_both_ways(fixture_site: Path) -> None:
    amended = page(fixture_site, "/documents/postanovlenie-10-2025/")
    assert amended.xpath("//main//a[@href='/documents/postanovlenie-20-2026/']")
    amending = page(fixture_site, "/documents/postanovlenie-20-2026/")
    assert amending.xpath("//main//a[@href='/documents/postanovlenie-10-2025/']")
    assert amending.xpath("//main//a[@href='/documents/rasporyazhenie-5-r-2024/']")
    repealed = page(fixture_site, "/documents/rasporyazhenie-5-r-2024/")
    assert repealed.xpath("//main//a[@href='/documents/postanovlenie-20-2026/']")


def test_the_registry_is_paginated_by_its_setting(two_a_page: Path) -> None:
    assert len(titles(page(two_a_page, "/documents/"))) == 2
    assert titles(page(two_a_page, "/documents/page/2/")) == ["Распоряжение от 09.01.2024 № 5-р"]
    assert titles(page(two_a_page, "/documents/issuer/administraciya/page/2/")) == ["Распоряжение от 09.01.2024 № 5-р"]
    assert not (two_a_page / "documents" / "type" / "rasporyazhenie" / "page").exists()
