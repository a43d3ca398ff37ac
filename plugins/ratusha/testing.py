"""Test support: build a small site with the project's settings, as the tests of every plugin do.

As ``pelican.tests.support`` serves Pelican's own tests, this serves both the plugins' unit
tests (``plugins/ratusha/<name>/test_<name>.py``) and the whole-site tests (``tests/``), so
that every build in a test is made the same way and no fixture is copied. It reads the
checkout's ``pelicanconf.py``, ``theme/`` and ``tests/fixtures/``: for a source checkout
(``pip install -e .``), not an installed wheel. Pytest is imported only by the tests.

Fixtures (pytest loads this module as a plugin, ``-p ratusha.testing`` in pyproject.toml, so
they are defined once for ``plugins/`` and ``tests/``): ``fixture_content``, a private copy of
the fixture site's content, and ``fixture_site``, that content built once a session.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html
from pelican import Pelican
from pelican.settings import read_settings

__all__ = [
    "BUILD_TIME",
    "FIXTURE",
    "ROOT",
    "build",
    "copy_fixture",
    "edit",
    "files",
    "fixture_content",
    "fixture_site",
    "page",
    "paginated",
]

ROOT = Path(__file__).resolve().parents[2]
#: The small fixture site: a municipality, two departments and a few items of every type.
FIXTURE = ROOT / "tests" / "fixtures" / "site" / "content"
#: Builds in tests publish "as of" this moment, so scheduled items and past events
#: do not depend on the day the tests run.
BUILD_TIME = "2026-11-24T12:00:00"


def build(content: Path, output: Path, municipality: Path | None = None, **overrides: Any) -> Path:
    """Build ``content`` into ``output`` with the project's settings; return ``output``."""
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "RATUSHA_MUNICIPALITY": str(municipality or content / "municipality.yml"),
            "RATUSHA_BUILD_TIME": BUILD_TIME,
            "CACHE_CONTENT": False,
            # Search indexing and precompression have tests of their own; elsewhere they
            # only slow the many small builds down.
            "RATUSHA_SEARCH": False,
            "RATUSHA_PRECOMPRESS": False,
            "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
            "LOAD_CONTENT_CACHE": False,
            **overrides,
        },
    )
    Pelican(settings).run()
    return output


def paginated(**per_page: int) -> dict[str, int]:
    """Return the project's PAGINATED_TEMPLATES with some templates' items per page changed."""
    return {**read_settings(str(ROOT / "pelicanconf.py"))["PAGINATED_TEMPLATES"], **per_page}


def page(output: Path, url: str) -> html.HtmlElement:
    """Parse the page that ``url`` (such as '/news/') serves from ``output``."""
    path = output / url.strip("/")
    if not url.endswith((".html", ".xml", ".css")):
        path = path / "index.html"
    return html.fromstring(path.read_bytes())


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there, or the test would prove nothing) in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def copy_fixture(folder: Path) -> Path:
    """Copy the fixture site's content into ``folder``/content (to change it); return that."""
    target = folder / "content"
    shutil.copytree(FIXTURE, target)
    return target


def files(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` (its relative path) with its bytes, to compare whole sites."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """Give a test its own copy of the small fixture site, free to change."""
    return copy_fixture(tmp_path)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fixture site once a session (with its search index)."""
    return build(FIXTURE, tmp_path_factory.mktemp("fixture") / "output", RATUSHA_SEARCH=True)
