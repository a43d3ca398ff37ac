"""Index one build's pages, in a process of its own: ``python -m ratusha.search.indexing JOB``.

The build starts this as soon as ``content_model`` has written the item pages and goes on
with the list pages, feeds and the rest on its own core; it waits for the index before
precompression and the swap (``search``). JOB is a JSON file: the output folder, the
previous output (whose index is patched), the state of that index and where to write the
new state, the postings of a chunk, the pages as ``[save_as, url, fingerprint]``, and where to
list the files of the previous index that the new one has unchanged (the build keeps them where
they are). Prints one line of summary;
any error is on stderr with a non-zero exit, and the build stops.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import shutil
import sys
import time

from .index import CHUNK, FOLDER, Document, Index, Recorded, document
from .pages import extract

__all__ = ["index_pages", "main"]

#: What a damaged previous index can raise while it is read and patched.
DAMAGED = (OSError, ValueError, AttributeError, IndexError, KeyError, TypeError)


def _load(path: str | None) -> dict | None:
    if not path:
        return None
    try:
        with open(path, "rb") as file:
            return pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def index_pages(job: dict) -> str:
    """Write the index described by ``job``; save its state; return a summary line."""
    started = time.perf_counter()
    output = job["output"]
    pages = {save_as: (url, fingerprint) for save_as, url, fingerprint in job["pages"]}
    chunk = job.get("chunk", CHUNK)
    index = Index(output, job["previous"], _load(job["state"]), chunk)

    def read(save_as: str) -> Document | None:
        path = os.path.join(output, save_as)
        if job["previous"] and not os.path.exists(path):  # a page kept in the published folder
            path = os.path.join(job["previous"], save_as)
        with open(path, encoding="utf-8") as file:
            page = extract(file.read())
        url, fingerprint = pages[save_as]
        return None if page is None else document(save_as, url, fingerprint, page)

    documents: list[Document | Recorded] = []
    names: list[str] = []
    for name in sorted(pages):
        found = index.recorded(name, pages[name][1]) or read(name)
        if found is not None:
            documents.append(found)
            names.append(name)
    warning = ""
    try:
        state = index.write(documents, names, read)  # type: ignore[arg-type]
    except DAMAGED as error:
        if index.state is None:
            raise
        # The previous index is not what the state says (a file deleted or changed by hand).
        warning = f"; the previous index could not be patched ({error}), every page was indexed"
        shutil.rmtree(os.path.join(output, FOLDER), ignore_errors=True)
        index = Index(output, None, None, chunk)
        state = index.write(documents, names, read)  # type: ignore[arg-type]
    if job["result"]:
        with open(job["result"], "wb") as file:
            pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
    if job.get("unchanged"):
        with open(job["unchanged"], "w", encoding="utf-8") as file:
            file.write("\n".join(sorted(set(index.unchanged))))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux
    return (
        f"{len(documents)} pages in the index, {index.written} files written in {seconds:.1f} s, "
        f"peak memory {peak} MB{warning}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run one job; its file is the only argument."""
    (path,) = argv if argv is not None else sys.argv[1:]
    with open(path, encoding="utf-8") as file:
        job = json.load(file)
    print(index_pages(job), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
