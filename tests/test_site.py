"""The fixture site, built once: pages, URLs, publishing rules, links between items."""

from __future__ import annotations

from pathlib import Path

from support import page


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def test_every_section_is_written_at_its_url(fixture_site: Path) -> None:
    for url in (
        "/",
        "/news/",
        "/news/2026/11/kapitalnyj-remont-shkoly-5/",
        "/documents/",
        "/documents/postanovlenie-10-2025/",
        "/documents/rasporyazhenie-5-r-2024/",
        "/documents/type/postanovlenie/",
        "/documents/year/2025/",
        "/documents/status/utratil-silu/",
        "/documents/issuer/administraciya/",
        "/announcements/",
        "/announcements/archive/",
        "/glava-v-otvete/",
        "/glava-v-otvete/kogda-otremontiruyut-dorogu-na-ulice-gagarina/",
        "/departments/",
        "/departments/zhkh/",
        "/about/",
    ):
        tree = page(fixture_site, url)
        assert tree.xpath("//html/@lang") == ["ru"], url
        assert len(tree.xpath("//h1")) == 1, url
        assert tree.xpath("//main[@id='content']"), url
    assert (fixture_site / "404.html").is_file()


def test_drafts_and_scheduled_items_are_not_published(fixture_site: Path) -> None:
    built = "\n".join(p.read_text() for p in fixture_site.rglob("*.html"))
    assert "Черновик новости" not in built
    assert "Запланированная новость" not in built
    assert not list(fixture_site.glob("news/2027/**/*"))


def test_every_page_says_it_is_the_official_site(fixture_site: Path) -> None:
    for path in fixture_site.rglob("*.html"):
        assert "Официальный сайт: Администрация посёлка Тестовый" in path.read_text(), path


def test_dates_are_russian_and_in_the_municipalitys_time_zone(fixture_site: Path) -> None:
    tree = page(fixture_site, "/news/2026/11/kapitalnyj-remont-shkoly-5/")
    (stamp,) = tree.xpath("//article//time")
    assert stamp.text == "20 ноября 2026, 10:30"
    assert stamp.get("datetime") == "2026-11-20T10:30:00+10:00"  # Asia/Vladivostok


def test_news_page_shows_department_image_with_size_and_alt(fixture_site: Path) -> None:
    tree = page(fixture_site, "/news/2026/11/kapitalnyj-remont-shkoly-5/")
    (img,) = tree.xpath("//figure//img")
    assert img.get("alt") == "Здание школы № 5 после ремонта фасада"
    assert (img.get("width"), img.get("height")) == ("320", "200")
    assert tree.xpath("//a[@href='/departments/zhkh/']")


def test_act_page_has_attributes_files_and_links_both_ways(fixture_site: Path) -> None:
    act = page(fixture_site, "/documents/postanovlenie-10-2025/")
    attributes = dict(
        zip(
            texts(act, "//dl[@class='r-attributes']/dt"),
            texts(act, "//dl[@class='r-attributes']/dd"),
            strict=True,
        )
    )
    assert attributes["Вид документа"] == "Постановление"
    assert attributes["Дата принятия"] == "1 марта 2025"
    assert attributes["Статус"] == "действует"
    assert attributes["Подписал"] == "Глава посёлка И. П. Тестов"
    assert attributes["Идентификатор (ELI)"] == "/eli/administraciya/postanovlenie/2025/03/01/10/"
    (file_link,) = act.xpath("//ul[@class='r-files']//a")
    assert file_link.get("href") == "/files/postanovlenie-10-2025.pdf"
    assert "PDF, 329 Б" in act.xpath("string(//ul[@class='r-files'])")
    assert act.xpath("//a[@href='/documents/postanovlenie-20-2026/']"), "amended-by link"

    amending = page(fixture_site, "/documents/postanovlenie-20-2026/")
    assert amending.xpath("//a[@href='/documents/postanovlenie-10-2025/']"), "amends link"
    assert amending.xpath("//a[@href='/documents/rasporyazhenie-5-r-2024/']"), "repeals link"

    repealed = page(fixture_site, "/documents/rasporyazhenie-5-r-2024/")
    assert "утратил силу" in repealed.xpath("string(//div[contains(@class,'r-notice')])")
    assert repealed.xpath("//div[contains(@class,'r-notice')]//a[@href='/documents/postanovlenie-20-2026/']")


def test_registry_facets_select_the_right_acts(fixture_site: Path) -> None:
    registry = page(fixture_site, "/documents/")
    assert len(registry.xpath("//article[@class='r-act']")) == 3
    facet_links = texts(registry, "//nav[@class='r-facets']//li")
    assert "постановление (2)" in facet_links
    assert "утратил силу (1)" in facet_links
    repealed = page(fixture_site, "/documents/status/utratil-silu/")
    assert texts(repealed, "//article[@class='r-act']//h2") == ["Распоряжение от 09.01.2024 № 5-р"]


def test_announcements_are_split_into_upcoming_and_archive(fixture_site: Path) -> None:
    upcoming = texts(page(fixture_site, "/announcements/"), "//article[@class='r-event']//h2")
    archive = texts(page(fixture_site, "/announcements/archive/"), "//article[@class='r-event']//h2")
    assert upcoming == ["Новогодняя ярмарка"]
    assert archive == ["Публичные слушания по бюджету"]


def test_answers_are_grouped_into_weekly_issues(fixture_site: Path) -> None:
    column = page(fixture_site, "/glava-v-otvete/")
    assert texts(column, "//section[@class='r-issue']/h2") == ["Выпуск 16 ноября 2026 — 22 ноября 2026"]
    answer = page(fixture_site, "/glava-v-otvete/kogda-otremontiruyut-dorogu-na-ulice-gagarina/")
    assert "Ирина, Северный микрорайон" in answer.text_content()


def test_department_page_has_contacts_hierarchy_and_its_content(fixture_site: Path) -> None:
    dept = page(fixture_site, "/departments/zhkh/")
    text = dept.text_content()
    assert "Мария Ивановна Смирнова" in text
    assert "вт, чт 10:00–12:00" in text
    assert dept.xpath("//a[@href='/news/2026/11/kapitalnyj-remont-shkoly-5/']")
    crumbs = texts(dept, "//nav[@aria-label='Навигационная цепочка']//li")
    assert crumbs == ["Главная", "Структура", "Администрация", "Отдел ЖКХ"]
    tree = page(fixture_site, "/departments/")
    assert tree.xpath("//ul[@class='r-tree']/li/ul[@class='r-tree']/li/a[@href='/departments/zhkh/']")


def test_current_section_is_marked_in_the_menu(fixture_site: Path) -> None:
    tree = page(fixture_site, "/documents/postanovlenie-10-2025/")
    assert texts(tree, "//nav[@aria-label='Основное меню']//a[@aria-current='page']") == ["Документы"]


def test_home_page_shows_every_kind_of_content(fixture_site: Path) -> None:
    home = page(fixture_site, "/")
    for href in (
        "/news/2026/11/otopitelnyj-sezon-idyot-shtatno/",
        "/announcements/2026/novogodnyaya-yarmarka/",
        "/documents/postanovlenie-20-2026/",
        "/glava-v-otvete/kogda-otremontiruyut-dorogu-na-ulice-gagarina/",
        "/departments/administraciya/",
        "https://t.me/testovyj",
    ):
        assert home.xpath(f"//a[@href='{href}']"), href
