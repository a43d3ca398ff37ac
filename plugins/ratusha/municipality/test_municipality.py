"""The municipality data file: read, checked with every problem's line, and applied to the site."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ratusha.core.errors import ContentError
from ratusha.core.social import SOCIAL_NETWORKS
from ratusha.municipality import load_municipality
from ratusha.testing import FIXTURE, build, edit, page


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    """A copy of the fixture's data file, free to break."""
    path = tmp_path / "municipality.yml"
    path.write_bytes((FIXTURE / "municipality.yml").read_bytes())
    return path


def test_the_data_file_is_read_with_defaults_filled_in(data_file: Path) -> None:
    edit(data_file, "site_url: https://test.example.ru", "site_url: https://test.example.ru/")
    edit(data_file, 'colors:\n  primary: "#225588"\n', "")
    data = load_municipality(str(data_file))
    assert data["name"] == "Администрация посёлка Тестовый"
    assert data["site_url"] == "https://test.example.ru"
    assert data["social"] == [
        {"network": "telegram", "url": "https://t.me/testovyj", "title": SOCIAL_NETWORKS["telegram"]}
    ]
    assert data["colors"] == {}


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("short_name: Тестовый\n", "", r"municipality.yml: short_name: .*required field is missing"),
        ("timezone: Asia/Vladivostok", "timezone: Asia/Atlantis", r"municipality.yml:6: timezone: .*unknown time zone"),
        ("site_url: https://test.example.ru", "site_url: test.example.ru", r"municipality.yml:5: site_url: .*https://"),
        ("  email: info@test.example.ru\n", "", r"municipality.yml:\d+: contacts.email: .*required"),
        ("network: telegram", "network: myspace", r"municipality.yml:16: social.0: .*network must be one of"),
        ("url: https://t.me/testovyj", "url: http://t.me/testovyj", r"municipality.yml:17: social.0.url: .*https://"),
        ('primary: "#225588"', "primary: синий", r"municipality.yml:19: colors.primary: .*#rrggbb"),
    ],
)
def test_a_problem_is_named_with_its_line_and_field(data_file: Path, old: str, new: str, where: str) -> None:
    edit(data_file, old, new)
    with pytest.raises(ContentError, match=where):
        load_municipality(str(data_file))


def test_every_problem_is_reported_not_just_the_first(data_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    edit(data_file, "timezone: Asia/Vladivostok", "timezone: Asia/Atlantis")
    edit(data_file, 'primary: "#225588"', "primary: синий")
    with caplog.at_level(logging.ERROR), pytest.raises(ContentError, match="timezone"):
        load_municipality(str(data_file))
    assert any("colors.primary" in record.getMessage() for record in caplog.records)


def test_a_missing_data_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="municipality data file does not exist"):
        load_municipality(str(tmp_path / "net.yml"))


def test_the_site_takes_its_name_and_zone_from_the_file(fixture_site: Path) -> None:
    news = page(fixture_site, "/news/2026/11/kapitalnyj-remont-shkoly-5/")
    assert "Администрация посёлка Тестовый" in news.xpath("string(//title)")
    assert news.xpath("//article//time/@datetime") == ["2026-11-20T10:30:00+10:00"]
    assert news.xpath("//a[@href='https://t.me/testovyj']")


def test_with_use_site_url_links_are_absolute(tmp_path: Path) -> None:
    output = build(FIXTURE, tmp_path / "output", RATUSHA_USE_SITE_URL=True)
    links = page(output, "/news/").xpath("//nav[@aria-label='Основное меню']//a/@href")
    assert links and all(link.startswith("https://test.example.ru/") for link in links)
