"""sitemap.xml and robots.txt: every page but the 404, item dates as lastmod, nothing of the build's time."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ratusha.testing import FIXTURE, build

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://test.example.ru"


def entries(output: Path) -> dict[str, str | None]:
    tree = etree.fromstring((output / "sitemap.xml").read_bytes())
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in tree.findall("s:url", NS)
    }


@pytest.fixture(scope="module")
def sitemap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(FIXTURE, tmp_path_factory.mktemp("sitemap") / "output")


def test_every_html_page_but_the_404_is_listed(sitemap: Path) -> None:
    pages = {
        BASE + "/" + str(p.relative_to(sitemap)).removesuffix("index.html")
        for p in sitemap.rglob("*.html")
        if p.name != "404.html"
    }
    assert set(entries(sitemap)) == pages
    assert f"{BASE}/404.html" not in entries(sitemap)


def test_item_pages_carry_their_date_and_lists_none(sitemap: Path) -> None:
    listed = entries(sitemap)
    assert listed[f"{BASE}/news/2026/11/kapitalnyj-remont-shkoly-5/"] == "2026-11-20"
    assert listed[f"{BASE}/documents/postanovlenie-10-2025/"] == "2025-03-02"
    assert listed[f"{BASE}/"] is None
    assert listed[f"{BASE}/news/"] is None


def test_robots_names_the_sitemap_and_keeps_out_of_search_results(sitemap: Path) -> None:
    robots = (sitemap / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    assert "Disallow: /search/" in robots


def test_a_later_rebuild_of_the_same_content_gives_the_same_files(sitemap: Path, tmp_path: Path) -> None:
    """Also when the rebuild reuses the unchanged pages instead of writing them (``incremental``)."""
    output = build(FIXTURE, tmp_path / "output")
    build(FIXTURE, output, RATUSHA_BUILD_TIME="2026-11-24T18:00:00")
    for name in ("sitemap.xml", "robots.txt"):
        assert (output / name).read_bytes() == (sitemap / name).read_bytes(), name


def test_an_absolute_siteurl_is_the_base(tmp_path: Path) -> None:
    output = build(FIXTURE, tmp_path / "output", SITEURL="https://preview.example.org")
    assert all(loc.startswith("https://preview.example.org/") for loc in entries(output))
    assert "Sitemap: https://preview.example.org/sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")
