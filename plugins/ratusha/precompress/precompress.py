"""Precompressed copies (.gz and .br) beside every text file of the site.

nginx's gzip_static and brotli_static then send them without compressing on each
request. Files are written with no timestamp (gzip mtime 0), so an unchanged site gives
byte-identical archives, and compressed bytes are cached under ``<CACHE_PATH>/compressed``
by the SHA-256 of the original, so a rebuild only compresses the pages that changed; the
copies in the output are hard links to the cached files where the file system allows. Files
that already have both copies are left alone, and the rest are compressed by one thread
per core. A rebuild's staging folder holds only the files it wrote (:mod:`ratusha.core.output`),
so only those are compressed: kept pages keep their copies in the published folder.

The search index's files (``RATUSHA_PRECOMPRESS_BROTLI_ONLY``) get a .br copy and no .gz:
they are half the site's files, and only the search script fetches them, in browsers that
all take Brotli over HTTPS; nginx compresses them on the fly for any other client.

Settings: ``DEFAULTS`` below.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import os
import shutil
import threading
from itertools import repeat

import brotli
from zlib_ng import gzip_ng

from ratusha.core.build import Build
from ratusha.core.files import link
from ratusha.core.pipeline import add_step
from ratusha.core.settings import Setting

__all__ = ["DEFAULTS", "TEXT_EXTENSIONS", "compress_folder", "register"]

PLUGIN = "ratusha.precompress"
DEFAULTS = {
    "RATUSHA_PRECOMPRESS": Setting(True, "write .gz and .br copies of every text file"),
    "RATUSHA_PRECOMPRESS_MIN_SIZE": Setting(512, "files smaller than this (bytes) are left alone"),
    "RATUSHA_PRECOMPRESS_BROTLI_ONLY": Setting(
        ("search-index/",),
        "folders whose files get a .br copy and no .gz (only scripts read them, in browsers that take Brotli)",
    ),
}
TEXT_EXTENSIONS = (".html", ".css", ".js", ".xml", ".json", ".ics", ".svg", ".txt", ".csv", ".webmanifest")
#: Brotli quality by file: 11 for the theme's stylesheets and scripts (a handful of files,
#: cached for a year, 11 % smaller than at 9), 6 for pages, feeds and the rest. Measured on
#: 300 news pages of the benchmark corpus (18.6 KB each): quality 9 takes 5.0 ms a page for
#: 4,204 bytes, 6 takes 0.24 ms for 4,243 bytes (+1 %), 11 takes 14 ms for 3,757 bytes;
#: at 10,000 items quality 9 was more than half of a full build.
BROTLI_QUALITY = 6
BROTLI_QUALITY_ASSETS = 11
ASSET_EXTENSIONS = (".css", ".js", ".svg")
#: gzip level for every file: 6 is twice as fast as 9 for 0.3 % more bytes (1,800 pages, index
#: buckets and fragments of the 50,000-item benchmark: 0.96 s against 1.86 s). Browsers that
#: take Brotli, nearly all, never see the .gz. The encoder is zlib-ng's (``gzip_ng``, the same
#: format): on 1,500 pages, feeds and index files of the 10,000-item city corpus (26.5 MB) it
#: took 0.37 CPU-s at level 6 against zlib's 0.76 s, for 0.7 % more bytes.
GZIP_LEVEL = 6
#: The copies of a file in a ``RATUSHA_PRECOMPRESS_BROTLI_ONLY`` folder.
BROTLI_ONLY = (".br",)
ENCODERS = {
    ".gz": lambda data, path: gzip_ng.compress(data, compresslevel=GZIP_LEVEL, mtime=0),
    ".br": lambda data, path: brotli.compress(
        data, quality=BROTLI_QUALITY_ASSETS if path.endswith(ASSET_EXTENSIONS) else BROTLI_QUALITY
    ),
}


def _copy(data: bytes, suffix: str, path: str, cache: str | None) -> str | None:
    """Put the ``suffix`` copy of ``path`` beside it; return its cache key (None without a cache).

    A hit is one hard link to the cached file: a link writes no bytes a second time (the
    copies are a third of a full build's output). A miss writes the copy in its place and
    links the cache to it, so a full build creates each copy once. Whatever was at the
    copy's place is unlinked first, never written into: it may be a link shared with the
    cache or with the previous output.
    """
    target = path + suffix
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    if cache is None:
        _write(target, ENCODERS[suffix](data, path))
        return None
    # The extension is part of the key: the same bytes are compressed differently as an asset.
    key = hashlib.sha256(data).hexdigest() + os.path.splitext(path)[1] + suffix
    cached = os.path.join(cache, key)
    try:
        link(cached, target)  # or a copy, on another file system
        return key
    except FileNotFoundError:
        pass
    _write(target, ENCODERS[suffix](data, path))
    try:
        os.link(target, cached)
    except FileExistsError:  # another thread met equal bytes: its copy is as good
        pass
    except OSError:  # the cache is on another file system: a copy, renamed into place whole
        temporary = f"{cached}.{threading.get_ident()}.tmp"
        shutil.copyfile(target, temporary)
        os.replace(temporary, cached)
    return key


def _write(target: str, data: bytes) -> None:
    with open(target, "wb") as handle:
        handle.write(data)


def _compress_file(path: str, min_size: int, cache: str | None, suffixes: tuple[str, ...]) -> list[str] | None:
    """Write the ``suffixes`` copies of one file; return the cache keys used (None when too small)."""
    with open(path, "rb") as handle:
        data = handle.read()
    # Theme assets always get their copies, however small (municipality.css is a few
    # dozen bytes): "every text asset precompressed", and nginx's *_static then never
    # falls back to compressing them on the fly.
    if len(data) < min_size and not path.endswith(ASSET_EXTENSIONS):
        return None
    return [key for suffix in suffixes if (key := _copy(data, suffix, path, cache)) is not None]


def _compress_batch(
    paths: list[tuple[str, tuple[str, ...]]], min_size: int, cache: str | None
) -> tuple[int, list[str]]:
    """Compress ``paths`` (each with its copies); return how many were large enough, and the cache keys used."""
    done = [keys for path, suffixes in paths if (keys := _compress_file(path, min_size, cache, suffixes)) is not None]
    return len(done), [key for keys in done for key in keys]


def _pending(folder: str, brotli_only: tuple[str, ...] = ()) -> tuple[list[tuple[str, tuple[str, ...]]], int]:
    """Text files without their copies (each with the copies it needs), and how many have them.

    A file under one of ``brotli_only`` (folders relative to ``folder``, with '/') needs
    only its .br; the others need both.
    """
    found, done = [], 0
    top = os.path.abspath(folder)
    only = tuple(os.path.join(top, prefix.strip("/")) + os.sep for prefix in brotli_only)
    for root, _, files in os.walk(top):
        names = set(files)
        suffixes = BROTLI_ONLY if only and (root + os.sep).startswith(only) else tuple(ENCODERS)
        for name in files:
            if not name.endswith(TEXT_EXTENSIONS):
                continue
            if all(name + suffix in names for suffix in suffixes):
                done += 1
            else:
                found.append((os.path.join(root, name), suffixes))
    return sorted(found), done


def compress_folder(
    folder: str,
    min_size: int = 512,
    cache: str | None = None,
    *,
    workers: int | None = None,
    whole: bool = True,
    brotli_only: tuple[str, ...] = (),
) -> int:
    """Write .gz and .br beside each text file in ``folder`` lacking them; return how many files.

    Files are compressed by a pool of threads, one per core (zlib and brotli release the
    GIL): compression is most of what a full build of a large site spends after Pelican.
    ``whole``: the folder is the whole site, so the cache may forget what it does not use;
    a rebuild's staging folder holds only the files it wrote (the kept ones keep their copies).
    ``brotli_only``: folders whose files get a .br copy and no .gz (see ``DEFAULTS``).
    """
    if cache is not None:
        os.makedirs(cache, exist_ok=True)
    paths, done = _pending(folder, brotli_only)
    workers = workers or os.cpu_count() or 1
    batches = [paths[i : i + 100] for i in range(0, len(paths), 100)]
    if workers > 1 and len(batches) > 1:
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:  # zlib and brotli release the GIL
            results = list(pool.map(_compress_batch, batches, repeat(min_size), repeat(cache)))
    else:
        results = [_compress_batch(batch, min_size, cache) for batch in batches]
    used = {key for _, keys in results for key in keys}
    if cache is not None and not done and whole:  # a whole site: forget what it no longer has
        for name in os.listdir(cache):
            if name not in used:
                os.remove(os.path.join(cache, name))
    return sum(count for count, _ in results)


def precompress(build: Build) -> None:
    """Compress the finished site (a finish step, once everything is written)."""
    settings = build.settings
    if settings["RATUSHA_PRECOMPRESS"]:
        cache = os.path.join(settings["CACHE_PATH"], "compressed")
        whole = build.previous is None or build.staging.published is None
        compress_folder(
            build.output,
            int(settings["RATUSHA_PRECOMPRESS_MIN_SIZE"]),
            cache,
            whole=whole,
            brotli_only=tuple(settings["RATUSHA_PRECOMPRESS_BROTLI_ONLY"]),
        )


def register() -> None:
    """Compress in the finish pipeline, before the output is swapped in."""
    add_step("precompress", precompress, PLUGIN)
