"""The editors' loop: a new item from a template, the content check, promotion, images."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from ratusha.content_model.editor import new_item
from ratusha.core.errors import BuildStopped, ContentError
from support import ROOT, build, content_problems, edit, page

NEWS = "news/2026-11-20-remont.md"
ACT = "acts/postanovlenie-10-2025.md"
ZONE = "Asia/Vladivostok"
NOW = datetime.datetime(2026, 11, 24, 15, 5, tzinfo=ZONE and ZoneInfo(ZONE))


def check(content: Path, **overrides) -> list[str]:
    return [f"{p} [{p.severity}]" for p in content_problems(content, **overrides)]


# invoke new ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "folder", "name"),
    [
        ("news", "news", "2026-11-24-kapitalnyj-remont-shkoly-5.md"),
        ("act", "acts", "2026-11-24-kapitalnyj-remont-shkoly-5.md"),
        ("announcement", "announcements", "2026-11-24-kapitalnyj-remont-shkoly-5.md"),
        ("answer", "answers", "2026-11-24-kapitalnyj-remont-shkoly-5.md"),
        ("department", "departments", "kapitalnyj-remont-shkoly-5.md"),
        ("page", "pages", "kapitalnyj-remont-shkoly-5.md"),
    ],
)
def test_new_item_goes_to_its_folder_with_a_readable_slug(
    fixture_content: Path, kind: str, folder: str, name: str
) -> None:
    path = new_item(fixture_content, kind, "Капитальный ремонт школы № 5", ZONE, now=NOW)
    assert path == fixture_content / folder / name
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Капитальный ремонт школы № 5"\n')
    if kind not in ("department", "page"):
        assert "\ndate: 2026-11-24 15:05\n" in text
        assert re.search(r"\nid: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n", text)


def test_new_item_uses_the_municipalitys_time_zone(fixture_content: Path) -> None:
    utc_noon = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
    path = new_item(fixture_content, "news", "Полдень по Гринвичу", ZONE, now=utc_noon, department="zhkh")
    assert "\ndate: 2026-11-24 22:00\n" in path.read_text(encoding="utf-8")  # UTC+10


def test_new_item_never_overwrites(fixture_content: Path) -> None:
    about = fixture_content / "pages" / "about.md"
    before = about.read_bytes()
    with pytest.raises(ContentError, match="not overwritten"):
        new_item(fixture_content, "page", "О посёлке", ZONE, slug="about")
    assert about.read_bytes() == before
    path = new_item(fixture_content, "page", "Контакты", ZONE)
    with pytest.raises(ContentError, match="not overwritten"):
        new_item(fixture_content, "page", "Контакты", ZONE)
    assert path.name == "kontakty.md"


def test_new_item_refuses_an_unknown_type(fixture_content: Path) -> None:
    with pytest.raises(ContentError, match="unknown type"):
        new_item(fixture_content, "press-release", "Заголовок", ZONE)


def test_a_new_news_item_with_its_department_passes_the_check_and_builds(fixture_content: Path, tmp_path: Path) -> None:
    new_item(
        fixture_content,
        "news",
        "Новость: «Итоги» недели",
        ZONE,
        now=NOW - datetime.timedelta(days=1),
        department="zhkh",
    )
    assert [p for p in check(fixture_content) if "[error]" in p] == []
    output = build(fixture_content, tmp_path / "output")
    assert page(output, "/news/2026/11/novost-itogi-nedeli/").xpath("string(//h1)") == "Новость: «Итоги» недели"


def test_a_new_act_names_every_required_field_left_to_fill(
    fixture_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fixture_content.parent)
    path = new_item(fixture_content, "act", "Об утверждении порядка", ZONE, now=NOW)
    errors = [p for p in check(fixture_content) if "[error]" in p]
    relative = f"{path.relative_to(fixture_content.parent)}"
    for field in ("act_type", "number", "issuer"):
        assert any(p.startswith(f"{relative}:") and f": {field}: " in p for p in errors), (field, errors)


# invoke check ---------------------------------------------------------------------

#: Each rule once: (file, old text, new text, expected "line: field: message" part, severity).
RULES = {
    "required field": (
        NEWS,
        "department: zhkh\n",
        "",
        ":1: department: обязательное поле не заполнено / required field is missing",
        "error",
    ),
    "unknown department": (
        NEWS,
        "department: zhkh",
        "department: zkh",
        ":5: department: нет подразделения 'zkh'",
        "error",
    ),
    "unknown act": (
        ACT.replace("10-2025", "20-2026"),
        "amends: [postanovlenie-10-2025]",
        "amends: [postanovlenie-1-2025]",
        ":10: amends: нет акта с ключом 'postanovlenie-1-2025'",
        "error",
    ),
    "duplicate act number": (
        "acts/rasporyazhenie-5-r-2024.md",
        "act_type: распоряжение\nnumber: 5-р\nadopted: 2024-01-09",
        "act_type: постановление\nnumber: 10\nadopted: 2025-01-09",
        ":6: number: акт с тем же видом, номером и годом 'postanovlenie-10-2025' уже есть",
        "error",
    ),
    "missing attachment": (
        ACT,
        "files/postanovlenie-10-2025.pdf",
        "files/net.pdf",
        ":14: attachments.0.file: файл files/net.pdf не найден",
        "error",
    ),
    "unsupported attachment": (
        ACT,
        "files/postanovlenie-10-2025.pdf",
        "files/postanovlenie-10-2025.exe",
        ":14: attachments.0.file: тип файла .exe не поддерживается",
        "error",
    ),
    "missing image": (NEWS, "images/school.png", "images/net.jpg", ":7: image: файл images/net.jpg не найден", "error"),
    "missing alt": (
        NEWS,
        "image_alt: Здание школы № 5 после ремонта фасада\n",
        "",
        ":1: image_alt: у изображения нет описания (alt)",
        "error",
    ),
    "long teaser": (
        NEWS,
        'teaser: "Школа № 5 готова к зиме: новые окна и кровля."',
        "teaser: " + "очень " * 60,
        ":10: teaser: тизер 359 знаков; для соцсетей лучше до 280",
        "warning",
    ),
    "teaser too long": (
        NEWS,
        'teaser: "Школа № 5 готова к зиме: новые окна и кровля."',
        "teaser: " + "очень " * 200,
        ":10: teaser: тизер 1199 знаков, больше 1000",
        "error",
    ),
    "date before 1990": (
        NEWS,
        "date: 2026-11-20 10:30",
        "date: 1926-11-20 10:30",
        ":3: date: дата 20.11.1926 раньше 1990 года",
        "warning",
    ),
    "date years ahead": (
        NEWS,
        "date: 2026-11-20 10:30",
        "date: 2062-11-20 10:30",
        ":3: date: дата 20.11.2062 наступит больше чем через год",
        "warning",
    ),
    "act adopted after posting": (
        ACT,
        "adopted: 2025-03-01",
        "adopted: 2025-03-09",
        ":7: adopted: акт принят позже, чем размещён",
        "warning",
    ),
    "published before adoption": (
        ACT,
        "published_on: 2025-03-05",
        "published_on: 2025-02-05",
        ":12: published_on: опубликован раньше, чем принят",
        "warning",
    ),
    "event ends before it starts": (
        "announcements/yarmarka.md",
        "ends: 2026-12-20 16:00",
        "ends: 2026-12-19 16:00",
        ":6: ends: окончание раньше начала",
        "error",
    ),
    "bad id": (NEWS, "id: 11111111-1111-4111-8111-111111111111", "id: 'новость 1'", ":4: id: id 'новость 1'", "error"),
    "urgent without end": (
        NEWS,
        "department: zhkh\n",
        "department: zhkh\nurgent: true\n",
        ":1: urgent_until: у срочного сообщения укажите",
        "error",
    ),
    "flag that is not true/false": (
        NEWS,
        "department: zhkh\n",
        "department: zhkh\npinned: да\n",
        ":6: pinned: ожидается true или false",
        "error",
    ),
    "unknown field": (
        NEWS,
        "department: zhkh\n",
        "department: zhkh\ndepartmnet: zhkh\n",
        ":6: departmnet: неизвестное поле / unknown field; возможно, department?",
        "warning",
    ),
    "unknown status": (
        NEWS,
        "department: zhkh\n",
        "department: zhkh\nstatus: hidden\n",
        ":6: status: статус 'hidden' не из списка",
        "error",
    ),
    "not utf-8": (NEWS, None, None, ":2: файл не в кодировке UTF-8", "error"),
}


@pytest.mark.parametrize("rule", RULES, ids=list(RULES))
def test_each_rule_is_reported_by_check_and_build_alike(
    rule: str, fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, old, new, expected, severity = RULES[rule]
    monkeypatch.chdir(fixture_content.parent)
    if old is None:
        path = fixture_content / name
        path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    else:
        edit(fixture_content / name, old, new)
    reported = check(fixture_content)
    matching = [p for p in reported if p.startswith(f"content/{name}{expected}")]
    assert matching, reported
    assert matching[0].endswith(f"[{severity}]")
    if severity == "error":
        with pytest.raises(BuildStopped) as stopped:
            build(fixture_content, tmp_path / "output")
        assert sorted(str(p) for p in stopped.value.problems) == sorted(
            p.rsplit(" [", 1)[0] for p in reported if p.endswith("[error]")
        )
    else:
        build(fixture_content, tmp_path / "output")  # warnings do not stop the build


def test_check_of_the_fixture_is_clean(fixture_content: Path) -> None:
    assert check(fixture_content) == []


def test_invoke_check_exits_non_zero_on_errors(fixture_content: Path) -> None:
    env = {**os.environ, "RATUSHA_MUNICIPALITY": str(fixture_content / "municipality.yml")}
    command = [sys.executable, "-m", "invoke", "check", f"--content={fixture_content}"]
    clean = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stderr
    edit(fixture_content / NEWS, "department: zhkh", "department: nikto")
    broken = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert broken.returncode == 1
    assert "2026-11-20-remont.md:5: department: нет подразделения 'nikto'" in broken.stderr
    assert "1 error(s)" in broken.stderr


# promotion and images -------------------------------------------------------------


def test_urgent_banner_is_on_every_page_until_its_end(fixture_content: Path, tmp_path: Path) -> None:
    edit(
        fixture_content / "news/2026-11-21-otoplenie.md",
        "no_crosspost: true\n",
        "no_crosspost: true\nurgent: true\nurgent_until: 2026-11-25 18:00\n",
    )
    output = build(fixture_content, tmp_path / "during")
    for path in output.rglob("*.html"):
        banner = page(output, "/" + str(path.relative_to(output))).xpath("//section[@class='r-urgent']")
        assert banner, path
    assert "Отопительный сезон идёт штатно" in banner[0].text_content()
    assert "25 ноября 2026, 18:00" in banner[0].text_content()
    after = build(fixture_content, tmp_path / "after", RATUSHA_BUILD_TIME="2026-11-26T09:00:00")
    assert not page(after, "/").xpath("//section[@class='r-urgent']")


def test_a_pinned_item_leads_the_home_page(fixture_content: Path, tmp_path: Path) -> None:
    home = page(build(fixture_content, tmp_path / "before"), "/")
    assert home.xpath("string((//section[@class='r-home__news']//h3)[1])") == "Отопительный сезон идёт штатно"
    edit(fixture_content / NEWS, "department: zhkh\n", "department: zhkh\npinned: true\n")
    home = page(build(fixture_content, tmp_path / "after"), "/")
    assert home.xpath("string((//section[@class='r-home__news']//h3)[1])") == "Капитальный ремонт школы № 5"
    assert "Закреплено" in home.xpath("string((//section[@class='r-home__news']//article)[1])")


def test_a_large_photo_gets_resized_variants_and_a_social_picture(fixture_content: Path, tmp_path: Path) -> None:
    Image.new("RGB", (3000, 2000), "#6699cc").save(fixture_content / "images" / "big.jpg", quality=95)
    edit(fixture_content / NEWS, "images/school.png", "images/big.jpg")
    output = build(fixture_content, tmp_path / "output")
    img = page(output, "/news/2026/11/kapitalnyj-remont-shkoly-5/").xpath("//figure//img")[0]
    assert (img.get("width"), img.get("height")) == ("3000", "2000")
    widths = [int(part.split()[1][:-1]) for part in img.get("srcset").split(", ")]
    assert widths == [480, 960, 1440, 3000]
    for part in img.get("srcset").split(", "):
        url, width = part.split()
        with Image.open(output / url.lstrip("/")) as variant:
            assert variant.size[0] == int(width[:-1])
    assert img.get("sizes")
    og = page(output, "/news/2026/11/kapitalnyj-remont-shkoly-5/").xpath("//meta[@property='og:image']/@content")[0]
    with Image.open(output / og.removeprefix("https://test.example.ru/")) as social:
        assert social.size == (1200, 630)
    small_variant = output / img.get("srcset").split(", ")[0].split()[0].lstrip("/")
    assert small_variant.stat().st_size < (fixture_content / "images" / "big.jpg").stat().st_size


def test_attachments_show_type_and_size(fixture_site: Path) -> None:
    text = page(fixture_site, "/documents/postanovlenie-10-2025/").xpath("string(//ul[@class='r-files'])")
    assert "Текст постановления (PDF)" in text and "(PDF, 329 Б)" in text
