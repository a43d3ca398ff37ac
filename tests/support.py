"""Helpers for whole-site tests: building and parsing come from ``ratusha.testing``, waiting is here."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from ratusha.testing import BUILD_TIME, FIXTURE, ROOT, build, edit, files, page

__all__ = [
    "BUILD_TIME", "FIXTURE", "PATIENCE", "PATIENCE_MS", "ROOT", "VNU", "build", "edit", "eventually", "files", "page",
    "require", "vnu",
]  # fmt: skip

#: Seconds a test waits for a server to start or a page to change, and the timeout of each
#: request to it: far beyond what a run takes (a second or two), so that only a hang fails,
#: never a loaded machine. How fast it happens is the benchmark's business (`invoke bench`).
PATIENCE = 120.0
#: The same, for Playwright's waits, which take milliseconds.
PATIENCE_MS = int(PATIENCE * 1000)

T = TypeVar("T")


def content_problems(content: Path, **overrides: object) -> list:
    """What `invoke check` finds in a content folder, as of the tests' build time, with no cache."""
    from ratusha.content_model.editor import check_content  # noqa: PLC0415 (a plugin's, for tests only)

    return check_content(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        RATUSHA_MUNICIPALITY=str(content / "municipality.yml"),
        RATUSHA_BUILD_TIME=BUILD_TIME,
        CACHE_CONTENT=False,
        LOAD_CONTENT_CACHE=False,
        **overrides,
    )


def eventually(attempt: Callable[[], T], what: str, patience: float = PATIENCE) -> T:
    """Return the first true result of ``attempt`` (an OSError counts as "not yet"); fail after ``patience`` s."""
    deadline = time.monotonic() + patience
    while True:
        try:
            result = attempt()
        except OSError:
            result = None
        if result:
            return result
        assert time.monotonic() < deadline, f"{what} (waited {patience:.0f} s)"
        time.sleep(0.1)


def require(tool: Path | str | None, what: str) -> None:
    """Skip without the tool locally; fail under CI, where every tool is installed (.ci/run)."""
    if tool and Path(tool).exists():
        return
    message = f"{what} is not installed (see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


#: The Nu HTML Checker, installed by `npm ci` (package.json).
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run the Nu HTML Checker once over ``folder`` (errors only); skip or fail as ``require`` does."""
    require(VNU, "vnu-jar (npm ci)")
    require(shutil.which("java"), "Java")
    command = ["java", "-jar", str(VNU), "--errors-only", *options, str(folder)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
