"""Every internal link and asset reference in the output resolves."""

from __future__ import annotations

from pathlib import Path

from links import broken_links


def test_fixture_site_has_no_broken_links(fixture_site: Path) -> None:
    assert broken_links(fixture_site) == []


def test_demo_site_has_no_broken_links(demo_site: Path) -> None:
    assert broken_links(demo_site) == []


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="/b/">b</a><a href="/a/#x">x</a><img src="/i.png" alt="">')
    assert broken_links(tmp_path) == [
        "a/index.html -> /b/",
        "a/index.html -> /a/#x (no such id)",
        "a/index.html -> /i.png",
    ]
