"""Incremental rebuilds: a rebuild that reuses unchanged pages gives exactly the site a fresh build gives.

Each case builds the fixture, changes one thing, rebuilds into the same output, and compares
every file (pages, feeds, sitemap, .gz/.br copies) with a fresh build of the changed content
into an empty folder elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from support import BUILD_TIME, ROOT, build, edit, files

LATER = "2026-12-21T12:00:00"  # the Christmas fair of the fixture is over by then


def news_body(content: Path, theme: Path) -> None:
    edit(content / "news" / "2026-11-21-otoplenie.md", "Все котельные", "Все 12 котельных")


def department_title(content: Path, theme: Path) -> None:
    edit(
        content / "departments" / "zhkh.md",
        "title: Отдел жилищно-коммунального хозяйства",
        "title: Отдел ЖКХ и благоустройства",
    )


def act_repealed(content: Path, theme: Path) -> None:
    """A new act repeals an old one: the old act's page must say so."""
    (content / "acts" / "postanovlenie-30-2026.md").write_text(
        "---\nid: 40000000-0000-4000-8000-000000000030\ntitle: О признании утратившим силу\n"
        "date: 2026-11-23\nact_type: постановление\nnumber: 30\nadopted: 2026-11-23\n"
        "act_status: действует\nissuer: administraciya\nrepeals: [postanovlenie-20-2026]\n---\nПризнать.\n",
        encoding="utf-8",
    )


def urgent_news(content: Path, theme: Path) -> None:
    """An emergency notice: its banner goes on every page."""
    edit(
        content / "news" / "2026-11-21-otoplenie.md",
        "no_crosspost: true",
        "no_crosspost: true\nurgent: true\nurgent_until: 2026-12-01 00:00",
    )


def footer_page(content: Path, theme: Path) -> None:
    edit(content / "pages" / "about.md", "title: О посёлке", "title: О нашем посёлке")


def removed_news(content: Path, theme: Path) -> None:
    (content / "news" / "2026-11-21-otoplenie.md").unlink()


def municipality(content: Path, theme: Path) -> None:
    path = content / "municipality.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(name: .*)$", r"\1 (новое имя)", text, count=1), encoding="utf-8")


def template(content: Path, theme: Path) -> None:
    edit(theme / "templates" / "news_item.html", "Теги:", "Метки:")


def news_moved(content: Path, theme: Path) -> None:
    """A news item moves to another department: both department pages change."""
    edit(content / "news" / "2026-11-20-remont.md", "department: zhkh", "department: administraciya")


def image_replaced(content: Path, theme: Path) -> None:
    """The same file name, another photo: sizes, variants and the page change."""
    from PIL import Image  # noqa: PLC0415

    Image.new("RGB", (1600, 900), (200, 60, 40)).save(content / "images" / "school.png")


def nothing(content: Path, theme: Path) -> None:
    """Time passes: the fair is over ("Мероприятие прошло"), nothing else changes."""


CASES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "news body edited": (news_body, BUILD_TIME),
    "department renamed": (department_title, BUILD_TIME),
    "act repealed by a new act": (act_repealed, BUILD_TIME),
    "urgent banner": (urgent_news, BUILD_TIME),
    "footer page renamed": (footer_page, BUILD_TIME),
    "news removed": (removed_news, BUILD_TIME),
    "municipality renamed": (municipality, BUILD_TIME),
    "template edited": (template, BUILD_TIME),
    "news moved to another department": (news_moved, BUILD_TIME),
    "image replaced": (image_replaced, BUILD_TIME),
    "an event is over": (nothing, LATER),
}


