"""schema.org JSON-LD, Open Graph and canonical URLs, absolute against the municipality's address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ratusha.structured_data import JsonLd, json_script
from ratusha.testing import page

BASE = "https://test.example.ru"
MUNICIPALITY = {
    "name": "Администрация посёлка Тестовый",
    "short_name": "Тестовый",
    "region": "Тестовая область",
    "site_url": BASE,
    "contacts": {"address": "ул. Центральная, 1", "phone": "+7 000", "email": "info@test.example.ru"},
    "social": [{"network": "telegram", "url": "https://t.me/testovyj"}],
    "coat_of_arms": "images/arms.svg",
}


def jsonld(output: Path, url: str) -> list[dict]:
    return [json.loads(s.text) for s in page(output, url).xpath("//script[@type='application/ld+json']")]


def first_of(output: Path, url: str, kind: str) -> dict:
    return next(data for data in jsonld(output, url) if data.get("@type") == kind)


def test_json_for_a_script_element_cannot_close_it() -> None:
    value = {"title": "</script><script>alert(1)</script> & «кавычки»"}
    text = str(json_script(value))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_the_municipality_is_a_government_organization() -> None:
    builder = JsonLd({"MUNICIPALITY": MUNICIPALITY, "SITEURL": ""})
    data = builder(None)
    assert data["@type"] == "GovernmentOrganization"
    assert data["@id"] == f"{BASE}/#organization"
    assert data["address"]["addressRegion"] == "Тестовая область"
    assert data["sameAs"] == ["https://t.me/testovyj"]
    assert data["logo"] == f"{BASE}/images/arms.svg"


@pytest.mark.parametrize("siteurl", ["", "/local", "https://mirror.example.org"])
def test_urls_are_absolute_whatever_the_siteurl(siteurl: str) -> None:
    builder = JsonLd({"MUNICIPALITY": MUNICIPALITY, "SITEURL": siteurl})
    expected = siteurl if siteurl.startswith("https://") else BASE
    assert builder.absolute_url("/news/") == f"{expected}/news/"
    assert builder.absolute_url("news/") == f"{expected}/news/"
    assert builder.absolute_url("https://t.me/x") == "https://t.me/x"


def test_breadcrumbs_end_with_the_page_itself() -> None:
    crumbs = JsonLd({"MUNICIPALITY": MUNICIPALITY}).breadcrumbs(
        [{"text": "Главная", "href": "/"}, {"text": "Новости", "href": "/news/"}, {"text": "Ремонт"}], "/news/remont/"
    )
    assert [(e["position"], e["name"], e["item"]) for e in crumbs["itemListElement"]] == [
        (1, "Главная", f"{BASE}/"),
        (2, "Новости", f"{BASE}/news/"),
        (3, "Ремонт", f"{BASE}/news/remont/"),
    ]


def test_a_news_page_is_a_news_article_by_its_department(fixture_site: Path) -> None:
    data = first_of(fixture_site, "/news/2026/11/kapitalnyj-remont-shkoly-5/", "NewsArticle")
    assert data["headline"] == "Капитальный ремонт школы № 5"
    assert data["url"] == f"{BASE}/news/2026/11/kapitalnyj-remont-shkoly-5/"
    assert data["datePublished"] == "2026-11-20T10:30:00+10:00"
    assert data["author"]["name"] == "Отдел жилищно-коммунального хозяйства"
    assert data["image"]["url"] == f"{BASE}/images/school.png"
    assert (data["image"]["width"], data["image"]["height"]) == (320, 200)


def test_an_act_page_is_legislation_with_its_eli_and_force(fixture_site: Path) -> None:
    amended = first_of(fixture_site, "/documents/postanovlenie-10-2025/", "Legislation")
    assert amended["legislationIdentifier"] == f"{BASE}/eli/administraciya/postanovlenie/2025/03/01/10/"
    assert amended["legislationLegalForce"] == "https://schema.org/InForce"
    assert [a["@id"] for a in amended["legislationChangedBy"]] == [f"{BASE}/documents/postanovlenie-20-2026/"]
    assert amended["encoding"][0]["contentUrl"] == f"{BASE}/files/postanovlenie-10-2025.pdf"
    repealed = first_of(fixture_site, "/documents/rasporyazhenie-5-r-2024/", "Legislation")
    assert repealed["legislationLegalForce"] == "https://schema.org/NotInForce"


def test_an_announcement_is_an_event_and_an_answer_a_qa_page(fixture_site: Path) -> None:
    event = first_of(fixture_site, "/announcements/2026/novogodnyaya-yarmarka/", "Event")
    assert (event["startDate"], event["endDate"]) == ("2026-12-20T10:00:00+10:00", "2026-12-20T16:00:00+10:00")
    assert event["location"]["name"] == "площадь Ленина"
    answer = first_of(fixture_site, "/glava-v-otvete/kogda-otremontiruyut-dorogu-na-ulice-gagarina/", "QAPage")
    assert answer["mainEntity"]["author"]["name"] == "Ирина"
    assert answer["mainEntity"]["acceptedAnswer"]["author"]["name"] == "Иван Петрович Тестов"


def test_a_department_is_an_organization_inside_its_parent(fixture_site: Path) -> None:
    zhkh = first_of(fixture_site, "/departments/zhkh/", "GovernmentOrganization")
    assert zhkh["employee"]["name"] == "Мария Ивановна Смирнова"
    assert zhkh["parentOrganization"]["@id"] == f"{BASE}/departments/administraciya/#organization"


@pytest.mark.parametrize("url", ["/", "/news/", "/documents/postanovlenie-10-2025/"])
def test_canonical_and_open_graph_urls_are_absolute(fixture_site: Path, url: str) -> None:
    tree = page(fixture_site, url)
    assert tree.xpath("//link[@rel='canonical']/@href") == [BASE + url]
    assert tree.xpath("//meta[@property='og:url']/@content") == [BASE + url]


def test_a_page_below_the_home_page_has_its_breadcrumbs(fixture_site: Path) -> None:
    crumbs = first_of(fixture_site, "/documents/postanovlenie-10-2025/", "BreadcrumbList")["itemListElement"]
    assert crumbs[0]["item"] == f"{BASE}/"
    assert crumbs[-1]["item"] == f"{BASE}/documents/postanovlenie-10-2025/"
