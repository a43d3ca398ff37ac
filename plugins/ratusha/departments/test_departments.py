"""The department registry: the hierarchy both ways, each department's content and news archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratusha.testing import build, copy_fixture, page


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


@pytest.fixture(scope="module")
def short_lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with a department (a third level, under ЖКХ) that has nothing yet, and one item of each
    kind per department page."""
    folder = tmp_path_factory.mktemp("departments")
    content = copy_fixture(folder)
    (content / "departments" / "arhiv.md").write_text(
        "---\ntitle: Архивный отдел\nshort_title: Архив\nparent: zhkh\nhead: {name: Пётр Архипов}\ncontacts: {phone: '1'}\n---\nАрхив.\n",
        encoding="utf-8",
    )
    return build(content, folder / "output", RATUSHA_DEPARTMENT_LATEST=1)


def test_the_directory_nests_departments_under_their_parent(fixture_site: Path) -> None:
    tree = page(fixture_site, "/departments/")
    (top,) = tree.xpath("(//main//ul[@class='r-tree'])[1]/li")
    assert top.xpath("a/@href") == ["/departments/administraciya/"]
    assert top.xpath("ul[@class='r-tree']/li/a/@href") == ["/departments/zhkh/"]


def test_a_department_links_its_parent_and_its_children(fixture_site: Path) -> None:
    zhkh, administration = page(fixture_site, "/departments/zhkh/"), page(fixture_site, "/departments/administraciya/")
    assert zhkh.xpath("//main//p[starts-with(., 'Входит в состав')]/a/@href") == ["/departments/administraciya/"]
    assert administration.xpath("//main//ul[@class='r-links']//a/@href") == ["/departments/zhkh/"]


def test_a_department_page_shows_its_own_news_acts_and_events(fixture_site: Path) -> None:
    administration = page(fixture_site, "/departments/administraciya/")
    assert texts(administration, "//section[@aria-labelledby='dept-news']//h3") == ["Отопительный сезон идёт штатно"]
    assert len(administration.xpath("//section[@aria-labelledby='dept-acts']//h3")) == 3
    assert texts(administration, "//section[@aria-labelledby='dept-events']//h3") == ["Новогодняя ярмарка"]
    zhkh = page(fixture_site, "/departments/zhkh/")
    assert texts(zhkh, "//section[@aria-labelledby='dept-news']//h3") == ["Капитальный ремонт школы № 5"]
    assert not zhkh.xpath("//section[@aria-labelledby='dept-acts']")


def test_each_department_with_news_has_its_news_archive(fixture_site: Path) -> None:
    archive = page(fixture_site, "/departments/zhkh/news/")
    assert texts(archive, "//main//article//h2") == ["Капитальный ремонт школы № 5"]
    assert "Отдел жилищно-коммунального хозяйства" in archive.xpath("string(//h1)")


def test_a_department_without_news_has_no_archive(short_lists: Path) -> None:
    assert "Архивный отдел" in page(short_lists, "/departments/arhiv/").xpath("string(//h1)")
    assert not (short_lists / "departments" / "arhiv" / "news").exists()
    assert page(short_lists, "/departments/").xpath("//ul/li/ul/li/ul/li/a[@href='/departments/arhiv/']")


def test_the_breadcrumbs_run_from_the_top_down(short_lists: Path) -> None:
    crumbs = texts(page(short_lists, "/departments/arhiv/"), "//nav[@aria-label='Навигационная цепочка']//li")
    assert crumbs == ["Главная", "Структура", "Администрация", "Отдел ЖКХ", "Архив"]


def test_the_latest_setting_shortens_a_department_page(short_lists: Path) -> None:
    administration = page(short_lists, "/departments/administraciya/")
    assert len(administration.xpath("//section[@aria-labelledby='dept-acts']//h3")) == 1
    assert "Все документы подразделения (3)" in administration.text_content()
