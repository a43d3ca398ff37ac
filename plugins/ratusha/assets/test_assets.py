"""Content-hashed theme assets and the municipality's colours as a stylesheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ratusha.assets import asset_name, municipality_css
from ratusha.testing import ROOT, page


def test_the_name_carries_a_hash_of_the_content() -> None:
    first = asset_name("css/ratusha.css", b"body { color: black }")
    assert re.fullmatch(r"css/ratusha\.[0-9a-f]{10}\.css", first)
    assert asset_name("css/ratusha.css", b"body { color: black }") == first
    assert asset_name("css/ratusha.css", b"body { color: navy }") != first


def test_the_colours_become_custom_properties_in_a_stable_order() -> None:
    css = municipality_css({"colors": {"primary": "#225588", "accent": "#aa3311"}}).decode()
    assert css == ":root {\n  --r-color-accent: #aa3311;\n  --r-color-primary: #225588;\n}\n"
    assert municipality_css({}).decode() == ":root {\n\n}\n"


def test_every_theme_script_and_stylesheet_is_renamed_after_its_bytes(fixture_site: Path) -> None:
    written = sorted(p for p in (fixture_site / "theme").rglob("*") if p.suffix in (".css", ".js"))
    assert written
    for path in written:
        plain = re.sub(r"\.[0-9a-f]{10}(?=\.(css|js)$)", "", path.name)
        assert path.name == asset_name(plain, path.read_bytes()), path
        assert (ROOT / "theme" / "static" / path.relative_to(fixture_site / "theme").parent / plain).is_file()


@pytest.mark.parametrize("url", ["/", "/news/2026/11/kapitalnyj-remont-shkoly-5/", "/404.html"])
def test_pages_link_the_hashed_files_that_exist(fixture_site: Path, url: str) -> None:
    tree = page(fixture_site, url)
    links = tree.xpath("//link[@rel='stylesheet']/@href") + tree.xpath("//script/@src")
    assert any("/theme/css/ratusha." in link for link in links)
    for link in links:
        assert re.search(r"\.[0-9a-f]{10}\.(css|js)$", link), link
        assert (fixture_site / link.lstrip("/")).is_file(), link


def test_the_municipality_stylesheet_holds_its_colours(fixture_site: Path) -> None:
    (css,) = (fixture_site / "css").glob("municipality.*.css")
    assert "--r-color-primary: #225588;" in css.read_text()
    assert f"/css/{css.name}" in page(fixture_site, "/").xpath("//link[@rel='stylesheet']/@href")
