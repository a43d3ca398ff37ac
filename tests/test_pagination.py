"""Long lists are paginated as …/page/N/, never as name2.html (which can collide)."""

from __future__ import annotations

from pathlib import Path

from support import build, page


def add_news(content: Path, count: int, department: str) -> None:
    for number in range(1, count + 1):
        (content / "news" / f"{department}-{number}.md").write_text(
            f"---\ntitle: Новость {department} номер {number}\ndate: 2026-10-{(number - 1) % 28 + 1:02d} 09:{number:02d}\n"
            f"id: {department}-{number}\ndepartment: {department}\n---\nТекст.\n",
            encoding="utf-8",
        )


def test_news_list_is_paginated_with_directory_urls(fixture_content: Path, tmp_path: Path) -> None:
    add_news(fixture_content, 43, "zhkh")
    output = build(fixture_content, tmp_path / "output")
    first, second, third = (page(output, u) for u in ("/news/", "/news/page/2/", "/news/page/3/"))
    assert len(first.xpath("//main//article")) == 20
    assert len(third.xpath("//main//article")) == 45 - 40
    assert second.xpath("//a[@rel='prev']/@href") == ["/news/"]
    assert second.xpath("//a[@rel='next']/@href") == ["/news/page/3/"]
    assert second.xpath("//nav[@class='r-pagination']//*[@aria-current='page']/text()") == ["2"]
    assert not (output / "news" / "index2.html").exists()
    assert page(output, "/departments/zhkh/news/page/3/").xpath("//main//article")


def test_department_slugs_that_share_a_prefix_do_not_collide(fixture_content: Path, tmp_path: Path) -> None:
    for slug in ("otdel-1", "otdel-12"):
        (fixture_content / "departments" / f"{slug}.md").write_text(
            f"---\ntitle: Отдел {slug}\nhead: {{name: Иванов}}\ncontacts: {{phone: '1'}}\n---\nТекст.\n",
            encoding="utf-8",
        )
        add_news(fixture_content, 25, slug)
    output = build(fixture_content, tmp_path / "output")
    assert "Отдел otdel-1" in page(output, "/departments/otdel-1/news/page/2/").xpath("string(//h1)")
    assert "Отдел otdel-12" in page(output, "/departments/otdel-12/").xpath("string(//h1)")
