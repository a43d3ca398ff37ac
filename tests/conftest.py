"""Helpers for whole-site tests: build a site from a content folder into tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site" / "content"
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
            "LOAD_CONTENT_CACHE": False,
            **overrides,
        },
    )
    Pelican(settings).run()
    return output


def page(output: Path, url: str) -> html.HtmlElement:
    """Parse the page that ``url`` (such as '/news/') serves from ``output``."""
    path = output / url.strip("/")
    if not url.endswith((".html", ".xml", ".css")):
        path = path / "index.html"
    return html.fromstring(path.read_bytes())


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """A private copy of the small fixture site, free to break."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once."""
    return build(FIXTURE, tmp_path_factory.mktemp("fixture") / "output")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site in content/, built once."""
    return build(ROOT / "content", tmp_path_factory.mktemp("demo") / "output")
