"""Fixtures for whole-site tests: the fixture site (shared with the plugins' tests) and the demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratusha.testing import fixture_content, fixture_site
from support import ROOT, build

__all__ = ["demo_site", "fixture_content", "fixture_site"]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site in content/, built once."""
    return build(ROOT / "content", tmp_path_factory.mktemp("demo") / "output", RATUSHA_SEARCH=True)
