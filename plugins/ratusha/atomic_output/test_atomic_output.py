"""The site is built beside the served folder and swapped in whole; the replaced one is kept aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ratusha.atomic_output import output_swapped
from ratusha.content_model import BuildStopped
from ratusha.testing import build, edit, files

#: Output folders announced by ``output_swapped``, in order.
swapped: list[str] = []


def record_swap(pelican: Any) -> None:
    """Note the folder the new site was swapped into (a named function: blinker keeps weak references)."""
    swapped.append(str(pelican.output_path))


@pytest.fixture
def announcements() -> list[str]:
    swapped.clear()
    output_swapped.connect(record_swap)
    yield swapped
    output_swapped.disconnect(record_swap)


def test_a_finished_build_is_announced_once_it_is_in_place(
    fixture_content: Path, tmp_path: Path, announcements: list[str]
) -> None:
    output = build(fixture_content, tmp_path / "output")
    assert announcements == [str(output)]
    assert (output / "index.html").is_file()
    assert not (tmp_path / "output.staging").exists()


def test_a_stopped_build_is_not_announced(fixture_content: Path, tmp_path: Path, announcements: list[str]) -> None:
    edit(fixture_content / "news" / "2026-11-20-remont.md", "department: zhkh", "department: nikto")
    with pytest.raises(BuildStopped):
        build(fixture_content, tmp_path / "output")
    assert announcements == []
    assert not (tmp_path / "output").exists()


def test_a_rollback_is_two_renames(fixture_content: Path, tmp_path: Path) -> None:
    output = build(fixture_content, tmp_path / "output")
    first = files(output)
    edit(fixture_content / "pages" / "about.md", "основан в 1907 году", "основан в 1908 году")
    build(fixture_content, output)
    assert files(output) != first
    old = tmp_path / "output.old"
    output.rename(tmp_path / "output.bad")
    old.rename(output)
    assert files(output) == first


def test_the_staging_folder_of_a_killed_build_is_never_served(fixture_content: Path, tmp_path: Path) -> None:
    staging = tmp_path / "output.staging"
    staging.mkdir()
    (staging / "half-written.html").write_text("обрыв")
    output = build(fixture_content, tmp_path / "output")
    assert (output / "index.html").is_file()
    assert not (output / "half-written.html").exists()
    assert not staging.exists()
