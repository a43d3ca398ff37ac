"""What item pages show beside their text (issue 18): more from the department, related acts,
share links, the department's card, the address for print; and the registry's data file."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ratusha.departments.related import neighbours
from ratusha.testing import build, copy_fixture, page

#: Seven news items of the ЖКХ department, one a day, the last the newest.
DAYS = range(1, 8)


def news_file(content: Path, day: int, body: str = "Текст.") -> None:
    (content / "news" / f"2026-10-0{day}-zhkh.md").write_text(
        f"---\ntitle: Новость ЖКХ {day}\ndate: 2026-10-0{day} 10:00\nid: {uuid.UUID(int=day)}\n"
        f"department: zhkh\n---\n{body}\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("related")
    content = copy_fixture(folder)
    for day in DAYS:
        news_file(content, day)
    # Day 4 links two acts in its text: by address, and by Pelican's {filename} link.
    news_file(
        content,
        4,
        "См. [постановление](/documents/postanovlenie-10-2025/) и "
        "[распоряжение]({filename}../acts/rasporyazhenie-5-r-2024.md).",
    )
    return build(content, folder / "output")


def aside_links(tree, label: str) -> list[str]:
    return [" ".join(a.text_content().split()) for a in tree.xpath(f"//section[@aria-labelledby='{label}']//li/a")]


def test_neighbours_are_the_nearest_first_the_newer_on_a_tie() -> None:
    items = list("abcdefg")
    assert neighbours(items, 3, 3) == ["c", "e", "b"]
    assert neighbours(items, 0, 3) == ["b", "c", "d"]
    assert neighbours(items, 6, 2) == ["f", "e"]
    assert neighbours(["a"], 0, 3) == []


def test_a_news_item_shows_its_neighbours_in_its_department(site: Path) -> None:
    tree = page(site, "/news/2026/10/novost-zhkx-4/")
    # The department's news, newest first: 2026-11-20 (the school), then days 7 … 1.
    assert aside_links(tree, "aside-more") == ["Новость ЖКХ 5", "Новость ЖКХ 3", "Новость ЖКХ 6"]
    more = tree.xpath("//section[@aria-labelledby='aside-more']//p/a/@href")
    assert more == ["/departments/zhkh/news/"]


def test_the_acts_a_text_links_to_are_its_related_acts(site: Path) -> None:
    tree = page(site, "/news/2026/10/novost-zhkx-4/")
    assert aside_links(tree, "aside-acts") == ["Постановление от 01.03.2025 № 10", "Распоряжение от 09.01.2024 № 5-р"]
    assert page(site, "/news/2026/10/novost-zhkx-3/").xpath("//section[@aria-labelledby='aside-acts']") == []


def test_a_news_item_of_the_issuer_shows_its_acts_adopted_before_it(site: Path) -> None:
    tree = page(site, "/news/2026/11/otopitelnyj-sezon-idyot-shtatno/")
    assert aside_links(tree, "aside-acts") == [
        "Постановление от 10.02.2026 № 20",
        "Постановление от 01.03.2025 № 10",
        "Распоряжение от 09.01.2024 № 5-р",
    ]


def test_an_act_lists_more_acts_of_its_issuer_but_not_those_it_amends(site: Path) -> None:
    # № 10 was amended by № 20: the issuer's other act is the распоряжение.
    assert aside_links(page(site, "/documents/postanovlenie-10-2025/"), "aside-more") == [
        "Распоряжение от 09.01.2024 № 5-р"
    ]
    # № 20 amends № 10 and repeals the распоряжение: both are listed on its page already.
    tree = page(site, "/documents/postanovlenie-20-2026/")
    assert aside_links(tree, "aside-more") == []
    assert tree.xpath("string(//section[@aria-labelledby='aside-department']//h2)") == "Администрация посёлка Тестовый"
    assert "Принявший орган" in tree.xpath("string(//section[@aria-labelledby='aside-department'])")


def test_the_department_card_gives_its_contacts(site: Path) -> None:
    card = page(site, "/news/2026/10/novost-zhkx-4/").xpath("//section[@aria-labelledby='aside-department']")[0]
    assert card.xpath(".//h2/a/@href") == ["/departments/zhkh/"]
    assert card.xpath(".//a[starts-with(@href, 'tel:')]/@href") == ["tel:+74232000001"]
    assert "Мария Ивановна Смирнова" in card.text_content()


def test_share_links_carry_the_page_address_to_each_network(site: Path) -> None:
    tree = page(site, "/news/2026/10/novost-zhkx-4/")
    links = tree.xpath("//div[@class='r-share']//a")
    address = "https://test.example.ru/news/2026/10/novost-zhkx-4/"
    shared = {}
    for link in links:
        parts = urlsplit(link.get("href"))
        shared[parts.netloc + parts.path] = parse_qs(parts.query)
    assert shared == {
        "vk.com/share.php": {"url": [address]},
        "connect.ok.ru/offer": {"url": [address]},
        "t.me/share/url": {"url": [address]},
        "max.ru/:share": {"text": [address]},
    }
    assert " ".join(links[0].text_content().split()) == "Поделиться: ВКонтакте"


def test_every_page_carries_its_address_for_print(site: Path) -> None:
    tree = page(site, "/documents/postanovlenie-20-2026/")
    assert tree.xpath("string(//main/p[@class='r-print-address'])") == (
        "Адрес страницы: https://test.example.ru/documents/postanovlenie-20-2026/"
    )


def test_the_registry_data_file_names_each_acts_facets(site: Path) -> None:
    data = json.loads((site / "documents" / "registry.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    by_url = {act["url"]: act for act in data["acts"]}
    assert [act["url"] for act in data["acts"]] == [
        "documents/postanovlenie-20-2026/",
        "documents/postanovlenie-10-2025/",
        "documents/rasporyazhenie-5-r-2024/",
    ]  # the registry's order, newest adopted first
    repealed = by_url["documents/rasporyazhenie-5-r-2024/"]
    assert repealed["facets"] == {
        "type": "rasporyazhenie",
        "year": "2024",
        "status": "utratil-silu",
        "issuer": "administraciya",
    }
    assert repealed["number"] == "5-р" and repealed["modifier"] == "inactive" and repealed["issuer"] == "Администрация"
    # Each key is the last part of a one-facet page's address, which exists.
    for act in data["acts"]:
        for group, key in act["facets"].items():
            assert (site / "documents" / group / key / "index.html").exists()


def test_the_registry_form_offers_every_facet_beside_the_one_facet_links(site: Path) -> None:
    tree = page(site, "/documents/year/2025/")
    (form,) = tree.xpath("//form[@id='registry-filters']")
    assert form.get("data-registry-data") == "/documents/registry.json"  # shown only where scripts run (.r-js)
    assert form.xpath(".//select[@name='year']/option[@selected]/@value") == ["2025"]
    assert form.xpath(".//select[@name='type']/option/@value") == ["", "postanovlenie", "rasporyazhenie"]
    assert tree.xpath("//nav[@class='r-facets']//a[@href='/documents/type/postanovlenie/']")
