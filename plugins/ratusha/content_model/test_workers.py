"""Reading and writing in worker processes changes nothing of what a build writes or says."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.exceptions import UndefinedError

from ratusha.core.errors import BuildStopped
from ratusha.testing import FIXTURE, build, copy_fixture, edit, files

#: Two processes for every file and page, however small the site (the fixture has a few dozen).
PARALLEL = {"RATUSHA_WORKERS": 2, "RATUSHA_WORKERS_MIN": 1}
SERIAL = {"RATUSHA_WORKERS": 1}


def test_the_fixture_site_is_the_same_built_by_one_process_or_two(tmp_path: Path) -> None:
    serial = build(FIXTURE, tmp_path / "serial", **SERIAL)
    parallel = build(FIXTURE, tmp_path / "parallel", **PARALLEL)
    expected = files(serial)
    assert files(parallel) == expected
    sitemap = (parallel / "sitemap.xml").read_text(encoding="utf-8")
    assert "/departments/zhkh/" in sitemap  # pages written by the child are listed too
    # A rebuild reuses every unchanged page in the children as in the parent.
    assert files(build(FIXTURE, tmp_path / "parallel", **PARALLEL)) == expected


def test_a_rebuild_after_an_edit_is_the_same_both_ways(tmp_path: Path) -> None:
    content = copy_fixture(tmp_path)
    outputs = {}
    for name, settings in (("serial", SERIAL), ("parallel", PARALLEL)):
        outputs[name] = build(content, tmp_path / name, **settings)  # then a rebuild that reuses pages
    edit(content / "news" / "2026-11-20-remont.md", "Капитальный ремонт", "Плановый ремонт")
    rebuilt = {
        name: files(build(content, tmp_path / name, **s)) for name, s in (("serial", SERIAL), ("parallel", PARALLEL))
    }
    assert rebuilt["parallel"] == rebuilt["serial"]
    assert any("Плановый ремонт".encode() in data for data in rebuilt["parallel"].values())


def test_errors_read_by_workers_are_reported_as_serially_in_the_same_order(
    fixture_content: Path, tmp_path: Path
) -> None:
    edit(fixture_content / "news" / "2026-11-20-remont.md", "department: zhkh", "department: nikto")
    edit(fixture_content / "announcements" / "yarmarka.md", "place: площадь Ленина\n", "")
    (fixture_content / "news" / "2026-11-23-bitaya.md").write_text("---\ntitle: [не закрыто\n---\n", encoding="utf-8")
    said = {}
    for name, settings in (("serial", SERIAL), ("parallel", PARALLEL)):
        with pytest.raises(BuildStopped) as stopped:
            build(fixture_content, tmp_path / name, **settings)
        said[name] = str(stopped.value)
        assert not (tmp_path / name).exists()
    assert said["parallel"] == said["serial"]
    assert said["serial"].count("\n") == 3  # the three files, each once


def test_a_template_error_in_a_worker_stops_the_build_as_serially(fixture_content: Path, tmp_path: Path) -> None:
    # The second news page (written by the child when there are two processes) fails.
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "news_item.html").write_text(
        '{% if item is sameas news[1] %}{{ no_such_function() }}{% endif %}{% extends "!theme/news_item.html" %}',
        encoding="utf-8",
    )
    said = {}
    for name, settings in (("serial", SERIAL), ("parallel", PARALLEL)):
        with pytest.raises(UndefinedError) as failed:
            build(fixture_content, tmp_path / name, THEME_TEMPLATES_OVERRIDES=[str(overrides)], **settings)
        said[name] = str(failed.value)
        assert not (tmp_path / name).exists()  # nothing published
    assert said["parallel"] == said["serial"] == "'no_such_function' is undefined"
