"""Light and fast: no other hosts, budgets per page type, no layout shift, 200% zoom, print."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from support import PATIENCE_MS

from .conftest import PAGE_TYPES

#: Bytes of HTML + CSS + JS a page type may load, uncompressed (fonts and images apart). The search
#: page also loads its script (~17 KB) and the part of the index a query needs: the entry, one
#: bucket per word and the fragments of the ten results shown.
BUDGETS = {name: 40_000 for name in PAGE_TYPES}
BUDGETS["search"] = 80_000
#: The registry also loads the script that combines its filters (registry.js, ~9 KB; its data
#: file only once the form is used). An act's page is the longest item page, and beside its
#: text it now has the issuer's card, share links and more acts of the issuer (issue 18).
BUDGETS["acts registry"] = BUDGETS["acts facet"] = 50_000
BUDGETS["act"] = BUDGETS["repealed act"] = 44_000


def transferred(page, site_url: str, url: str) -> tuple[dict[str, int], list[str]]:
    sizes: dict[str, int] = {}
    hosts: list[str] = []

    def on_response(response) -> None:
        if not response.url.startswith(site_url):
            hosts.append(response.url)
            return
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script", "fetch", "xhr"):
            sizes[response.url] = len(response.body())

    page.on("response", on_response)
    page.on(
        "requestfailed", lambda request: hosts.append(request.url) if not request.url.startswith(site_url) else None
    )
    page.goto(site_url + url, wait_until="networkidle")
    if url.startswith("/search/"):
        page.wait_for_selector(".r-search__result", timeout=PATIENCE_MS)
        page.wait_for_load_state("networkidle")
    return sizes, hosts


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_request_leaves_the_site_and_the_budget_holds(page, site_url: str, name: str) -> None:
    sizes, other_hosts = transferred(page, site_url, PAGE_TYPES[name])
    assert other_hosts == []
    total = sum(sizes.values())
    assert total <= BUDGETS[name], f"{name}: {total} bytes > {BUDGETS[name]}: {sizes}"


def test_every_image_has_its_size(built_site: Path) -> None:
    for path in built_site.rglob("*.html"):
        for img in html.fromstring(path.read_bytes()).xpath("//img"):
            assert img.get("width") and img.get("height"), f"{path}: {img.get('src')}"


def layout_shifts(page, url: str) -> list[dict]:
    """Open ``url`` and return the layout shifts no input caused, each with what moved."""
    page.add_init_script(
        """window.__shifts = [];
        new PerformanceObserver(list => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push({
                value: e.value,
                moved: e.sources.map(s => s.node && s.node.nodeType === 1 ? s.node.outerHTML.slice(0, 80) : String(s.node)),
            });
        }).observe({type: 'layout-shift', buffered: true});"""
    )
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    return page.evaluate("window.__shifts")


@pytest.mark.parametrize("url", ["/", "/news/", "/news/2026/11/kapitalnyj-remont-shkoly-5/"])
def test_no_layout_shift_on_a_slow_phone(page, site_url: str, url: str) -> None:
    # CPU 6× slower, as Lighthouse's mobile run: the page is painted before the deferred
    # scripts run, so anything they show or move counts as a shift.
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    shifts = layout_shifts(page, site_url + url)
    assert sum(shift["value"] for shift in shifts) < 0.01, shifts


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_layout_shift_while_the_page_arrives(page, trickling_site_url: str, name: str) -> None:
    # The HTML arrives in pieces, so the browser paints each part as it is parsed (a slow
    # network, or a slow phone's parser yielding): nothing painted may move when the rest
    # comes, such as a header that lays its tools out beside the name and then below it.
    shifts = layout_shifts(page, trickling_site_url + PAGE_TYPES[name])
    assert sum(shift["value"] for shift in shifts) < 0.01, shifts


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_200_percent_zoom_needs_no_horizontal_scrolling(browser, site_url: str, name: str) -> None:
    # 200% zoom of a 1280 px window is a 640 CSS px viewport (WCAG 1.4.10 asks for 320).
    for width in (640, 320):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(site_url + PAGE_TYPES[name])
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        context.close()
        assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"


def test_print_stylesheet_leaves_out_navigation(page, site_url: str) -> None:
    page.goto(site_url + "/documents/postanovlenie-10-2025/")
    page.emulate_media(media="print")
    assert not page.is_visible("nav[aria-label='Основное меню']")
    assert not page.is_visible("footer")
    assert page.is_visible("main h1")
