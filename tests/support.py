"""Helpers for whole-site tests: build a site from a content folder, parse its pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lxml import html
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site" / "content"
#: Builds in tests publish "as of" this moment, so scheduled items and past events
#: do not depend on the day the tests run.
BUILD_TIME = "2026-11-24T12:00:00"
#: Seconds a test waits for a server to start or a page to change, and the timeout of each
#: request to it: far beyond what a run takes (a second or two), so that only a hang fails,
#: never a loaded machine. How fast it happens is the benchmark's business (`invoke bench`).
PATIENCE = 120.0
#: The same, for Playwright's waits, which take milliseconds.
PATIENCE_MS = int(PATIENCE * 1000)

T = TypeVar("T")


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
            # Search indexing and precompression have tests of their own (browser, nginx);
            # elsewhere they only slow the many small builds down.
            "RATUSHA_SEARCH": False,
            "RATUSHA_PRECOMPRESS": False,
            "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
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
