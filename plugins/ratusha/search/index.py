"""The search index: files the browser reads, and how a rebuild patches them.

Layout under ``search-index/`` (``FOLDER``):

* ``entry.json`` — the only file whose name does not change: the format, the number of
  documents, the names of the term buckets, the filters' values and the stop words;
* ``b/<hash>.json`` — one bucket of terms: a term's bucket is the FNV-1a hash of its first
  ``KEY`` letters modulo the number of buckets, so the bucket of a word is also the bucket of
  every word it begins (prefix search). A rare term keeps its postings there,
  ``"fragment,weight,filter…;…"`` (best first); a term on more than ``INLINE`` pages has
  ``{"n": pages, "c": [[chunk, its first weight]…], "f": counts by filter value}`` instead;
* ``c/<hash>.json`` — one chunk of a term's postings: ``chunk`` of them, as a JSON string, in
  the order of their weight, so the first chunk holds the best pages (impact ordering);
* ``f/<hash>.json`` — one page's fragment: address, title, details and text for the result.

Buckets and fragments are named by their content, so they can be cached for a year and a
rebuild never changes a file in place. A posting carries the page's filter values (as
indexes into the entry's lists) so that the browser can count and narrow results without
fetching anything else; its weight is BM25's term-frequency part with a fixed average
length, which depends on the page alone, so one page's change touches only the buckets of
its own terms. The browser adds the inverse document frequency from the posting lists.
"""

from __future__ import annotations

import array
import bisect
import functools
import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .pages import Page
from .words import STOP_WORDS, terms, tokens

__all__ = ["CHUNK", "FOLDER", "KEY", "Document", "Index", "bucket_count", "bucket_of", "document", "key_of"]

FOLDER = "search-index"
FORMAT = 2
#: BM25's parameters, the length it assumes for every page, and a title word's worth.
K1, B, AVERAGE_LENGTH, TITLE_BOOST = 1.2, 0.75, 300, 4
#: Text kept in a fragment for the result's excerpt.
FRAGMENT_TEXT = 2000
#: Postings per bucket the number of buckets is chosen for (a power of two, at most MAX_BUCKETS).
POSTINGS_PER_BUCKET = 1500
MAX_BUCKETS = 4096
#: Letters of a term that choose its bucket: typing them is enough for prefix search.
KEY = 3
#: Postings a term keeps inside its bucket; a term on more pages has chunk files.
INLINE = 4
#: Postings of a chunk file unless the setting RATUSHA_SEARCH_CHUNK says otherwise.
CHUNK = 1000
#: Characters of a fragment's name (48 bits of SHA-256: no collision among millions of pages).
FRAGMENT_NAME = 12


