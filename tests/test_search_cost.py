"""What a query downloads: the same files in Python (ratusha.search.cost) and in the shipped
JavaScript, a bound that holds for a word on every page, and results that are BM25's over the
whole site although only the first chunks are loaded.

The fixture, with thirty more news items on repairs, is built with chunks of four postings,
so its deliberately common word («ремонт», on 32 of its 41 pages) is split into chunks as it
is at 50,000 items.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from test_search_words import CASES, run_node

from ratusha.search import FOLDER, cost
from ratusha.search.words import term, tokens
from ratusha.testing import copy_fixture
from support import build, edit, files

CHUNK = 4
EXTRA = 30


@pytest.fixture(scope="module")
def chunked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("chunked")
    content = copy_fixture(base)
    for n in range(EXTRA):
        words = " ".join(["ремонт"] * (n % 5 + 1) + ["дороги", "улицы", "посёлка"] * (n % 7 + 1))
        (content / "news" / f"2026-10-{n % 28 + 1:02d}-remont-{n}.md").write_text(
            f"---\ntitle: Работы на улице № {n}\ndate: 2026-10-{n % 28 + 1:02d} 10:00\n"
            f"id: 33333333-3333-4333-8333-{n:012d}\n"
            f"department: {('zhkh', 'administraciya')[n % 2]}\nno_crosspost: true\n---\n{words}.\n",
            encoding="utf-8",
        )
    return build(content, base / "output", RATUSHA_SEARCH=True, RATUSHA_SEARCH_CHUNK=CHUNK)


def index_file(site: Path, path: str) -> object:
    return json.loads((site / FOLDER / path).read_text(encoding="utf-8"))


def all_postings(site: Path, name: str) -> list[list[str]]:
    """Every posting of a term, from its bucket and all its chunks."""
    entry = index_file(site, "entry.json")
    for bucket in set(entry["buckets"]):
        value = index_file(site, f"b/{bucket}.json").get(name)
        if value is None:
            continue
        if isinstance(value, str):
            return [line.split(",") for line in value.split(";")]
        lines = ";".join(index_file(site, f"c/{chunk}.json") for chunk, _ in value["c"])
        return [line.split(",") for line in lines.split(";")]
    return []


def brute_force(site: Path, query: str) -> list[str]:
    """BM25 over every posting of every word (no chunk skipped): the fragments, best first."""
    entry = index_file(site, "entry.json")
    scores: dict[str, float] | None = None
    for word in dict.fromkeys(t for t in map(term, tokens(query)) if t):
        postings = all_postings(site, word)
        idf = math.log(1 + (entry["documents"] - len(postings) + 0.5) / (len(postings) + 0.5))
        found = {p[0]: float(p[1]) * idf for p in postings}
        scores = found if scores is None else {k: scores[k] + found[k] for k in scores if k in found}
    ranked = sorted((scores or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return [name for name, _ in ranked]


def test_the_common_word_is_in_chunks(chunked: Path) -> None:
    postings = all_postings(chunked, "ремонт")
    assert len(postings) == EXTRA + 2
    assert len(list((chunked / FOLDER / "c").glob("*.json"))) >= len(postings) // CHUNK
    weights = [int(p[1]) for p in postings]
    assert weights == sorted(weights, reverse=True), "impact order: the best pages first"


def test_a_one_word_query_loads_only_the_first_chunk(chunked: Path) -> None:
    files = cost.query_files(chunked, "ремонта")
    chunks = [f for f in files if f.startswith("c/")]
    # Ten results from chunks of four: the word's first three chunks, not its eight.
    assert len(chunks) == math.ceil(cost.PAGE / CHUNK)
    every = [f"c/{c}.json" for c, _ in next(v for v in buckets(chunked) if "ремонт" in v)["ремонт"]["c"]]
    assert len(chunks) < len(every) and chunks == every[: len(chunks)]
    bound = sum(cost._brotli(chunked / FOLDER / f) for f in files)
    assert cost.query_bytes(chunked, "ремонта") == bound
    full = bound + sum(cost._brotli(chunked / FOLDER / f) for f in every[len(chunks) :])
    assert cost.query_bytes(chunked, "ремонта") < full


def buckets(site: Path) -> list[dict]:
    entry = index_file(site, "entry.json")
    return [index_file(site, f"b/{name}.json") for name in entry["buckets"]]  # type: ignore[misc]


QUERIES = [
    "ремонт",
    "ремонт дороги",
    "улицы ремонт",
    "посёлка",
    "администрации посёлка",
    "посёлка 2026",
    "ремонт школы",
    "ремо",
    "посё",
    "шко",
    "ремо ",
    "и в по",
    "абракадабра",
    "администрации тестовый 2026",
]


EXACT = ["ремонт", "ремонт посёлка", "улицы ремонт дороги", "ремонт школы", "администрации посёлка 2026", "посёлка"]


@pytest.mark.parametrize("query", [*EXACT, "абракадабра"])
def test_the_first_results_are_bm25s_over_the_whole_site(chunked: Path, query: str) -> None:
    shown = [f[2:-5] for f in cost.query_files(chunked, query) if f.startswith("f/")]
    assert shown == brute_force(chunked, query)[: cost.PAGE]


def test_stop_words_alone_fetch_only_the_entry(chunked: Path) -> None:
    assert cost.query_files(chunked, "и в по") == ["entry.json"]


def test_a_word_being_typed_finds_its_completions(chunked: Path) -> None:
    shown = [f[2:-5] for f in cost.query_files(chunked, "ремо") if f.startswith("f/")]
    assert shown and shown == brute_force(chunked, "ремонт")[: len(shown)]
    assert [f for f in cost.query_files(chunked, "ремо ") if f.startswith("f/")] == []  # a space ends the word


def test_python_and_the_shipped_javascript_download_the_same_files(chunked: Path) -> None:
    found = run_node(chunked, [], [], [], queries=QUERIES + [c["text"] for c in CASES["tokens"]])
    assert found["queries"] == [cost.query_files(chunked, q) for q in QUERIES + [c["text"] for c in CASES["tokens"]]]
    assert any(any(f.startswith("c/") for f in files) for files in found["queries"])


def test_the_report_names_the_worst_common_word(chunked: Path) -> None:
    found = cost.report(chunked, words=10)
    assert found["pages"] == 41 and found["worst"][0]["bytes"] == found["max_one_word_bytes"]
    assert "поселк" in {q["term"] for q in found["worst"]}
    assert found["ремонт"] == cost.query_bytes(chunked, "ремонт")
    assert found["max_one_word_bytes"] == max(cost.query_bytes(chunked, q["term"]) for q in found["worst"])
    assert found["brotli_bytes_per_page"] * found["pages"] == pytest.approx(found["brotli_bytes"], abs=found["pages"])


def test_a_rebuild_patches_chunks_into_what_a_fresh_build_writes(tmp_path: Path) -> None:
    """Chunks of one posting: an edit, a removal and a new page, patched, give a fresh build's index."""
    content = copy_fixture(tmp_path / "site")
    output = build(content, tmp_path / "site" / "output", RATUSHA_SEARCH=True, RATUSHA_SEARCH_CHUNK=1)
    assert list((output / FOLDER / "c").glob("*.json"))
    before = {p.name: p.stat().st_ino for p in (output / FOLDER / "c").glob("*.json")}
    edit(content / "news" / "2026-11-21-otoplenie.md", "Все котельные", "Все 12 котельных на ремонте")
    (content / "news" / "2026-11-19-grafik-priema.md").unlink()
    build(content, output, RATUSHA_SEARCH=True, RATUSHA_SEARCH_CHUNK=1)
    fresh = build(content, tmp_path / "fresh" / "output", RATUSHA_SEARCH=True, RATUSHA_SEARCH_CHUNK=1)
    rebuilt, expected = files(output / FOLDER), files(fresh / FOLDER)
    assert rebuilt == expected
    kept = [p for p in (output / FOLDER / "c").glob("*.json") if before.get(p.name) == p.stat().st_ino]
    assert kept, "unchanged chunks are the previous build's files"
    assert [f for f in cost.query_files(output, "котельных") if f.startswith("f/")]
