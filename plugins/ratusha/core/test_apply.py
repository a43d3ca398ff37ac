"""A rebuild publishes only what changed, file by file, and a killed publication is repaired."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ratusha.core.errors import BuildStopped
from ratusha.core.output import rollback
from ratusha.testing import BUILD_TIME, ROOT, build, copy_fixture, edit, files

EDITED = "news/2026/11/otopitelnyj-sezon-idyot-shtatno/index.html"
OTHER = "news/2026/11/kapitalnyj-remont-shkoly-5/index.html"
NEWS = Path("news") / "2026-11-21-otoplenie.md"


def versions(output: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: what a rewrite changes."""
    found = {}
    for path in output.rglob("*"):
        if path.is_file():
            stat = path.stat()
            found[str(path.relative_to(output))] = (stat.st_ino, stat.st_mtime_ns)
    return found


def fix_typo(content: Path) -> None:
    edit(content / NEWS, "Все котельные", "Все 12 котельных")


def test_a_rebuild_after_one_edit_rewrites_only_what_shows_it(tmp_path: Path) -> None:
    content = copy_fixture(tmp_path)
    output = build(content, tmp_path / "output", RATUSHA_PRECOMPRESS=True)
    first = versions(output)
    fix_typo(content)
    build(content, output, RATUSHA_PRECOMPRESS=True)
    now = versions(output)
    changed = sorted(name for name in now if now[name] != first.get(name))
    assert EDITED in changed and OTHER not in changed
    assert f"{OTHER}.br" not in changed, "a kept page keeps its copies"
    pages = [n for n in first if n.endswith(".html")]
    rewritten = [n for n in changed if n.endswith(".html")]
    assert len(rewritten) < len(pages) / 2, f"{len(rewritten)} of {len(pages)} pages rewritten"
    assert files(output) == files(build(content, tmp_path / "fresh" / "output", RATUSHA_PRECOMPRESS=True))


def test_the_sitemap_lists_kept_pages(tmp_path: Path) -> None:
    content = copy_fixture(tmp_path)
    output = build(content, tmp_path / "output")
    first, kept = (output / "sitemap.xml").read_text(encoding="utf-8"), versions(output)[OTHER]
    fix_typo(content)
    build(content, output)
    assert versions(output)[OTHER] == kept, "the page was kept, not written"
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "kapitalnyj-remont-shkoly-5/" in sitemap
    assert sitemap == first


def test_a_failed_rebuild_leaves_the_published_folder_as_it_was(tmp_path: Path) -> None:
    content = copy_fixture(tmp_path)
    output = build(content, tmp_path / "output")
    fix_typo(content)
    build(content, output)
    before, stamps = files(output), versions(output)
    edit(content / "news" / "2026-11-20-remont.md", "department: zhkh", "department: nikto")
    with pytest.raises(BuildStopped):
        build(content, output)
    assert files(output) == before and versions(output) == stamps


def test_a_deleted_item_disappears_and_a_rollback_brings_the_site_back(tmp_path: Path) -> None:
    content = copy_fixture(tmp_path)
    output = build(content, tmp_path / "output")
    fix_typo(content)
    build(content, output)  # a rebuild that keeps pages
    before = files(output)
    (content / NEWS).unlink()
    build(content, output)
    assert not (output / EDITED).exists() and (output / OTHER).exists()
    assert files(output) == files(build(content, tmp_path / "fresh" / "output"))
    rollback(str(output))
    assert files(output) == before
    build(content, output)  # after a rollback the cache is not trusted: everything is published
    assert files(output) == files(tmp_path / "fresh" / "output")


#: Runs one build in a process of its own that dies (SIGKILL) after the apply moved 3 files.
KILLED_BUILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from ratusha.core.output import Staging
    from ratusha.testing import build

    def die(moved):
        if moved == 3:
            os.kill(os.getpid(), signal.SIGKILL)

    Staging.fault = staticmethod(die)
    build(Path(sys.argv[1]), Path(sys.argv[2]), RATUSHA_PRECOMPRESS=True, RATUSHA_BUILD_TIME=sys.argv[3])
    """
)


def test_a_build_killed_during_the_apply_is_repaired_by_the_next(tmp_path: Path) -> None:
    content = copy_fixture(tmp_path)
    output = build(content, tmp_path / "output", RATUSHA_PRECOMPRESS=True)
    first = versions(output)
    fix_typo(content)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(content), str(output), BUILD_TIME],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    journal = tmp_path / "output.journal"
    assert journal.exists(), "killed in the middle of the apply"
    half = versions(output)
    assert 0 < sum(half.get(n) != first.get(n) for n in half) < len(half) / 2, "some files moved, not all"
    build(content, output, RATUSHA_PRECOMPRESS=True)
    assert not journal.exists()
    assert files(output) == files(build(content, tmp_path / "fresh" / "output", RATUSHA_PRECOMPRESS=True))
    assert "Все 12 котельных" in (output / EDITED).read_text(encoding="utf-8")
