"""Issue 18, points 3 and 4, in Chromium: the registry's combined filters, the item pages'
desktop layout with what leads a reader on, share links that load nothing, and print.

The fixture's registry has three acts: two постановления (2026 and 2025, in force) and an
распоряжение of 2024 that lost force, all of the administration.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from support import PATIENCE_MS

NEWS = "/news/2026/11/otopitelnyj-sezon-idyot-shtatno/"
ACT = "/documents/postanovlenie-20-2026/"
SHARE_HOSTS = {"vk.com", "connect.ok.ru", "t.me", "max.ru"}


def requests(page: object) -> list[str]:
    """Start recording the address of every request the tab makes; return the live list."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def hosts(urls: list[str]) -> set[str]:
    return {urlsplit(url).netloc for url in urls}


def cards(page: object) -> list[str]:
    return page.locator("#registry-results .r-act__title a").all_inner_texts()


def status(page: object) -> str:
    return page.locator("#registry-count").inner_text()


def wait_count(page: object, text: str) -> None:
    page.wait_for_function(
        "t => document.getElementById('registry-count').textContent.startsWith(t)", arg=text, timeout=PATIENCE_MS
    )


def wait_cards(page: object, expected: list[str]) -> None:
    page.wait_for_function(
        "want => JSON.stringify([...document.querySelectorAll('#registry-results .r-act__title a')]"
        ".map(a => a.textContent)) === JSON.stringify(want)",
        arg=expected,
        timeout=PATIENCE_MS,
    )


# --- the registry ---------------------------------------------------------------------


def test_the_filters_combine_in_the_browser_and_the_address_keeps_them(page: object, site_url: str) -> None:
    seen = requests(page)
    page.goto(site_url + "/documents/")
    assert page.locator(".r-facets").is_hidden()  # the form takes the links' place
    assert page.locator("#registry-filters").is_visible()
    assert len(cards(page)) == 3
    page.select_option("#registry-type", "postanovlenie")
    wait_count(page, "Найдено: 2 документа")
    assert page.url.endswith("/documents/?type=postanovlenie")
    page.select_option("#registry-year", "2025")
    wait_count(page, "Найдено: 1 документ.")
    assert cards(page) == ["Постановление от 01.03.2025 № 10"]
    assert page.url.endswith("/documents/?type=postanovlenie&year=2025")
    page.select_option("#registry-year", "")
    wait_count(page, "Найдено: 2 документа")
    # One data file, fetched once, from the site itself: no request per change.
    assert [u for u in seen if "registry" in u and u.endswith(".json")] == [site_url + "/documents/registry.json"]
    assert hosts(seen) == {urlsplit(site_url).netloc}
    # Back and forward step through the selections.
    page.go_back()
    wait_count(page, "Найдено: 1 документ.")
    assert page.locator("#registry-year").input_value() == "2025"
    page.go_back()
    wait_count(page, "Найдено: 2 документа")
    assert page.locator("#registry-year").input_value() == ""
    page.go_back()
    wait_count(page, "Найдено: 3.")  # the page as the build wrote it
    assert page.locator("#registry-type").input_value() == ""
    assert len(cards(page)) == 3
    page.go_forward()
    wait_count(page, "Найдено: 2 документа")
    assert page.locator("#registry-type").input_value() == "postanovlenie"


def test_the_text_filter_finds_title_and_number(page: object, site_url: str) -> None:
    page.goto(site_url + "/documents/")
    page.fill("#registry-q", "5-р")
    wait_count(page, "Найдено: 1 документ.")
    assert cards(page) == ["Распоряжение от 09.01.2024 № 5-р"]
    page.wait_for_function("() => location.search === '?q=5-%D1%80'", timeout=PATIENCE_MS)
    page.fill("#registry-q", "Правил БЛАГОУСТРОЙСТВА")  # words of the title, any case
    wait_cards(page, ["Постановление от 01.03.2025 № 10"])
    assert status(page).startswith("Найдено: 1 документ.")
    page.fill("#registry-q", "нет такого документа")
    wait_count(page, "Найдено: 0")
    assert cards(page) == []


