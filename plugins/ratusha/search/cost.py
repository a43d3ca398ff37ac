"""What a query costs the browser: the files of the index it downloads, in Brotli bytes.

``query_files`` follows the search page's own choice of files step by step (the functions
``groups``, ``rank`` and ``ensure`` of ``theme/static/js/search-words.js``): ``entry.json``,
the bucket of each word, the bucket of the last word's first letters when it is expanded,
the chunks loaded until the first ten results are proven, and the fragments of those ten.
``tests/test_search_cost.py`` runs the same queries through the shipped JavaScript in Node
and compares the lists, so this is the client's cost, not an estimate. The scripts (cached
for a year, fetched once with the search page) are not counted.

``report`` is what ``invoke bench`` prints beside Pagefind: the worst one-word queries among
the site's most frequent words and the index's size per page.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import brotli

from .index import FOLDER, bucket_of
from .words import STOP_WORDS, term, tokens

__all__ = ["EXPAND", "PAGE", "query_bytes", "query_files", "report"]

#: Results on the first page and completions of a word being typed (as search.js).
PAGE = 10
EXPAND = 3
#: Brotli quality of the precompressed index files (the .br beside a file is used when there).
QUALITY = 9


def _key(text: str, key: int) -> str:
    return text[:key]


def _units(text: str) -> bytes:
    """Order strings as JavaScript's ``<`` does: by UTF-16 code units."""
    return text.encode("utf-16-be")


def _parse(postings: str) -> list[list]:
    if not postings:
        return []
    return [[v if i == 0 else float(v) for i, v in enumerate(line.split(","))] for line in postings.split(";")]


class _Alternative:
    def __init__(self, entry: dict, name: str, value: str | dict) -> None:
        self.term = name
        if isinstance(value, str):
            self.df, self.postings, self.chunks = len(value.split(";")), _parse(value), []
        else:
            self.df, self.postings, self.chunks = value["n"], [], [list(c) for c in value["c"]]
        self.idf = math.log(1 + (entry["documents"] - self.df + 0.5) / (self.df + 0.5))

    def bound(self) -> float:
        return self.chunks[0][1] * self.idf if self.chunks else 0.0


def _bucket_path(entry: dict, text: str) -> str:
    number = bucket_of(_key(text, entry["key"]), len(entry["buckets"]))
    return f"b/{entry['buckets'][number]}.json"


def _groups(entry: dict, get: Callable[[str], object], query: str) -> list[list[_Alternative]]:
    words: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    found = tokens(query)
    for i, word in enumerate(found):
        name = term(word)
        if name and name not in seen:
            seen.add(name)
            words.append((name, word, i == len(found) - 1))
    is_open = bool(found) and not re.search(r"\s$", query)
    buckets = [get(_bucket_path(entry, name)) for name, _, _ in words]  # all asked for at once
    groups = []
    for (name, word, last), bucket in zip(words, buckets, strict=True):
        if name in bucket:  # type: ignore[operator]
            groups.append([_Alternative(entry, name, bucket[name])])  # type: ignore[index]
        elif is_open and last and len(word) >= entry["key"]:
            other: dict = get(_bucket_path(entry, word))  # type: ignore[assignment]
            alternatives = [_Alternative(entry, t, v) for t, v in other.items() if t.startswith(word)]
            alternatives.sort(key=lambda a: (-a.df, _units(a.term)))
            groups.append(alternatives[:EXPAND])
        else:
            groups.append([])
    return groups


def _rank(groups: list[list[_Alternative]]) -> tuple[list[dict], bool]:
    """Return the results the loaded postings prove (``rank`` in search-words.js) and whether all are loaded."""
    docs: dict[str, dict] = {}
    complete = all(not a.chunks for g in groups for a in g)
    for gi, group in enumerate(groups):
        for ai, alt in enumerate(group):
            for posting in alt.postings:
                doc = docs.setdefault(posting[0], {"posting": posting, "known": {}, "found": set()})
                score = posting[1] * alt.idf
                if gi not in doc["known"] or score > doc["known"][gi]:
                    doc["known"][gi] = score
                doc["found"].add((gi, ai))
    unseen = 0.0
    for group in groups:
        unseen += max((a.bound() for a in group if a.chunks), default=-math.inf)
    if not groups:
        unseen = -math.inf
    live: list[float] = []
    exact: list[dict] = []
    for doc in docs.values():
        lower = upper = 0.0
        sure = every = True
        for gi, group in enumerate(groups):
            best = max(
                (a.bound() for ai, a in enumerate(group) if a.chunks and (gi, ai) not in doc["found"]),
                default=-math.inf,
            )
            if gi not in doc["known"]:
                every = False
                if best == -math.inf:
                    upper = -math.inf
                    break
                upper += best
                sure = False
            else:
                lower += doc["known"][gi]
                if best > doc["known"][gi]:
                    sure = False
                    upper += best
                else:
                    upper += doc["known"][gi]
        if upper == -math.inf:
            continue
        if every and sure:
            doc["score"] = lower
            exact.append(doc)
        else:
            live.append(upper)
    exact.sort(key=lambda d: (-d["score"], _units(d["posting"][0])))
    if complete:
        return exact, True
    threshold = max([unseen, *live])
    single = len(groups) == 1 and len(groups[0]) == 1
    proven = 0
    while proven < len(exact) and (
        exact[proven]["score"] > threshold or (single and exact[proven]["score"] >= threshold)
    ):
        proven += 1
    return exact[:proven], False


