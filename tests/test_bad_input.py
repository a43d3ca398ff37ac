"""Bad input stops the build with file, line and field, and the old site stays intact."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from ratusha.core.errors import BuildStopped, ContentError
from support import ROOT, build, edit, files

NEWS = "news/2026-11-20-remont.md"
ACT = "acts/postanovlenie-10-2025.md"


CASES = {
    "broken YAML": (
        NEWS,
        "department: zhkh",
        "department: [zhkh",
        f"content/{NEWS}:5: ",
        "список «[», открытый в строке 5 (позиция 13), не закрыт",
    ),
    "missing field": (
        NEWS,
        "department: zhkh\n",
        "",
        f"content/{NEWS}:1: department: ",
        "required field is missing",
    ),
    "unknown department": (
        NEWS,
        "department: zhkh",
        "department: zhkx",
        f"content/{NEWS}:5: department: ",
        "did you mean zhkh?",
    ),
    "bad date": (
        NEWS,
        "date: 2026-11-20 10:30",
        "date: 20.13.2026",
        f"content/{NEWS}:3: date: ",
        "cannot read the date",
    ),
    "impossible date written as ISO": (  # read by fromisoformat, not dateutil
        NEWS,
        "date: 2026-11-20 10:30",
        "date: 2026-02-30 10:30",
        f"content/{NEWS}:3: date: ",
        "cannot read the date",
    ),
    "bad act date": (
        ACT,
        "adopted: 2025-03-01",
        "adopted: вчера",
        f"content/{ACT}:7: adopted: ",
        "cannot read the date",
    ),
    "missing attachment": (
        ACT,
        "files/postanovlenie-10-2025.pdf",
        "files/net-takogo.pdf",
        f"content/{ACT}:14: attachments.0.file: ",
        "does not exist",
    ),
    "missing image": (
        NEWS,
        "images/school.png",
        "images/net.png",
        f"content/{NEWS}:7: image: ",
        "does not exist",
    ),
    "image without alt": (
        NEWS,
        "image_alt: Здание школы № 5 после ремонта фасада\n",
        "",
        f"content/{NEWS}:1: image_alt: ",
        "no text alternative",
    ),
    "unknown act status": (
        ACT,
        "act_status: действует",
        "act_status: работает",
        f"content/{ACT}:8: act_status: ",
        "must be one of",
    ),
    "unknown amended act": (
        ACT.replace("10-2025", "20-2026"),
        "amends: [postanovlenie-10-2025]",
        "amends: [postanovlenie-11-2025]",
        "amends: ",
        "unknown act",
    ),
    "no front matter": (NEWS, "---\ntitle:", "title:", f"content/{NEWS}:1: ", "no YAML front matter"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_stops_the_build_and_keeps_the_old_site(
    case: str, fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, old, new, where, message = CASES[case]
    monkeypatch.chdir(fixture_content.parent)  # messages name files relative to here
    output = build(fixture_content, tmp_path / "output")
    before = files(output)

    edit(fixture_content / name, old, new)
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, output)

    report = str(stopped.value)
    assert where in report, report
    assert message in report, report
    assert files(output) == before


def test_a_build_that_fails_while_writing_keeps_the_old_site(fixture_content: Path, tmp_path: Path) -> None:
    """A template error after the item pages are written: none of them reaches the served folder."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    output = build(fixture_content, tmp_path / "output", THEME=str(theme))
    before = files(output)

    edit(
        fixture_content / "municipality.yml",
        "name: Администрация посёлка Тестовый",
        "name: Администрация посёлка Новый",
    )
    (theme / "templates" / "404.html").write_text("{{ no_such_variable.attribute }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        build(fixture_content, output, THEME=str(theme))
    assert files(output) == before
    staged = tmp_path / "output.staging"  # left for inspection, never served
    assert "посёлка Новый" in (staged / "news" / "index.html").read_text(encoding="utf-8"), "pages were written"


def test_a_file_that_is_not_utf8_is_named_with_its_line(
    fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fixture_content.parent)
    path = fixture_content / NEWS
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "output")
    assert f"content/{NEWS}:2: " in str(stopped.value)
    assert "not UTF-8" in str(stopped.value)
    assert not (tmp_path / "output").exists()


def test_every_error_is_reported_at_once(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / NEWS, "department: zhkh", "department: nikto")
    edit(fixture_content / ACT, "act_type: постановление", "act_type: указ")
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "output")
    assert len(stopped.value.problems) == 2


def test_duplicate_ids_name_both_files(fixture_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fixture_content.parent)
    edit(
        fixture_content / "news/2026-11-21-otoplenie.md",
        "22222222-2222-4222-8222-222222222222",
        "11111111-1111-4111-8111-111111111111",
    )
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "output")
    report = str(stopped.value)
    assert "content/news/2026-11-21-otoplenie.md" in report and "content/news/2026-11-20-remont.md" in report


def test_a_department_cycle_is_refused(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / "departments/administraciya.md", "order: 1", "order: 1\nparent: zhkh")
    with pytest.raises(BuildStopped, match="cycle"):
        build(fixture_content, tmp_path / "output")


def test_a_broken_municipality_file_stops_before_anything_is_read(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / "municipality.yml", "timezone: Asia/Vladivostok", "timezone: Asia/Atlantis")
    with pytest.raises(ContentError, match=r"municipality.yml:6: timezone: .*unknown time zone"):
        build(fixture_content, tmp_path / "output")


def test_a_successful_build_replaces_the_old_site_completely(fixture_content: Path, tmp_path: Path) -> None:
    """A rebuild publishes only what changed, and removes what the new site no longer has."""
    output = build(fixture_content, tmp_path / "output")
    first = files(output)
    (fixture_content / "news" / "2026-11-21-otoplenie.md").unlink()
    build(fixture_content, output)
    gone = "news/2026/11/otopitelnyj-sezon-idyot-shtatno/index.html"
    assert gone in first and not (output / gone).exists()
    assert not (output / gone).parent.exists(), "the deleted item's folder goes too"
    assert not (tmp_path / "output.staging").exists()
    assert files(output) == files(build(fixture_content, tmp_path / "fresh" / "output"))


def test_the_replaced_site_is_kept_aside_until_the_next_build(fixture_content: Path, tmp_path: Path) -> None:
    output = build(fixture_content, tmp_path / "output")
    news = fixture_content / "news" / "2026-11-21-otoplenie.md"
    page = "news/2026/11/otopitelnyj-sezon-idyot-shtatno/index.html"
    first = (output / page).read_text(encoding="utf-8")
    edit(news, "Все котельные", "Все 12 котельных")
    build(fixture_content, output)
    old = tmp_path / "output.old"
    assert (old / page).read_text(encoding="utf-8") == first  # the replaced page, for a rollback
    second = (output / page).read_text(encoding="utf-8")
    edit(news, "Все 12 котельных", "Все 13 котельных")
    build(fixture_content, output)
    assert (old / page).read_text(encoding="utf-8") == second, "only the last build's replaced files"
    assert not (tmp_path / "output.old.removing").exists()  # deleted during the build


def test_an_unquoted_colon_gets_a_hint(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / NEWS, "summary: В школе", "summary: Итог: в школе")
    with pytest.raises(BuildStopped, match=r"quote a value that contains ': '"):
        build(fixture_content, tmp_path / "output")
