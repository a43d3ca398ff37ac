"""Fixtures for whole-site tests: the demo site (the fixture site's come from ``ratusha.testing``, a pytest plugin)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ROOT, build

__all__ = ["demo_site"]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site in content/, built once."""
    return build(ROOT / "content", tmp_path_factory.mktemp("demo") / "output", RATUSHA_SEARCH=True)