def _name(data: bytes, length: int = FRAGMENT_NAME) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _same(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def bucket_of(term: str, buckets: int) -> int:
    """FNV-1a (32 bits) over the term's UTF-16 code units, as the browser computes it."""
    value = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        value ^= data[i] | (data[i + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value % buckets


def key_of(term: str) -> str:
    """Return the first ``KEY`` letters (code points) of a term: what its bucket is chosen by."""
    return term[:KEY]


def term_bucket(term: str, buckets: int) -> int:
    """Return the bucket of a term: that of its key, shared by every term of the same first letters."""
    return bucket_of(key_of(term), buckets)


def bucket_count(postings: int) -> int:
    """Return the number of buckets for a site with ``postings`` postings (a power of two)."""
    wanted = max(1, postings // POSTINGS_PER_BUCKET)
    return min(MAX_BUCKETS, 1 << (wanted.bit_length() - 1))


@dataclass
class Document:
    """One page in the index."""

    save_as: str
    fingerprint: str
    fragment: str  # name of its fragment file
    terms: tuple[str, ...]  # its terms (the stemmer's shared strings) ...
    values: array.array  # ... and their weights ('H'): a tenth of a dict's memory at 50,000 pages
    filters: tuple[tuple[str, str], ...]
    data: bytes  # the fragment file

    @property
    def weights(self) -> dict[str, int]:
        """Return each term's weight."""
        return dict(zip(self.terms, self.values, strict=True))


def document(save_as: str, url: str, fingerprint: str, page: Page) -> Document:
    """Make the index entry of a page."""
    title_words, body_words = tokens(page.title), tokens(page.text)
    counts = terms(body_words)
    for term, count in terms(title_words).items():
        counts[term] += TITLE_BOOST * count
    norm = K1 * (1 - B + B * (len(body_words) + len(title_words)) / AVERAGE_LENGTH)
    by_count = {tf: max(1, round(100 * tf * (K1 + 1) / (tf + norm))) for tf in set(counts.values())}  # few counts
    weights = {term: by_count[tf] for term, tf in counts.items()}
    fragment = {"url": url, "title": page.title, "meta": page.meta, "text": page.text[:FRAGMENT_TEXT]}
    data = _dump(fragment)
    name = _name(save_as.encode() + b"\0" + data)  # two pages never share a fragment
    values = array.array("H", weights.values())
    return Document(save_as, fingerprint, name, tuple(weights), values, tuple(sorted(page.filters.items())), data)


def _filter_values(documents: Iterable[Document]) -> dict[str, list[str]]:
    values: dict[str, set[str]] = {}
    for doc in documents:
        for key, value in doc.filters:
            values.setdefault(key, set()).add(value)
    return {key: sorted(found) for key, found in sorted(values.items())}


#: Postings are kept until written as ``(MAX_WEIGHT - weight) << 32 | document``: sorting
#: the integers then orders them best first and, for equal weights, by document number,
#: which is the order of the fragments' names (documents are numbered so), as the lines are.
MAX_WEIGHT = 0xFFFF
_LOW = 0xFFFFFFFF
_WEIGHTS = [str(MAX_WEIGHT - w) for w in range(MAX_WEIGHT + 1)]  # inverted weight -> its text


def _posting(weight: int, number: int) -> int:
    return (MAX_WEIGHT - weight) << 32 | number


def _order(line: str) -> tuple[int, str]:
    """Return the sort key of a written posting line: best first, then by fragment."""
    return -int(line.split(",", 2)[1]), line


def _joined(rows: list[tuple[str, str]], postings: Iterable[int], kept: list[str] | None = None) -> str:
    """Return a term's postings (see ``_posting``) as "fragment,weight,filter…;…", best first.

    ``kept``: lines of the previous index, still in that order; a few new lines are put in
    their places by bisection rather than the whole list sorted again (a patch adds one or
    two pages to the postings of a common word).
    """
    weights = _WEIGHTS
    lines = [rows[p & _LOW][0] + weights[p >> 32] + rows[p & _LOW][1] for p in sorted(postings)]
    if not kept:
        return ";".join(lines)
    if len(lines) <= 16:
        for line in lines:
            bisect.insort(kept, line, key=_order)
        return ";".join(kept)
    lines.extend(kept)
    lines.sort(key=_order)
    return ";".join(lines)


#: The filter columns of every line of a term's postings ("fragment,weight,columns").
_COLUMNS = re.compile(r"[0-9a-f]+,[0-9]+,([^;]*)")


def _counts(postings: str, filters: int) -> list[dict[str, int]]:
    """Count a term's pages by each filter's value (what the browser shows before it has them all)."""
    counts: list[dict[str, int]] = [{} for _ in range(filters)]
    for columns, pages in Counter(_COLUMNS.findall(postings)).items():  # few distinct combinations
        for i, value in enumerate(columns.split(",")):
            if value != "-1":
                counts[i][value] = counts[i].get(value, 0) + pages
    return counts


def _without(postings: str, dropped: set[str], few: bool) -> list[str]:
    """Return a term's posting lines without those of the ``dropped`` fragments, in order."""
    lines = postings.split(";")
    if not few:
        return [line for line in lines if line[:FRAGMENT_NAME] not in dropped]
    found = []
    for fragment in dropped:  # a fragment's name is unique and never inside another line
        at = postings.find(fragment)
        if at >= 0:
            found.append(postings.count(";", 0, at))
    for number in sorted(found, reverse=True):
        del lines[number]
    return lines


def _merged(
    old: dict[str, str],
    new: dict[str, array.array],
    dropped: set[str],
    joined: Callable[..., str],
) -> dict[str, str]:
    """Patch one bucket: drop the postings of ``dropped`` fragments, add the ``new`` ones."""
    merged: dict[str, str] = {}
    few = len(dropped) <= 8  # a substring test per fragment; else one set test per term
    for term, postings in old.items():
        if few:
            untouched = not any(fragment in postings for fragment in dropped)
        else:
            untouched = dropped.isdisjoint(line[:FRAGMENT_NAME] for line in postings.split(";"))
        if term not in new and untouched:
            merged[term] = postings  # untouched: kept as it was
            continue
        kept = _without(postings, dropped, few)
        if kept or term in new:
            merged[term] = joined(new.get(term, []), kept)
    for term, postings in new.items():
        if term not in old:
            merged[term] = joined(postings)
    return merged


@dataclass
class Recorded:
    """What the state keeps of a document: enough to patch the buckets it was in."""

    fingerprint: str
    fragment: str
    buckets: bytes  # array('H') of its buckets
    filters: tuple[tuple[str, str], ...]
    terms: int


class Index:
    """Writes the index of one build, patching the previous one when it can."""

    def __init__(self, output: str, previous: str | None, state: dict | None, chunk: int = CHUNK) -> None:
        self.output = os.path.join(output, FOLDER)
        self.previous = os.path.join(previous, FOLDER) if previous else None
        self.chunk = max(1, chunk)
        self.state = state if self._state_holds(state) and state.get("chunk") == self.chunk else None
        self.written = 0
        #: Files of the previous index that this one has as they are (relative to the site):
        #: the build keeps them in the published folder rather than linking them into the new
        #: output, so an edit moves a few files, not the whole index (``search.finish_index``).
        self.unchanged: list[str] = []

    def _state_holds(self, state: dict | None) -> bool:
        """Say whether the state describes the previous output's index (its entry, byte for byte)."""
        if not state or state.get("format") != FORMAT or self.previous is None:
            return False
        try:
            with open(os.path.join(self.previous, "entry.json"), "rb") as entry:
                return _name(entry.read()) == state.get("entry")
        except OSError:
            return False

    def recorded(self, save_as: str, fingerprint: str) -> Recorded | None:
        """Return the recorded document if its page is unchanged since the previous index."""
        if self.state is None:
            return None
        found = self.state["documents"].get(save_as)
        return found if found is not None and found.fingerprint == fingerprint else None

    def write(self, documents: list[Document | Recorded], names: list[str], read: Callable[[str], Document]) -> dict:
        """Write the index of ``documents`` (``names``: their save_as); return the new state.

        Unchanged pages come as ``Recorded``; when the previous index cannot be patched (a
        new filter value, another number of buckets) they are read again with ``read``.
        """
        filters = _filter_values(d for d in documents)
        postings = sum(len(d.terms) if isinstance(d, Document) else d.terms for d in documents)
        buckets = bucket_count(postings)
        state = self.state
        patch = state is not None and state["buckets"] == buckets and state["filters"] == filters
        if not patch:
            documents = [d if isinstance(d, Document) else read(n) for d, n in zip(documents, names, strict=True)]
        # Numbered in the order of their fragments' names: see ``_posting``.
        fresh = sorted((d for d in documents if isinstance(d, Document)), key=lambda d: d.fragment)
        os.makedirs(os.path.join(self.output, "b"), exist_ok=True)
        os.makedirs(os.path.join(self.output, "f"), exist_ok=True)
        os.makedirs(os.path.join(self.output, "c"), exist_ok=True)
        self._filters = len(filters)
        positions = {name: i for i, name in enumerate(filters)}
        indexes = {name: {v: i for i, v in enumerate(values)} for name, values in filters.items()}

        def filter_columns(doc: Document) -> str:
            row = [-1] * len(filters)
            for key, value in doc.filters:
                row[positions[key]] = indexes[key][value]
            return ",".join(map(str, row))

        # Postings as integers (``_posting``), eight bytes each, until written.
        rows = [(doc.fragment + ",", "," + filter_columns(doc)) for doc in fresh]
        number_of = functools.lru_cache(maxsize=None)(functools.partial(term_bucket, buckets=buckets))
        table, records = self._table(fresh, number_of)

        def joined(postings: Iterable[int], kept: list[str] | None = None) -> str:
            return _joined(rows, postings, kept)

        if patch:
            names_now = set(names)
            gone = [rec for name, rec in state["documents"].items() if name not in names_now]
            changed = [state["documents"][d.save_as] for d in fresh if d.save_as in state["documents"]]
            dropped = {rec.fragment for rec in (*gone, *changed)}
            touched = set(table)
            for rec in (*gone, *changed):
                touched.update(array.array("H", rec.buckets))
            bucket_names = list(state["bucket_names"])
            chunk_names = [list(names) for names in state["chunk_names"]]
            for number in sorted(touched):
                merged = _merged(self._read_bucket(bucket_names[number]), table.get(number, {}), dropped, joined)
                bucket_names[number], chunk_names[number] = self._write_bucket(merged)
            for number, name in enumerate(bucket_names):
                if number not in touched:
                    self._keep(os.path.join("b", name + ".json"))
                    for chunk in chunk_names[number]:
                        self._keep(os.path.join("c", chunk + ".json"))
        else:
            written = [
                self._write_bucket({term: joined(postings) for term, postings in table.get(number, {}).items()})
                for number in range(buckets)
            ]
            bucket_names = [name for name, _ in written]
            chunk_names = [chunks for _, chunks in written]
        for doc in documents:
            if isinstance(doc, Document):
                self._write(os.path.join("f", doc.fragment + ".json"), doc.data)
            else:
                self._keep(os.path.join("f", doc.fragment + ".json"))
        entry = _dump(
            {
                "format": FORMAT,
                "documents": len(documents),
                "key": KEY,
                "chunk": self.chunk,
                "buckets": bucket_names,
                "filters": filters,
                "stop_words": sorted(STOP_WORDS),
            }
        )
        self._write("entry.json", entry, keep_same=True)
        recorded = {
            name: doc if isinstance(doc, Recorded) else records[doc.save_as]
            for doc, name in zip(documents, names, strict=True)
        }
        return {
            "format": FORMAT,
            "entry": _name(entry),
            "buckets": buckets,
            "bucket_names": bucket_names,
            "chunk_names": chunk_names,
            "chunk": self.chunk,
            "filters": filters,
            "documents": recorded,
        }

    def _table(
        self, fresh: list[Document], number_of: Callable[[str], int]
    ) -> tuple[dict[int, dict[str, array.array]], dict[str, Recorded]]:
        """Return the new postings by bucket and term, and what the state keeps of each new page."""
        by_term: defaultdict[str, array.array] = defaultdict(functools.partial(array.array, "Q"))
        records: dict[str, Recorded] = {}
        for number, doc in enumerate(fresh):  # a posting per term and page: the loop kept short
            best = _posting(0, number)
            for term, weight in zip(doc.terms, doc.values, strict=True):
                by_term[term].append(best - (weight << 32))
            records[doc.save_as] = self._record(doc, number_of)
        table: dict[int, dict[str, array.array]] = {}
        for term, postings in by_term.items():
            table.setdefault(number_of(term), {})[term] = postings
        return table, records

    @staticmethod
    def _record(doc: Document, number_of: Callable[[str], int]) -> Recorded:
        numbers = array.array("H", sorted({number_of(term) for term in doc.terms}))
        return Recorded(doc.fingerprint, doc.fragment, numbers.tobytes(), doc.filters, len(doc.terms))

    def _read_bucket(self, name: str) -> dict[str, str]:
        """Read a bucket of the previous index, each term's postings in one string (its chunks read)."""
        assert self.previous is not None
        with open(os.path.join(self.previous, "b", name + ".json"), "rb") as file:
            found = json.load(file)
        for term, value in found.items():
            if not isinstance(value, str):
                parts = []
                for chunk, _ in value["c"]:
                    with open(os.path.join(self.previous, "c", chunk + ".json"), "rb") as file:
                        parts.append(json.load(file))
                found[term] = ";".join(parts)
        return found

    def _write_bucket(self, terms_: dict[str, str]) -> tuple[str, list[str]]:
        """Write a bucket (a common term's postings in chunks); return its name and its chunks' names."""
        chunks: list[str] = []
        value: dict[str, object] = {}
        for term, postings in terms_.items():
            if postings.count(";") < INLINE:
                value[term] = postings
                continue
            lines = postings.split(";")
            parts = []
            for start in range(0, len(lines), self.chunk):
                part = lines[start : start + self.chunk]
                data = _dump(";".join(part))
                name = _name(data)
                self._write(os.path.join("c", name + ".json"), data, keep_same=True)
                chunks.append(name)
                parts.append([name, int(part[0].split(",", 2)[1])])
            described: dict[str, object] = {"n": len(lines), "c": parts}
            if len(parts) > 1:
                described["f"] = _counts(postings, self._filters)
            value[term] = described
        data = _dump(value)
        name = _name(data)
        self._write(os.path.join("b", name + ".json"), data)
        return name, chunks

    def _write(self, relative: str, data: bytes, keep_same: bool = False) -> None:
        path = os.path.join(self.output, relative)
        if os.path.exists(path):  # named by content: already there (a shared fragment)
            return
        if keep_same and self.previous is not None and _same(os.path.join(self.previous, relative), data):
            self._keep(relative)
            return
        with open(path, "wb") as file:
            file.write(data)
        self.written += 1

    def _keep(self, relative: str) -> None:
        """Take a file of the previous index as it is (listed in ``unchanged``, not copied)."""
        assert self.previous is not None
        self.unchanged.append(f"{FOLDER}/{relative.replace(os.sep, '/')}")
