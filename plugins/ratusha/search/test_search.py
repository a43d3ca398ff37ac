"""Build-level only (the index format is the search engineer's): the index is written, holds the pages, can be off."""

from __future__ import annotations

import json
from pathlib import Path

from ratusha.search import FOLDER
from ratusha.testing import FIXTURE, build


def fragments(output: Path) -> list[str]:
    """Each page's fragment (its address, title and text) as text, whatever its layout."""
    paths = sorted((output / FOLDER / "f").glob("*.json"))
    return [json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False) for path in paths]


def test_the_index_is_written_with_the_site(fixture_site: Path) -> None:
    entry = json.loads((fixture_site / FOLDER / "entry.json").read_text(encoding="utf-8"))
    assert entry
    assert list((fixture_site / FOLDER / "b").glob("*.json"))


def test_an_item_pages_words_are_in_the_index(fixture_site: Path) -> None:
    (school,) = [text for text in fragments(fixture_site) if "kapitalnyj-remont-shkoly-5" in text]
    assert "Капитальный ремонт школы № 5" in school
    assert "заменены окна и кровля" in school


def test_unpublished_items_are_not_indexed(fixture_site: Path) -> None:
    every = "\n".join(fragments(fixture_site))
    assert "Черновик новости" not in every and "Запланированная новость" not in every
    assert "Отопительный сезон" in every


def test_turned_off_no_index_is_written(tmp_path: Path) -> None:
    output = build(FIXTURE, tmp_path / "output", RATUSHA_SEARCH=False)
    assert (output / "index.html").is_file()
    assert not (output / FOLDER).exists()
