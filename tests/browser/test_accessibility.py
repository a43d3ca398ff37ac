"""Accessibility proven in a real browser: axe-core, keyboard, the visually-impaired version."""

from __future__ import annotations

import itertools

import pytest

from support import PATIENCE_MS, require

from .conftest import AXE, PAGE_TYPES, SCHEMES, run_axe, set_vi


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations)


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_axe_violations_in_the_normal_view(page, site_url: str, name: str) -> None:
    page.goto(site_url + PAGE_TYPES[name])
    if name == "search":
        page.wait_for_selector(".r-search__result", timeout=PATIENCE_MS)
    violations = run_axe(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("scheme", [*SCHEMES, "size-4"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_axe_violations_in_the_visually_impaired_version(page, site_url: str, name: str, scheme: str) -> None:
    page.goto(site_url + "/")
    settings = (
        {"size": "4", "spacing": "3", "leading": "3", "font": "serif"}
        if scheme == "size-4"
        else {"scheme": scheme, "size": "2"}
    )
    set_vi(page, **settings)
    page.goto(site_url + PAGE_TYPES[name])
    if scheme != "size-4":
        assert page.evaluate("document.documentElement.dataset.viScheme") == scheme
    if name == "search":
        page.wait_for_selector(".r-search__result", timeout=PATIENCE_MS)
    violations = run_axe(page)
    assert violations == [], describe(violations)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, id: el.id, text: (el.textContent || el.value || '').trim().slice(0, 60),
                    href: el.getAttribute('href'),
                    visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 || style.boxShadow !== 'none'};
        }"""
    )


def test_keyboard_reaches_skip_link_search_switch_menu_and_content_with_visible_focus(page, site_url: str) -> None:
    page.goto(site_url + "/news/2026/11/kapitalnyj-remont-shkoly-5/")
    seen = []
    for _ in range(14):
        page.keyboard.press("Tab")
        state = focused(page)
        assert state["visible"], f"focus is not visible on {state}"
        seen.append(state)
    assert seen[0]["href"] == "#content", "the skip link comes first"
    assert any(s["id"] == "site-search" for s in seen), "the search box"
    assert any(s["id"] == "vi-toggle" for s in seen), "the switch for the visually impaired"
    assert any(s["href"] == "/news/" for s in seen), "the main menu"

    page.keyboard.press("Shift+Tab")
    page.goto(site_url + "/news/2026/11/kapitalnyj-remont-shkoly-5/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content", "the skip link moves focus to the main content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_the_switch_works_by_keyboard_and_persists_across_pages_and_visits(page, site_url: str) -> None:
    page.goto(site_url + "/")
    page.focus("#vi-toggle")
    page.keyboard.press("Enter")
    assert page.get_attribute("#vi-toggle", "aria-expanded") == "true"
    assert page.is_visible("#vi-panel")
    # Arrow keys move through a radio group: from "обычные" to the schemes.
    page.focus("input[name='vi-scheme'][value='']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.documentElement.dataset.viScheme") == "wb"
    page.focus("input[name='vi-size'][value='']")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.keyboard.press("Escape")
    assert page.get_attribute("#vi-toggle", "aria-expanded") == "false"

    page.goto(site_url + "/documents/")
    assert page.evaluate("document.documentElement.dataset.viScheme") == "wb"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.viScheme") == "wb"
    page.click("#vi-toggle")
    page.click("[data-vi-reset]")
    assert page.evaluate("document.documentElement.dataset.viScheme") is None


def test_no_flash_of_the_normal_version(page, site_url: str) -> None:
    page.goto(site_url + "/")
    set_vi(page, scheme="blue")
    # Record the scheme at the moment <body> first appears, before any paint of it.
    page.add_init_script(
        """new MutationObserver((_, observer) => {
            if (document.body) {
                window.__schemeAtBody = document.documentElement.getAttribute('data-vi-scheme');
                observer.disconnect();
            }
        }).observe(document, {childList: true, subtree: true});"""
    )
    page.goto(site_url + "/news/")
    assert page.evaluate("window.__schemeAtBody") == "blue"


def test_images_off_shows_their_text_instead_and_hides_no_text(page, site_url: str) -> None:
    url = site_url + "/news/2026/11/kapitalnyj-remont-shkoly-5/"
    page.goto(url)
    before = page.inner_text("main")
    set_vi(page, images="off")
    page.goto(url)
    assert not page.is_visible("main figure img")
    after = page.inner_text("main")
    assert "Изображение: Здание школы № 5 после ремонта фасада" in after
    assert all(line in after for line in before.splitlines() if line.strip())


def test_every_page_reads_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for name, url in PAGE_TYPES.items():
        page.goto(site_url + url)
        assert page.inner_text("h1"), name
        assert not page.is_visible("#vi-toggle"), "the switch needs JavaScript, so it is not offered"
    page.goto(site_url + "/search/")
    assert "работает только при включённом JavaScript" in page.inner_text("main")
    context.close()


def test_headings_landmarks_and_link_texts_make_sense(page, site_url: str) -> None:
    for name, url in PAGE_TYPES.items():
        page.goto(site_url + url)
        outline = page.evaluate(
            """() => ({
                h1: document.querySelectorAll('h1').length,
                levels: [...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1]),
                main: document.querySelectorAll('main').length,
                navs: [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label')),
                vague: [...document.querySelectorAll('a')].map(a => a.textContent.trim().toLowerCase())
                    .filter(t => ['здесь', 'тут', 'подробнее', 'ссылка', 'click here', ''].includes(t)),
            })"""
        )
        assert outline["h1"] == 1, name
        assert outline["main"] == 1, name
        assert all(outline["navs"]), f"{name}: every <nav> has a label"
        assert outline["vague"] == [], name
        levels = outline["levels"]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"{name}: heading levels skip {levels}"


def test_axe_finds_a_planted_violation(page, site_url: str) -> None:
    page.goto(site_url + "/about/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    assert "image-alt" in [v["id"] for v in run_axe(page)]


def test_all_content_is_inside_landmarks(page, site_url: str) -> None:
    """axe's best-practice rule `region`: a screen reader user who moves by landmarks misses nothing
    (the «Официальный сайт» line once sat before the header, outside every landmark)."""
    require(AXE, "axe-core (npm ci)")
    outside = {}
    for name, path in PAGE_TYPES.items():
        page.goto(site_url + path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document, {runOnly: ['region']})).violations")
        if violations:
            outside[name] = describe(violations)
    assert outside == {}
