"""Precompressed .gz and .br copies beside text files: exact, reproducible, cached, only where missing."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest

from ratusha.precompress import TEXT_EXTENSIONS, compress_folder
from ratusha.testing import FIXTURE, build

PAGE = ("<p>Текст страницы сайта.</p>\n" * 40).encode()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small site: a page, a stylesheet, a tiny file, an image and a PDF."""
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "news" / "index.html").write_bytes(PAGE)
    (site / "ratusha.css").write_bytes(b"body { margin: 0 }\n" * 60)
    (site / "robots.txt").write_bytes(b"User-agent: *\n")
    (site / "photo.jpg").write_bytes(b"\xff\xd8" + bytes(2000))
    (site / "act.pdf").write_bytes(b"%PDF-1.4" + bytes(2000))
    return site


def copies(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.suffix in (".gz", ".br"))


def test_large_text_files_get_both_copies_and_nothing_else_does(folder: Path) -> None:
    assert compress_folder(str(folder)) == 2
    assert copies(folder) == ["news/index.html.br", "news/index.html.gz", "ratusha.css.br", "ratusha.css.gz"]
    html = folder / "news" / "index.html"
    assert gzip.decompress(Path(f"{html}.gz").read_bytes()) == PAGE
    assert brotli.decompress(Path(f"{html}.br").read_bytes()) == PAGE
    assert ".html" in TEXT_EXTENSIONS and ".jpg" not in TEXT_EXTENSIONS


@pytest.mark.parametrize("cache", [False, True])
def test_a_brotli_only_folder_gets_no_gz(folder: Path, tmp_path: Path, cache: bool) -> None:
    (folder / "search-index" / "f").mkdir(parents=True)
    (folder / "search-index" / "f" / "a.json").write_bytes(PAGE)
    (folder / "search-indexed.json").write_bytes(PAGE)  # a name that only begins like the folder
    where = str(tmp_path / "cache") if cache else None
    assert compress_folder(str(folder), cache=where, brotli_only=("search-index/",)) == 4
    assert copies(folder) == [
        "news/index.html.br",
        "news/index.html.gz",
        "ratusha.css.br",
        "ratusha.css.gz",
        "search-index/f/a.json.br",
        "search-indexed.json.br",
        "search-indexed.json.gz",
    ]
    assert brotli.decompress((folder / "search-index" / "f" / "a.json.br").read_bytes()) == PAGE
    assert compress_folder(str(folder), cache=where, brotli_only=("search-index/",)) == 0, "all there already"


def test_the_size_threshold_is_a_parameter(folder: Path) -> None:
    assert compress_folder(str(folder), min_size=10) == 3
    assert "robots.txt.gz" in copies(folder)


def test_copies_carry_no_timestamp(folder: Path, tmp_path: Path) -> None:
    compress_folder(str(folder))
    first = {name: (folder / name).read_bytes() for name in copies(folder)}
    for name in first:
        (folder / name).unlink()
    compress_folder(str(folder))
    assert {name: (folder / name).read_bytes() for name in copies(folder)} == first
    assert gzip.decompress((folder / "news" / "index.html.gz").read_bytes()) == PAGE
    assert (folder / "news" / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"  # gzip MTIME


def test_files_that_have_both_copies_are_left_alone(folder: Path) -> None:
    compress_folder(str(folder))
    (folder / "ratusha.css.gz").unlink()
    assert compress_folder(str(folder)) == 1  # the stylesheet only
    assert gzip.decompress((folder / "ratusha.css.gz").read_bytes()) == (folder / "ratusha.css").read_bytes()


def test_the_cache_keeps_only_what_the_site_still_has(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "compressed"
    compress_folder(str(folder), cache=str(cache))
    assert len(list(cache.iterdir())) == 4
    for name in copies(folder):
        (folder / name).unlink()
    (folder / "ratusha.css").unlink()
    compress_folder(str(folder), cache=str(cache))
    assert len(list(cache.iterdir())) == 2
    assert (folder / "news" / "index.html.br").stat().st_nlink == 2  # a link to the cached copy


def test_the_build_compresses_the_finished_site(tmp_path: Path) -> None:
    output = build(FIXTURE, tmp_path / "output", RATUSHA_PRECOMPRESS=True, RATUSHA_PRECOMPRESS_MIN_SIZE=100)
    for name in ("index.html", "rss.xml", "sitemap.xml", "announcements/calendar.ics"):
        assert gzip.decompress((output / f"{name}.gz").read_bytes()) == (output / name).read_bytes(), name
    assert not list(output.rglob("*.png.gz"))
    off = build(FIXTURE, tmp_path / "off", RATUSHA_PRECOMPRESS=False)
    assert not list(off.rglob("*.gz")) and not list(off.rglob("*.br"))
