"""A rebuild renders only what changed: item pages, feeds and list pages of untouched items are reused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ratusha.testing import build, copy_fixture, edit, files

OTHER_NEWS = "news/2026/11/kapitalnyj-remont-shkoly-5/index.html"
EDITED_NEWS = "news/2026/11/otopitelnyj-sezon-idyot-shtatno/index.html"
#: Files that do not show the edited news item (of the administration, 21 November).
UNTOUCHED = [OTHER_NEWS, "documents/postanovlenie-10-2025/index.html", "documents/rss.xml", "documents/index.html"]
#: Files that show it.
TOUCHED = [EDITED_NEWS, "news/rss.xml", "rss.xml", "departments/administraciya/news/index.html"]


def inodes(output: Path) -> dict[str, int]:
    return {str(p.relative_to(output)): p.stat().st_ino for p in output.rglob("*") if p.is_file()}


@pytest.fixture
def rebuilt(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """Content, its output after one edited news item, and the inodes of the first build."""
    content = copy_fixture(tmp_path)
    output = build(content, tmp_path / "output")
    first = inodes(output)
    edit(content / "news" / "2026-11-21-otoplenie.md", "Все котельные", "Все 12 котельных")
    build(content, output)
    return content, output, first


def test_files_that_do_not_show_the_edit_are_the_previous_builds(rebuilt: tuple[Path, Path, dict[str, int]]) -> None:
    _, output, first = rebuilt
    now = inodes(output)
    assert [name for name in UNTOUCHED if now[name] != first[name]] == []
    assert [name for name in TOUCHED if now[name] == first[name]] == []
    assert "Все 12 котельных" in (output / EDITED_NEWS).read_text(encoding="utf-8")


def test_the_rebuild_equals_a_fresh_build(rebuilt: tuple[Path, Path, dict[str, int]], tmp_path: Path) -> None:
    content, output, _ = rebuilt
    fresh = build(content, tmp_path / "fresh" / "output")
    assert files(output) == files(fresh)


def test_without_its_record_everything_is_rendered_again(rebuilt: tuple[Path, Path, dict[str, int]]) -> None:
    content, output, _ = rebuilt
    shutil.rmtree(output.parent / f"{output.name}-cache" / "incremental")
    before, second = files(output), inodes(output)
    build(content, output)
    assert [name for name in (*UNTOUCHED, *TOUCHED) if inodes(output)[name] == second[name]] == []
    assert files(output) == before


def test_turned_off_nothing_is_reused(tmp_path: Path) -> None:
    content = copy_fixture(tmp_path)
    output = build(content, tmp_path / "output", RATUSHA_INCREMENTAL=False)
    first = inodes(output)
    build(content, output, RATUSHA_INCREMENTAL=False)
    assert inodes(output)[OTHER_NEWS] != first[OTHER_NEWS]