def test_an_address_with_filters_opens_filtered(page: object, site_url: str) -> None:
    page.goto(site_url + "/documents/?status=utratil-silu&issuer=administraciya")
    wait_count(page, "Найдено: 1 документ.")
    assert cards(page) == ["Распоряжение от 09.01.2024 № 5-р"]
    assert page.locator("#registry-count").get_attribute("role") == "status"  # read out when it changes


def test_a_facet_page_starts_from_its_facet(page: object, site_url: str) -> None:
    page.goto(site_url + "/documents/type/postanovlenie/")
    assert page.locator("#registry-type").input_value() == "postanovlenie"
    page.select_option("#registry-status", "dejstvuet")
    wait_count(page, "Найдено: 2 документа")
    assert page.url.endswith("/documents/?type=postanovlenie&status=dejstvuet")


def test_the_filters_are_used_from_the_keyboard(page: object, site_url: str) -> None:
    page.goto(site_url + "/documents/")
    page.focus("#registry-type")
    page.keyboard.press("ArrowDown")  # Chromium's closed <select> changes with the arrow keys
    wait_count(page, "Найдено: 2 документа")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "registry-year"


def test_without_javascript_the_one_facet_links_stay(browser: object, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(site_url + "/documents/")
        assert tab.locator("#registry-filters").is_hidden()
        assert tab.locator(".r-facets").is_visible()
        tab.click(".r-facets a[href$='/documents/type/postanovlenie/']")
        assert tab.url.endswith("/documents/type/postanovlenie/")
        assert len(tab.locator(".r-act").all()) == 2
    finally:
        context.close()


# --- item pages -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NEWS, ACT, "/announcements/2026/novogodnyaya-yarmarka/"])
def test_on_a_desktop_the_aside_stands_beside_the_text_and_on_a_phone_after_it(
    page: object, site_url: str, url: str
) -> None:
    page.goto(site_url + url)
    text, aside = page.locator(".r-page__main").bounding_box(), page.locator(".r-page__aside").bounding_box()
    assert aside["x"] >= text["x"] + text["width"], "the aside is beside the text on 1280 px"
    assert aside["y"] < text["y"] + 200
    page.set_viewport_size({"width": 360, "height": 800})
    text, aside = page.locator(".r-page__main").bounding_box(), page.locator(".r-page__aside").bounding_box()
    assert aside["y"] >= text["y"] + text["height"], "the aside follows the text on a phone"


def test_the_aside_leads_on_department_and_related_acts(page: object, site_url: str) -> None:
    page.goto(site_url + NEWS)
    card = page.locator("section.r-dept-card")
    assert "Администрация посёлка Тестовый" in card.inner_text()
    assert card.locator("a[href^='tel:']").count() == 1
    acts = page.get_by_role("region", name="Связанные документы")
    assert acts.locator("a").all_inner_texts()[0] == "Постановление от 10.02.2026 № 20"


def test_share_links_are_plain_links_that_load_nothing_until_followed(page: object, site_url: str) -> None:
    seen = requests(page)
    page.goto(site_url + NEWS)
    page.wait_for_load_state("networkidle")
    links = page.locator(".r-share a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hosts(hrefs) == SHARE_HOSTS
    assert all("%2Fnews%2F2026%2F11%2Fotopitelnyj-sezon-idyot-shtatno%2F" in h for h in hrefs), hrefs
    names = page.get_by_role("link", name="Поделиться: Telegram")
    assert names.count() == 1
    assert hosts(seen) == {urlsplit(site_url).netloc}, "nothing is requested from another host"
    assert page.locator(".r-share script, .r-share iframe, .r-share img").count() == 0


def test_printed_a_page_is_its_text_and_its_address(page: object, site_url: str) -> None:
    page.goto(site_url + NEWS)
    assert page.locator(".r-print-address").is_hidden()
    page.emulate_media(media="print")
    for hidden in (".r-nav", ".r-footer", ".r-header__tools", ".r-share", ".r-breadcrumbs"):
        assert page.locator(hidden).first.is_hidden(), hidden
    address = page.locator(".r-print-address")
    assert address.is_visible()
    assert address.inner_text() == "Адрес страницы: https://test.example.ru" + NEWS
    assert page.locator(".r-dept-card").is_visible()  # how to reach the department stays on paper
    assert page.locator("h1").is_visible()
