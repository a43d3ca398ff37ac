"""The build and the browser split, stem and bucket words alike: one list of cases, two languages.

``tests/search_cases.json`` is run through the Python functions of ``ratusha.search`` and,
in Node (no browser), through the JavaScript the built site ships: its
``search-words.js`` and the stemmer module its search page names. Beyond the cases, the
shipped stemmer is compared with PyStemmer on every word of the demo content and on
words made of every ending Snowball's Russian stemmer knows.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html

from ratusha.search import FOLDER, stemmer
from ratusha.search.cost import EXPAND, PAGE
from ratusha.search.index import KEY, bucket_of, key_of
from ratusha.search.words import STOP_WORDS, term, tokens
from support import ROOT, build

CASES = json.loads((Path(__file__).parent / "search_cases.json").read_text(encoding="utf-8"))
NODE = shutil.which("node")
RUNNER = Path(__file__).parent / "search_words.mjs"

#: Endings of every step of Snowball's Russian stemmer (snowballstem.org/algorithms/russian/stemmer.html).
ENDINGS = (  # noqa: SIM905 - a paragraph of endings reads better than a list
    "в вши вшись ив ивши ившись ыв ывши ывшись ся сь ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому "
    "их ых ую юю ая яя ою ею ем нн вш ющ щ ивш ывш ующ ла на ете йте ли й л ло но ет ют ны ть ешь нно ила ыла ена "
    "ейте уйте ите или ыли уй ил ыл ен ило ыло ено ят ует уют ит ыт ены ить ыть ишь ю а ев ов ье е иями ями ами еи "
    "ии и ией ий иям ям ием ам о у ах иях ях ы ь ию ью ия ья я ост ость ейш ейше н"
).split()


def bucket_cases() -> list[tuple[str, int, int]]:
    """(term, number of buckets, expected bucket) of every case, the full hash as 2**32 buckets."""
    found = []
    for case in CASES["buckets"]:
        found.append((case["term"], 2**32, case["hash"]))
        found.extend((case["term"], int(count), bucket) for count, bucket in case["buckets"].items())
    return found


def test_python_tokens_match_the_cases() -> None:
    assert [tokens(case["text"]) for case in CASES["tokens"]] == [case["tokens"] for case in CASES["tokens"]]


def test_python_terms_match_the_cases() -> None:
    assert [term(case["word"]) for case in CASES["terms"]] == [case["term"] for case in CASES["terms"]]


def test_python_buckets_match_the_cases() -> None:
    cases = bucket_cases()
    assert [bucket_of(name, count) for name, count, _ in cases] == [bucket for _, _, bucket in cases]


def shipped_scripts(site: Path) -> tuple[Path, Path]:
    """Return the built site's search-words.js and the stemmer module its search page loads."""
    page = html.fromstring((site / "search" / "index.html").read_bytes())
    sources = {Path(src).name.split(".")[0]: src for src in page.xpath("//script/@src")}
    (stemmer,) = page.xpath("//script[@data-stemmer]/@data-stemmer")
    assert page.xpath("//link[@rel='modulepreload']/@href") == [stemmer]
    return site / sources["search-words"].lstrip("/"), site / stemmer.lstrip("/")


def run_node(
    site: Path,
    texts: list[str],
    words: list[str],
    buckets: list[tuple[str, int]],
    *,
    keys: list[tuple[str, int]] = (),  # type: ignore[assignment]
    queries: list[str] = (),  # type: ignore[assignment]
) -> dict:
    """What the site's own JavaScript, run by Node, makes of the texts, words, terms and queries."""
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed (see .ci/run)")
        pytest.skip("node is not installed")
    words_js, stemmer = shipped_scripts(site)
    job = {
        "words_js": str(words_js),
        "stemmer": str(stemmer),
        "stop_words": sorted(STOP_WORDS),
        "tokens": texts,
        "terms": words,
        "buckets": buckets,
        "keys": list(keys),
        "queries": list(queries),
        "index": str(site / FOLDER),
        "expand": EXPAND,
        "page": PAGE,
    }
    done = subprocess.run(
        [NODE, str(RUNNER)], input=json.dumps(job), capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_python_keys_match_the_cases() -> None:
    assert [key_of(case["term"]) for case in CASES["keys"]] == [case["key"] for case in CASES["keys"]]


def test_the_shipped_javascript_matches_the_cases(fixture_site: Path) -> None:
    cases = bucket_cases()
    found = run_node(
        fixture_site,
        [case["text"] for case in CASES["tokens"]],
        [case["word"] for case in CASES["terms"]],
        [(name, count) for name, count, _ in cases],
        keys=[(case["term"], KEY) for case in CASES["keys"]],
    )
    assert found["keys"] == [case["key"] for case in CASES["keys"]]
    assert found["tokens"] == [case["tokens"] for case in CASES["tokens"]]
    assert found["terms"] == [case["term"] for case in CASES["terms"]]
    assert found["buckets"] == [bucket for _, _, bucket in cases]


def made_words(count: int = 20000) -> list[str]:
    """Words made of a few letters and a run of endings: every branch of the stemmer (seeded)."""
    chance = random.Random(2026)
    letters = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
    made = set()
    while len(made) < count:
        start = "".join(chance.choice(letters) for _ in range(chance.randint(1, 7)))
        made.add(start + "".join(chance.choice(ENDINGS) for _ in range(chance.randint(0, 3))))
    return sorted(made)


def test_the_shipped_stemmer_matches_pystemmer_word_for_word(fixture_site: Path) -> None:
    """Every Cyrillic word of the demo content and the made words get the same term."""
    vocabulary: set[str] = set()
    for source in (ROOT / "content").rglob("*.md"):
        vocabulary.update(tokens(source.read_text(encoding="utf-8")))
    vocabulary.update(made_words())
    words = sorted(w for w in vocabulary if re.search("[а-я]", w))
    assert len(words) > 25000
    found = run_node(fixture_site, [], words, [])
    differ = [(word, js, term(word)) for word, js in zip(words, found["terms"], strict=True) if js != term(word)]
    assert differ == []


def test_the_stemmer_is_shipped_with_its_licence(fixture_site: Path) -> None:
    _, shipped = shipped_scripts(fixture_site)
    data = shipped.read_bytes()
    package = ROOT / "node_modules" / "@orama" / "stemmers"
    assert data.startswith(b"/*! @orama/stemmers ") and b"Apache License, Version 2.0" in data.split(b"\n", 1)[0]
    assert data.endswith((package / "dist" / "ru.js").read_bytes())


def test_a_build_without_the_npm_package_says_how_to_install_it(
    fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stemmer, "PACKAGE", tmp_path / "node_modules" / "@orama" / "stemmers")
    with pytest.raises(stemmer.MissingStemmer, match=re.escape("make node_modules/.installed")):
        build(fixture_content, tmp_path / "output", RATUSHA_SEARCH=True)
    build(fixture_content, tmp_path / "without-search", RATUSHA_SEARCH=False)  # needs no npm
    assert not (tmp_path / "without-search" / "js").exists()
