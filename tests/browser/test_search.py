"""Search through the real search page: Russian word forms, filters, the header box."""

from __future__ import annotations


def results(page) -> list[str]:
    page.wait_for_selector(".pagefind-ui__message")
    page.wait_for_function("!document.querySelector('.pagefind-ui__message').textContent.startsWith('Ищем')")
    return page.locator(".pagefind-ui__result-title").all_inner_texts()


def test_russian_word_forms_match(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=администрации")
    found = results(page)
    assert "Администрация посёлка Тестовый" in found  # the department page, in the nominative
    page.goto(site_url + "/search/?q=ремонтов")
    assert "Капитальный ремонт школы № 5" in results(page)


def test_results_can_be_narrowed_by_type(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=ремонт")
    everything = results(page)
    assert len(everything) >= 2
    page.evaluate("document.querySelectorAll('.pagefind-ui__filter-panel details').forEach(d => d.open = true)")
    page.click("label[for='Раздел-Новости']")
    page.wait_for_timeout(500)
    narrowed = results(page)
    assert narrowed == ["Капитальный ремонт школы № 5"]


def test_results_can_be_narrowed_by_department(page, site_url: str) -> None:
    page.goto(site_url + "/search/?q=благоустройство")
    everything = results(page)
    assert "Об утверждении Правил благоустройства" in everything  # an act of the administration
    page.evaluate("document.querySelectorAll('.pagefind-ui__filter-panel details').forEach(d => d.open = true)")
    page.click("label[for='Подразделение-Отдел ЖКХ']")
    page.wait_for_timeout(500)
    narrowed = results(page)
    assert "Отдел жилищно-коммунального хозяйства" in narrowed  # the department's own page
    assert "Об утверждении Правил благоустройства" not in narrowed


def test_the_header_box_leads_to_results(page, site_url: str) -> None:
    page.goto(site_url + "/departments/")
    page.fill("#site-search", "отопительный")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "Отопительный сезон идёт штатно" in results(page)
