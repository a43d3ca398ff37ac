"""Precompressed copies: the bytes nginx sends for each kind of file."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

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