def _ensure(groups: list[list[_Alternative]], get: Callable[[str], object], wanted: float) -> list[dict]:
    while True:
        results, complete = _rank(groups)
        if complete or len(results) >= wanted:
            return results
        best: _Alternative | None = None
        for group in groups:
            for alt in group:
                if alt.chunks and (best is None or alt.bound() > best.bound()):
                    best = alt
        assert best is not None
        name, _ = best.chunks.pop(0)
        best.postings = best.postings + _parse(get(f"c/{name}.json"))  # type: ignore[arg-type]


def query_files(output: Path, query: str) -> list[str]:
    """Return the index's files (relative to ``search-index/``) the search page downloads for ``query``."""
    index = Path(output) / FOLDER
    asked: list[str] = []

    def get(path: str) -> object:
        if path not in asked:
            asked.append(path)
        return _load(index / path)

    entry: dict = get("entry.json")  # type: ignore[assignment]
    if not any(term(word) for word in tokens(query)):
        return asked
    groups = _groups(entry, get, query)
    for result in _ensure(groups, get, PAGE)[:PAGE]:
        get(f"f/{result['posting'][0]}.json")
    return asked


@lru_cache(maxsize=4096)
def _load(path: Path) -> object:
    with open(path, "rb") as file:
        return json.load(file)


@lru_cache(maxsize=65536)
def _brotli(path: Path) -> int:
    compressed = Path(str(path) + ".br")
    if compressed.is_file():
        return compressed.stat().st_size
    return len(brotli.compress(path.read_bytes(), quality=QUALITY))


def query_bytes(output: Path, query: str) -> int:
    """Brotli bytes of the index files the browser downloads for ``query`` (its first ten results)."""
    index = Path(output) / FOLDER
    return sum(_brotli(index / path) for path in query_files(output, query))


def _frequent(output: Path, words: int) -> list[tuple[str, int]]:
    """Return the site's ``words`` most frequent terms, with the number of pages each is on."""
    index = Path(output) / FOLDER
    entry = json.loads((index / "entry.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for name in set(entry["buckets"]):
        bucket = json.loads((index / "b" / f"{name}.json").read_text(encoding="utf-8"))
        for found, value in bucket.items():
            counts[found] = value["n"] if isinstance(value, dict) else len(value.split(";"))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:words]


def report(output: Path, words: int = 50) -> dict:
    """Return the worst one-word queries among the most frequent words, «ремонт», and the size per page."""
    output = Path(output)
    index = output / FOLDER
    entry = json.loads((index / "entry.json").read_text(encoding="utf-8"))
    frequent = _frequent(output, words)
    queries = sorted(
        ({"term": name, "pages": pages, "bytes": query_bytes(output, name)} for name, pages in frequent),
        key=lambda q: (-q["bytes"], q["term"]),
    )
    files = [path for path in index.rglob("*.json")]
    raw = sum(path.stat().st_size for path in files)
    compressed = sum(_brotli(path) for path in files)
    documents = max(1, entry["documents"])
    return {
        "pages": entry["documents"],
        "files": len(files),
        "bytes": raw,
        "brotli_bytes": compressed,
        "bytes_per_page": round(raw / documents),
        "brotli_bytes_per_page": round(compressed / documents),
        "worst": queries[:10],
        "max_one_word_bytes": queries[0]["bytes"] if queries else 0,
        "ремонт": query_bytes(output, "ремонт"),
        "stop_words": len(STOP_WORDS),
    }