@pytest.fixture
def site(fixture_content: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The fixture content and a private copy of the theme."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    return fixture_content, theme


def build_into(content: Path, theme: Path, output: Path, when: str = BUILD_TIME) -> Path:
    return build(
        content, output, THEME=str(theme), RATUSHA_PRECOMPRESS=True, RATUSHA_SEARCH=True, RATUSHA_BUILD_TIME=when
    )


@pytest.mark.parametrize("case", CASES)
def test_rebuild_after_a_change_equals_a_fresh_build(case: str, site: tuple[Path, Path], tmp_path: Path) -> None:
    content, theme = site
    change, when = CASES[case]
    output = build_into(content, theme, tmp_path / "site" / "output")
    before = files(output)
    change(content, theme)
    build_into(content, theme, output, when)
    fresh = build_into(content, theme, tmp_path / "fresh" / "output", when)
    rebuilt, expected = files(output), files(fresh)
    assert rebuilt.keys() == expected.keys()
    differing = [name for name in expected if rebuilt[name] != expected[name]]
    assert not differing, f"{case}: stale files after the rebuild: {differing[:10]}"
    assert rebuilt != before, "the change must show in the site"


def test_unchanged_pages_are_reused_not_rendered(site: tuple[Path, Path], tmp_path: Path) -> None:
    """Pages of items that did not change are the previous build's files (same inode)."""
    content, theme = site
    output = build_into(content, theme, tmp_path / "output")
    page = output / "news" / "2026" / "11" / "kapitalnyj-remont-shkoly-5" / "index.html"
    edited = output / "news" / "2026" / "11" / "otopitelnyj-sezon-idyot-shtatno" / "index.html"
    first_inode, edited_inode = page.stat().st_ino, edited.stat().st_ino
    news_body(content, theme)
    build_into(content, theme, output)
    assert page.stat().st_ino == first_inode, "an unchanged page was rendered again"
    assert Path(str(page) + ".gz").exists() and Path(str(page) + ".br").exists()
    assert edited.stat().st_ino != edited_inode, "the edited page was not rendered again"
    assert "Все 12 котельных" in edited.read_text(encoding="utf-8")


#: One build of ``sys.argv[1]`` into ``sys.argv[2]`` with Pelican's content cache on, its log at INFO.
CACHED_BUILD = (
    "import logging, sys; from pathlib import Path; from ratusha.testing import build; "
    "logging.basicConfig(level=logging.INFO); "
    "build(Path(sys.argv[1]), Path(sys.argv[2]), CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)"
)


def test_an_unchanged_rebuild_in_another_process_writes_nothing(fixture_content: Path, tmp_path: Path) -> None:
    """Fingerprints are the same bytes from one process to the next.

    The second build reads its items back from Pelican's content cache, under another hash
    seed: if what a fingerprint encodes depended on object identity or on the order of a set,
    pages would be rendered again for nothing.
    """
    output = tmp_path / "output"
    logs = []
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", CACHED_BUILD, str(fixture_content), str(output)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        logs.append(run.stdout + run.stderr)
    first, second = (
        re.search(r"\[incremental\] (\d+) unchanged pages and feeds reused, (\d+) written", log) for log in logs
    )
    assert first and second, logs
    assert int(first[1]) == 0 and int(first[2]) > 40
    assert (int(second[1]), int(second[2])) == (int(first[2]), 0)


def test_turned_off_renders_everything(site: tuple[Path, Path], tmp_path: Path) -> None:
    content, theme = site
    output = build(content, tmp_path / "output", THEME=str(theme), RATUSHA_INCREMENTAL=False)
    page = output / "news" / "2026" / "11" / "kapitalnyj-remont-shkoly-5" / "index.html"
    inode = page.stat().st_ino
    build(content, output, THEME=str(theme), RATUSHA_INCREMENTAL=False)
    assert page.stat().st_ino != inode


def test_identical_output_from_different_working_folders(tmp_path: Path) -> None:
    """Two checkouts in different places, built into different folders, give the same bytes."""
    outputs = []
    for name in ("checkout-a", "elsewhere/checkout-b"):
        content = tmp_path / name / "content"
        shutil.copytree(ROOT / "tests" / "fixtures" / "site" / "content", content)
        outputs.append(build(content, tmp_path / name / "output", RATUSHA_PRECOMPRESS=True, RATUSHA_SEARCH=True))
    first, second = (files(o) for o in outputs)
    assert len(first) > 100 and any(n.startswith("search-index/f/") for n in first)
    assert sorted(first) == sorted(second)
    assert [n for n in first if first[n] != second[n]] == []


def test_search_index_is_patched_not_rebuilt(site: tuple[Path, Path], tmp_path: Path) -> None:
    """Unchanged pages keep their index files; a changed page rewrites only its own buckets."""
    content, theme = site
    output = build(content, tmp_path / "output", THEME=str(theme), RATUSHA_SEARCH=True)
    index = output / "search-index"
    entry = index / "entry.json"
    first = {p.name: p.stat().st_ino for p in index.rglob("*.json")}
    build(content, output, THEME=str(theme), RATUSHA_SEARCH=True)
    assert {p.name: p.stat().st_ino for p in index.rglob("*.json")} == first, "nothing changed: same files"
    news_body(content, theme)
    build(content, output, THEME=str(theme), RATUSHA_SEARCH=True)
    assert entry.stat().st_ino != first["entry.json"], "a page changed: its buckets are new"
    now = {p.name: p.stat().st_ino for p in index.rglob("*.json")}
    kept = [name for name in now if first.get(name) == now[name]]
    assert len(kept) > len(now) / 2, "the other pages' fragments and the other buckets stay"
    # ... where they are: publishing moved aside only the index files this build replaced.
    replaced = {p.name for p in (Path(f"{output}.old") / "search-index").rglob("*.json")}
    assert "entry.json" in replaced and not replaced & set(kept), "the unchanged index files were moved too"
    fragments = [p.read_text(encoding="utf-8") for p in (index / "f").iterdir()]
    assert sum("12 котельных" in f for f in fragments) == 1


def test_a_damaged_previous_index_is_built_anew(site: tuple[Path, Path], tmp_path: Path) -> None:
    """A bucket deleted from the published folder by hand: the next build indexes every page."""
    content, theme = site
    output = build_into(content, theme, tmp_path / "site" / "output")
    for bucket in (output / "search-index" / "b").iterdir():
        bucket.unlink()
    news_body(content, theme)
    build_into(content, theme, output)
    fresh = build_into(content, theme, tmp_path / "fresh" / "output")
    assert files(output) == files(fresh)


def test_a_failed_index_stops_the_build_and_keeps_the_site(
    site: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, theme = site
    output = build_into(content, theme, tmp_path / "site" / "output")
    before = files(output)
    news_body(content, theme)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the indexing process fails
    with pytest.raises(RuntimeError, match="index could not be built"):
        build_into(content, theme, output)
    assert files(output) == before
