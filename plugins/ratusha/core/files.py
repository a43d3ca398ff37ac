"""Files shared between builds: links into the previous output, memos by file version.

A rebuild carries unchanged pages over from the previous output by hard links rather than
writing them again (:mod:`.fingerprints`, ``precompress``, ``search``); what is read from a file
once (an image's size, its digest) is kept for as long as the file is the same.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from typing import TypeVar

__all__ = ["COPIES", "by_file_version", "link", "link_with_copies"]

T = TypeVar("T")
#: The precompressed copies that travel with a text file.
COPIES = (".gz", ".br")


def link(source: str, target: str) -> None:
    """Hard-link (or, across file systems, copy) ``source`` to ``target``.

    The previous output is never written through a link: nothing in a build writes into a
    reused page, and the old folder is only ever removed as a whole. FileNotFoundError
    when ``source`` is missing.
    """
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copy2(source, target)


def link_with_copies(source: str, target: str) -> None:
    """Link a file and its .gz/.br copies: precompress skips files whose copies came along."""
    link(source, target)
    for suffix in COPIES:
        with contextlib.suppress(FileNotFoundError):  # small files have no copies
            link(source + suffix, target + suffix)


def by_file_version(compute: Callable[[str], T]) -> Callable[[str], T]:
    """Memoise ``compute(path)`` by the file's version (path, modification time, size).

    One image is often shown by many items (a department's emblem, a standing photo), and
    `pelican --autoreload` rebuilds in the same process; a changed file has another key.
    """
    memo: dict[tuple[str, int, int], T] = {}

    def memoised(path: str) -> T:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in memo:
            memo[key] = compute(path)
        return memo[key]

    return memoised
