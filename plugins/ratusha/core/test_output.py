"""The site is built beside the served folder and swapped in whole; the replaced one is kept aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratusha.core.errors import BuildStopped
from ratusha.testing import build, edit, files


def records(output: Path) -> list[Path]:
    """The fingerprint records the finish pipeline keeps once a site is in place."""
    return sorted((output.parent / f"{output.name}-cache" / "incremental").glob("*.json"))


def test_a_finished_build_is_recorded_once_it_is_in_place(fixture_content: Path, tmp_path: Path) -> None:
    output = build(fixture_content, tmp_path / "output")
    assert (output / "index.html").is_file()
    assert not (tmp_path / "output.staging").exists()
    assert len(records(output)) == 1, "the record describes the site now on disk"


def test_a_stopped_build_is_not_recorded(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / "news" / "2026-11-20-remont.md", "department: zhkh", "department: nikto")
    with pytest.raises(BuildStopped):
        build(fixture_content, tmp_path / "output")
    assert records(tmp_path / "output") == []
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
