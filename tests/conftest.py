"""Fixtures for whole-site tests: the fixture site and the demo, built into tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURE, ROOT, build


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """A private copy of the small fixture site, free to break."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once."""
    return build(FIXTURE, tmp_path_factory.mktemp("fixture") / "output", RATUSHA_SEARCH=True)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site in content/, built once."""
    return build(ROOT / "content", tmp_path_factory.mktemp("demo") / "output", RATUSHA_SEARCH=True)
