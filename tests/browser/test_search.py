"""Search through the real search page: Russian word forms, filters, the header box, and
the browser's words against the build's on the shared cases (tests/search_cases.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ratusha.search.words import STOP_WORDS

CASES = json.loads((Path(__file__).parent.parent / "search_cases.json").read_text(encoding="utf-8"))


def results(page) -> list[str]:
    page.wait_for_function(
        "(() => { const s = document.querySelector('.r-search__status');"
        " return s && s.textContent && !s.textContent.startsWith('Ищем'); })()"
    )
    page.wait_for_function(
        "(() => document.querySelector('.r-search__status').textContent.startsWith('По запросу')"
        " || document.querySelectorAll('.r-search__title').length > 0)()"
    )
    return page.locator(".r-search__title").all_inner_texts()


def narrow(page, label: str) -> list[str]:
    page.evaluate("document.querySelectorAll('.r-search__filter').forEach(d => d.open = true)")
    page.locator(".r-search__option label", has_text=re.compile("^" + re.escape(label) + r" \(")).click()
    page.wait_for_timeout(300)
    return results(page)


def test_russian_word_forms_match(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=администрации")
    found = results(page)
    assert "Администрация посёлка Тестовый" in found  # the department page, in the nominative
    page.goto(site_url + "/search/?q=ремонтов")
    assert "Капитальный ремонт школы № 5" in results(page)


def test_every_word_must_match_and_the_excerpt_marks_them(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=ремонт+школы")
    assert results(page) == ["Капитальный ремонт школы № 5"]
    marked = page.locator(".r-search__excerpt mark").all_inner_texts()
    assert marked and {word.lower()[:5] for word in marked} <= {"ремон", "школы", "школа", "школе", "школу"}
    status = page.locator(".r-search__status").inner_text()
    assert status == "Найден 1 материал по запросу «ремонт школы»"


def test_nothing_found_is_said(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=абракадабра")
    assert results(page) == []
    assert "ничего не найдено" in page.locator(".r-search__status").inner_text()


def test_results_can_be_narrowed_by_type(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=ремонт")
    everything = results(page)
    assert len(everything) >= 2
    assert narrow(page, "Новости") == ["Капитальный ремонт школы № 5"]


def test_results_can_be_narrowed_by_department(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=благоустройство")
    everything = results(page)
    assert "Об утверждении Правил благоустройства" in everything  # an act of the administration
    narrowed = narrow(page, "Отдел ЖКХ")
    assert "Отдел жилищно-коммунального хозяйства" in narrowed  # the department's own page
    assert "Об утверждении Правил благоустройства" not in narrowed


def test_the_header_box_leads_to_results(page, site_url: str) -> None:
    page.goto(site_url + "/departments/")
    page.fill("#site-search", "отопительный")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "Отопительный сезон идёт штатно" in results(page)


def test_a_new_query_on_the_search_page_goes_into_the_address(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=ремонт")
    results(page)
    page.fill("#search-query", "отопительный")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=%D0%BE%D1%82%D0%BE%D0%BF%D0%B8%D1%82%D0%B5%D0%BB%D1%8C%D0%BD%D1%8B%D0%B9")
    assert "Отопительный сезон идёт штатно" in results(page)
    page.go_back()
    page.wait_for_function("document.querySelector('#search-query').value === 'ремонт'")


def test_a_stale_entry_is_fetched_again(page, site_url: str, built_site: Path) -> None:
    """After a new publication a browser may hold an entry naming buckets that are gone."""
    entry = json.loads((built_site / "search-index" / "entry.json").read_text(encoding="utf-8"))
    stale = {**entry, "buckets": ["000000000000"] * len(entry["buckets"])}
    served: list[str] = []

    def handle(route) -> None:
        served.append(route.request.url)
        if len(served) == 1:
            route.fulfill(json=stale)
        else:
            route.continue_()

    page.route("**/search-index/entry.json", handle)
    page.goto(site_url + "/search/?q=ремонтов")
    assert "Капитальный ремонт школы № 5" in results(page)
    assert len(served) == 2


def test_filter_counts_follow_the_other_filter(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=благоустройство")
    results(page)
    before = page.locator(".r-search__option label").all_inner_texts()
    narrow(page, "Отдел ЖКХ")
    after = page.locator(".r-search__option label").all_inner_texts()
    assert after != before
    assert page.locator(".r-search__option input:checked").count() == 1


def test_the_browser_agrees_with_the_build_on_the_shared_cases(page, site_url: str) -> None:
    """End to end: the page's own scripts and stemmer, in Chromium, on tests/search_cases.json.

    Node runs the same cases on the same files without a browser (tests/test_search_words.py);
    this shows that the page loads the stemmer module and that Chromium's Unicode agrees.
    """
    page.goto(site_url + "/search/")
    found = page.evaluate(
        """async ([cases, stop]) => {
            const url = document.querySelector("script[data-stemmer]").getAttribute("data-stemmer");
            const { stemmer } = await import(url);
            const s = {}; stop.forEach(w => s[w] = true);
            const w = RatushaSearchWords;
            return {
                tokens: cases.tokens.map(c => w.tokens(c.text)),
                terms: cases.terms.map(c => w.term(c.word, s, stemmer)),
                buckets: cases.buckets.map(c => w.bucketOf(c.term, 4096)),
            };
        }""",
        [CASES, sorted(STOP_WORDS)],
    )
    assert found["tokens"] == [case["tokens"] for case in CASES["tokens"]]
    assert found["terms"] == [case["term"] for case in CASES["terms"]]
    assert found["buckets"] == [case["buckets"]["4096"] for case in CASES["buckets"]]


def test_without_the_stemmer_the_page_says_search_is_unavailable(page, site_url: str) -> None:
    page.route("**/js/stemmer-russian.*.js", lambda route: route.fulfill(status=404))
    page.goto(site_url + "/search/?q=ремонтов")
    page.wait_for_function("document.querySelector('.r-search__status').textContent.startsWith('Поиск временно')")
    assert page.locator(".r-search__title").count() == 0


def test_results_follow_a_word_being_typed(page, site_url: str) -> None:
    """«ремо» finds «ремонт» while it is typed, without Enter: the last word begins a word."""
    page.goto(site_url + "/search/")
    page.locator("#search-query").press_sequentially("ремо", delay=50)
    page.wait_for_url("**/search/?q=*")
    assert "Капитальный ремонт школы № 5" in results(page)
    assert page.locator(".r-search__excerpt mark").count() > 0
