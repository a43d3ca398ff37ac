"""Browser tests: the fixture site served on 127.0.0.1 and opened in headless Chromium.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run) and is driven by
Playwright without Playwright's own browser download. Where Chromium is missing the tests
are skipped, except under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from support import ROOT, build, require

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: One URL per page type of the fixture site.
PAGE_TYPES = {
    "home": "/",
    "news list": "/news/",
    "news item": "/news/2026/11/kapitalnyj-remont-shkoly-5/",
    "withdrawn item": "/news/2026/11/izmenyon-grafik-priyoma-grazhdan/",
    "acts registry": "/documents/",
    "acts facet": "/documents/status/utratil-silu/",
    "act": "/documents/postanovlenie-10-2025/",
    "repealed act": "/documents/rasporyazhenie-5-r-2024/",
    "act version": "/documents/postanovlenie-10-2025/redakciya/2025-03-01/",
    "act comparison": "/documents/postanovlenie-10-2025/redakciya/2026-02-15/sravnenie/",
    "announcements": "/announcements/",
    "announcements archive": "/announcements/archive/",
    "announcement": "/announcements/2026/novogodnyaya-yarmarka/",
    "answers": "/glava-v-otvete/",
    "answer": "/glava-v-otvete/kogda-otremontiruyut-dorogu-na-ulice-gagarina/",
    "departments": "/departments/",
    "department": "/departments/zhkh/",
    "department news": "/departments/zhkh/news/",
    "static page": "/about/",
    "search": "/search/?q=ремонт",
    "404": "/404.html",
}
SCHEMES = ["bw", "wb", "blue", "brown", "green"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site like a static web server would, without logging every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(
        ROOT / "tests" / "fixtures" / "site" / "content",
        tmp_path_factory.mktemp("browser") / "output",
        RATUSHA_SEARCH=True,
        RATUSHA_PRECOMPRESS=True,
    )


class TricklingHandler(QuietHandler):
    """Sends each HTML document in small pieces with pauses, as a slow mobile network does,
    so the browser paints what it has parsed before the rest arrives."""

    piece = 1024
    pause = 0.04

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
        if not self.path.split("?")[0].endswith(("/", ".html")):
            super().copyfile(source, outputfile)
            return
        while chunk := source.read(self.piece):
            outputfile.write(chunk)
            outputfile.flush()
            time.sleep(self.pause)


def serve(directory: Path, handler: type[QuietHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site, QuietHandler)


@pytest.fixture(scope="session")
def trickling_site_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site, TricklingHandler)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    tab = context.new_page()
    yield tab
    context.close()


def set_vi(page: object, **settings: str) -> None:
    """Store settings of the version for the visually impaired as the switch would."""
    import json  # noqa: PLC0415

    page.evaluate(f"localStorage.setItem('ratusha-vi', {json.dumps(json.dumps(settings))})")


def run_axe(page: object) -> list[dict]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; return the violations."""
    require(AXE, "axe-core (npm ci)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
    )
