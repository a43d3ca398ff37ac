"""One data file makes the site one municipality's: a second profile needs no code change."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratusha.core.errors import ContentError
from support import ROOT, build, page


@pytest.fixture(scope="module")
def small_town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT / "content", tmp_path_factory.mktemp("small") / "output", ROOT / "profiles" / "small-town.yml")


def test_the_second_profile_changes_name_zone_colours_and_accounts(demo_site: Path, small_town: Path) -> None:
    city, town = page(demo_site, "/"), page(small_town, "/")
    assert "Администрация города Северогорска" in city.xpath("string(//header)")
    assert "Администрация городского округа Малоозёрск" in town.xpath("string(//header)")
    assert "Приморский край" in town.xpath("string(//div[@class='r-official'])")
    assert town.xpath("//a[@href='https://t.me/maloozyorsk']")
    assert city.xpath("//a[starts-with(@href, 'https://ok.ru')]")  # the city has an OK group,
    assert not town.xpath("//a[starts-with(@href, 'https://ok.ru')]")  # the town has none
    (colours,) = (small_town / "css").glob("municipality.*.css")
    assert "#1f5f3a" in colours.read_text()
    city_times = city.xpath("//time/@datetime")
    town_times = town.xpath("//time/@datetime")
    assert all(t.endswith("+06:00") for t in city_times if "T" in t)  # Asia/Omsk
    assert all(t.endswith("+10:00") for t in town_times if "T" in t)  # Asia/Vladivostok
    assert any("T" in t for t in town_times)


def test_a_missing_coat_of_arms_is_reported(fixture_content: Path, tmp_path: Path) -> None:
    text = (fixture_content / "municipality.yml").read_text(encoding="utf-8")
    (fixture_content / "municipality.yml").write_text(
        text.replace("images/arms.svg", "images/net.svg"), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"coat_of_arms: .*does not exist"):
        build(fixture_content, tmp_path / "output")
