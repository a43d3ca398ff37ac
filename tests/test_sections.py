"""A section's address and title live in one table: moving it moves every page, feed and link."""

from __future__ import annotations

from pathlib import Path

import feedparser
from lxml import html

from support import build, page


def test_moving_the_news_section_moves_its_pages_feeds_and_links(fixture_content: Path, tmp_path: Path) -> None:
    output = build(
        fixture_content, tmp_path / "output", RATUSHA_SECTIONS={"news": {"url": "novosti/", "title": "Новости посёлка"}}
    )
    assert (output / "novosti" / "index.html").is_file(), "the list page moved"
    # What is left at the old address only redirects there (ratusha.redirects' fallback pages).
    left = [path for path in (output / "news").rglob("*") if path.is_file()]
    for path in left:
        refresh = html.fromstring(path.read_bytes()).xpath("string(//meta[@http-equiv='refresh']/@content)")
        assert refresh.startswith("0; url=/novosti/"), f"{path} is not a redirect to the moved section"
    assert list((output / "novosti" / "2026" / "11").iterdir()), "the item pages moved with it"
    feed = feedparser.parse((output / "novosti" / "rss.xml").read_bytes())
    assert not feed.bozo and feed.entries
    assert all("/novosti/" in entry.link for entry in feed.entries)
    menu = page(output, "/").xpath("//nav[@aria-label='Основное меню']//a")
    assert menu[0].text == "Новости посёлка"
    assert menu[0].get("href") == "/novosti/"
    for path in output.rglob("*.html"):
        links = html.fromstring(path.read_bytes()).xpath("//a/@href")
        assert not [link for link in links if link.startswith("/news/")], f"{path} still links to /news/"
    item = next((output / "novosti" / "2026" / "11").iterdir())
    crumbs = page(output, f"/novosti/2026/11/{item.name}/").xpath("//nav[contains(@class, 'r-breadcrumbs')]//a")
    assert any(a.text == "Новости посёлка" and a.get("href") == "/novosti/" for a in crumbs)
