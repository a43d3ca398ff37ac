"""Search through the real search page: Russian word forms, filters, the header box, and
the browser's words against the build's (one stemmer in Python, one in JavaScript)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ratusha.search.index import bucket_of
from ratusha.search.words import STOP_WORDS, _term, tokens
from support import ROOT


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


def vocabulary(site: Path) -> list[str]:
    """Every word of the site's searchable text and of the demo content, and hard cases."""
    found: set[str] = set()
    for fragment in (site / "search-index" / "f").glob("*.json"):
        data = json.loads(fragment.read_text(encoding="utf-8"))
        found.update(tokens(data["title"] + " " + data["text"]))
    for source in (ROOT / "content").rglob("*.md"):
        found.update(tokens(source.read_text(encoding="utf-8")))
    found.update(
        tokens(
            "прочитавшись сделавши бывшими красивейшая длиннейшей осенний сонного ёлками Ёжик "
            "за\u0301мок стоимостью радость ищущая объединённых иммиграцией побежавшим Covid19 2026 "
            "½ Ⅻ 𝐀 𝐀𝐁 ѐлка и\u0300ли"
        )
    )
    return sorted(found)


def test_the_browser_finds_the_same_terms_and_buckets_as_the_build(page, site_url: str, built_site: Path) -> None:
    page.goto(site_url + "/search/")
    words = vocabulary(built_site)
    assert len(words) > 5000
    browser = page.evaluate(
        """([words, stop]) => {
            const s = {}; stop.forEach(w => s[w] = true);
            return words.map(w => { const t = RatushaSearchWords.term(w, s);
                                    return [t, t === null ? -1 : RatushaSearchWords.bucketOf(t, 4096)]; });
        }""",
        [words, sorted(STOP_WORDS)],
    )
    build = [[_term(w), -1 if _term(w) is None else bucket_of(_term(w), 4096)] for w in words]
    differ = [(w, b, p) for w, b, p in zip(words, browser, build, strict=True) if b != p]
    assert differ == []
    text = "Ёлка за\u0301мок, «Северогорск»—2026: ПРОЧИТАВШИСЬ covid_19"
    assert page.evaluate("t => RatushaSearchWords.tokens(t)", text) == tokens(text)
