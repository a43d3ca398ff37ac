"""Precompressed copies: the bytes nginx sends for each kind of file."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

from ratusha.precompress import compress_folder
from support import FIXTURE, build


def test_copies_at_the_documented_qualities(tmp_path: Path) -> None:
    """Theme CSS and JS at Brotli 11 (cached for a year), pages at 6; gzip round-trips."""
    output = build(FIXTURE, tmp_path / "output", RATUSHA_PRECOMPRESS=True)
    (css,) = (output / "theme" / "css").glob("ratusha.*.css")
    page = output / "news" / "index.html"
    for path, quality in ((css, 11), (page, 6)):
        data = path.read_bytes()
        assert Path(f"{path}.br").read_bytes() == brotli.compress(data, quality=quality), path
        assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == data


def test_every_text_asset_has_its_copies_however_small(tmp_path: Path) -> None:
    """municipality.css is a few dozen bytes, under the pages' minimum: it is still compressed."""
    output = build(FIXTURE, tmp_path / "output", RATUSHA_PRECOMPRESS=True)
    assets = [p for p in output.rglob("*") if p.suffix in (".css", ".js", ".svg")]
    (municipality,) = (p for p in assets if p.name.startswith("municipality."))
    assert municipality.stat().st_size < 512
    for path in assets:
        data = path.read_bytes()
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == data, path
        assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == data, path


def test_copies_are_links_to_the_cache_and_a_stale_copy_is_replaced_not_written_into(tmp_path: Path) -> None:
    """The output's copies share the cache's bytes; a rebuild never writes through a shared link."""
    cache = tmp_path / "output-cache" / "compressed"
    output = build(FIXTURE, tmp_path / "output", RATUSHA_PRECOMPRESS=True)
    page = output / "news" / "index.html"
    copy = Path(f"{page}.br")
    assert copy.stat().st_nlink == 2
    (cached,) = (path for path in cache.iterdir() if path.stat().st_ino == copy.stat().st_ino)
    kept = cached.read_bytes()

    # A page with a stale copy beside it (as a build that failed halfway leaves) is compressed
    # again: the stale file goes, and the cache keeps its bytes.
    Path(f"{page}.gz").unlink()
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    compress_folder(str(output), cache=str(cache))
    assert cached.read_bytes() == kept
    assert brotli.decompress(copy.read_bytes()) == page.read_bytes()
    assert gzip.decompress(Path(f"{page}.gz").read_bytes()) == page.read_bytes()
