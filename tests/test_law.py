"""8-FZ art. 13: the content check names, in Russian, every category the site does not publish."""

from __future__ import annotations

import shutil
from pathlib import Path

from ratusha.core.law import CATEGORIES
from ratusha.testing import ROOT, edit
from support import content_problems


def coverage_warnings(content: Path) -> list[str]:
    return [str(p) for p in content_problems(content) if p.field == "covers"]


def test_the_demo_covers_every_category() -> None:
    assert coverage_warnings(ROOT / "content") == []


def test_a_page_that_stops_covering_a_category_leaves_one_warning(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    edit(content / "pages" / "emergency.md", "covers: [emergency]", "")
    warnings = coverage_warnings(content)
    assert len(warnings) == 1
    assert "ст. 13 8-ФЗ, п. 4" in warnings[0]
    assert CATEGORIES["emergency"].title in warnings[0]
    assert "covers: [emergency]" in warnings[0]


def test_a_section_without_items_covers_nothing(fixture_content: Path) -> None:
    shutil.rmtree(fixture_content / "announcements")
    warnings = coverage_warnings(fixture_content)
    assert [w for w in warnings if "п. 3:" in w] == warnings and len(warnings) == 1


def test_a_draft_page_covers_nothing(fixture_content: Path) -> None:
    edit(fixture_content / "pages" / "about.md", "order: 1", "order: 1\nstatus: draft")
    warnings = coverage_warnings(fixture_content)
    assert len(warnings) == 18  # everything about.md covered, and nothing else


def test_an_unknown_category_is_an_error_with_a_hint(fixture_content: Path) -> None:
    edit(fixture_content / "pages" / "about.md", "covers: [subordinate,", "covers: [subordinat,")
    problems = content_problems(fixture_content)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert len(errors) == 1 and "subordinat" in errors[0] and "возможно, subordinate?" in errors[0]
