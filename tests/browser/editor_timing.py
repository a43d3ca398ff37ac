"""How long Decap CMS takes to list a collection of N items (README, «Web editor»); not a test.

    python tests/browser/editor_timing.py DIR [DIR …]   # DIR: bench.corpus output (content in DIR/ratusha)

Opens the editor as ``invoke edit`` serves it (decap-server on the folder), signs in, and
measures from opening the news collection to its first card shown and to the search over
it answering; prints one line per folder: news items, seconds, and the app's size.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from ratusha.content_model.webeditor import DECAP_DIST, ROOT, run_editor


def measure(repository: Path) -> tuple[int, float, float]:
    content = repository / "ratusha"
    count = len(list((content / "news").glob("*.md")))
    workdir = Path("/tmp") / "editor-timing"
    with (
        run_editor(ROOT, content, repository, "Asia/Omsk", port=0, workdir=workdir) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.set_default_timeout(600_000)
        tab.goto(url)
        tab.get_by_role("button", name="Войти").click()
        tab.get_by_text("Коллекции").wait_for()
        start = time.monotonic()
        tab.goto(url + "#/collections/news")
        tab.locator("a[href*='/collections/news/entries/']").first.wait_for()
        listed = time.monotonic() - start
        start = time.monotonic()
        tab.goto(url + "#/search/%D1%80%D0%B5%D0%BC%D0%BE%D0%BD%D1%82")  # «ремонт»
        tab.locator("a[href*='/entries/']").first.wait_for()
        searched = time.monotonic() - start
        browser.close()
    return count, listed, searched


if __name__ == "__main__":
    size = sum(p.stat().st_size for p in (ROOT / DECAP_DIST).glob("*decap-cms.js"))
    for folder in sys.argv[1:]:
        count, listed, searched = measure(Path(folder))
        print(f"{folder}: {count} news, listed in {listed:.1f} s, search in {searched:.1f} s; app {size / 1e6:.1f} MB")
