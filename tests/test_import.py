"""ratusha-import (issue 19): old portals' archives become Ratusha content, and their addresses redirect.

Fixtures of our own (tests/fixtures/import/): a WordPress export, saved feeds, and two
small old sites in the Gosweb and the 1C-Bitrix layouts served on 127.0.0.1 by a real
HTTP server. Each import is checked as an editor would: `invoke check`, a build, a second
import, and the old addresses in the built redirects.
"""

from __future__ import annotations

import datetime
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from import_fixtures import IMPORT, Site, run_import, serve, wxr_copy

from ratusha.importer.text import parse_act_title, parse_date, source_id
from ratusha.importer.writer import atomic_write
from ratusha.testing import build, copy_fixture, files
from support import ROOT


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def imported(content: Path) -> dict[str, tuple[Path, dict]]:
    """Return {id: (file, front matter)} of the imported items in ``content``."""
    found = {}
    for path in sorted(content.rglob("*.md")):
        meta = front_matter(path)
        if str(meta.get("id", "")).startswith("import-"):
            found[meta["id"]] = (path, meta)
    return found


def invoke_check(content: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "RATUSHA_MUNICIPALITY": str(content / "municipality.yml")}
    command = [sys.executable, "-m", "invoke", "check", f"--content={content}"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def ledger(content: Path) -> set[tuple[str, str]]:
    lines = (content / "addresses.txt").read_text(encoding="utf-8").splitlines()
    return {tuple(line.split("\t")) for line in lines if line.startswith("import-")}


def redirects(output: Path) -> dict[str, str]:
    pairs = {}
    for line in (output / "redirects.map").read_text(encoding="utf-8").splitlines():
        if line.startswith('"'):
            old, new = line.rstrip(";").split('" "')
            pairs[old.strip('"')] = new.strip('"')
    return pairs


# The units that read what old sites print ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Постановление от 12.03.2025 № 112 «Об установлении тарифов»",
            ("постановление", "112", "2025-03-12", "Об установлении тарифов"),
        ),
        (
            "Распоряжение № 45-р от 5 марта 2025 г. О проведении субботника",
            ("распоряжение", "45-р", "2025-03-05", "О проведении субботника"),
        ),
        ("РЕШЕНИЕ Совета депутатов от 01.02.2024 N 12/3 О бюджете", ("решение", "12/3", "2024-02-01", "О бюджете")),
        (
            "Приказ от 30 декабря 2023 года № 7 «Об учётной политике»",
            ("приказ", "7", "2023-12-30", "Об учётной политике"),
        ),
    ],
)
def test_act_attributes_are_read_from_titles(title: str, expected: tuple) -> None:
    act = parse_act_title(title)
    assert act is not None
    assert (act.act_type, act.number, act.adopted.isoformat(), act.title) == expected


def test_a_title_without_number_or_date_is_not_an_act() -> None:
    assert parse_act_title("Информация о проведении публичных слушаний") is None
    assert parse_act_title("Постановление № 5 о чём-то") is None  # no date: not guessed


def test_dates_as_old_sites_print_them() -> None:
    assert parse_date("Опубликовано 12.03.2025 14:30") == datetime.datetime(2025, 3, 12, 14, 30)
    assert parse_date("5 марта 2025 г.") == datetime.date(2025, 3, 5)
    assert parse_date("31.02.2025") is None
    aware = parse_date("2024-09-12T14:30:00+10:00")
    assert aware.utcoffset() == datetime.timedelta(hours=10)


def test_the_id_follows_the_address_not_its_spelling() -> None:
    same = {
        source_id("http://www.Old.example.ru/news/detail.php?ID=5&SECTION=2"),
        source_id("https://old.example.ru/news/detail.php?SECTION=2&ID=5#top"),
        source_id("https://old.example.ru:8443/news/detail.php?SECTION=2&ID=5"),
    }
    assert len(same) == 1
    assert source_id("https://old.example.ru/news/detail.php?ID=6") not in same


def test_atomic_write_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    assert atomic_write(target, b"one") is True
    assert atomic_write(target, b"one") is False  # unchanged: not written again

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt  # stopped between writing the new text and putting it in place

    monkeypatch.setattr(os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"two")
    assert target.read_bytes() == b"one"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


# Whole imports ---------------------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path)


def import_twice_changes_nothing(content: Path, tmp_path: Path, *args: str) -> dict:
    code, report = run_import(content, *args, tmp_path=tmp_path)
    assert code == 0, report
    before = files(content)
    code, again = run_import(content, *args, tmp_path=tmp_path)
    assert code == 0
    assert files(content) == before, "a second import of the same source changed the content"
    assert sum(again["created"].values()) == sum(again["updated"].values()) == 0
    assert again["unchanged"] == {k: report["created"].get(k, 0) for k in again["unchanged"]}
    assert again["files_downloaded"] == 0 and again["redirects_added"] == 0
    return report


def checked_and_built(content: Path, tmp_path: Path) -> Path:
    result = invoke_check(content)
    assert result.returncode == 0, result.stderr + result.stdout
    return build(content, tmp_path / "output")


def test_wordpress_export(content: Path, tmp_path: Path) -> None:
    with serve("wordpress", tmp_path) as site:
        report = import_twice_changes_nothing(content, tmp_path, "--wxr", str(wxr_copy(site, tmp_path)))
    assert report["created"] == {"news": 2, "page": 1}
    why = {
        address.removeprefix(site.base): reason
        for address, reason in ((s["address"], s["why"]) for s in report["skipped"])
    }
    assert "Отдел культуры" in why["/2024/06/koncert/"]  # an unknown category is listed, not guessed
    assert "draft" in why["/?p=15"]
    assert report["unknown_departments"] == {"Отдел культуры": 1}
    items = {meta["title"]: (path, meta) for path, meta in imported(content).values()}
    path, meta = items["Открыт новый сквер на улице Центральной"]
    assert path.parent.name == "news" and path.name == "2024-05-15-otkryt-novyj-skver-na-ulice-centralnoj.md"
    # 03:30 UTC is 13:30 in the municipality (Asia/Vladivostok), as WordPress's local date says
    assert str(meta["date"]) == "2024-05-15 13:30"
    assert meta["department"] == "zhkh" and meta["tags"] == ["благоустройство"]
    assert meta["summary"] == "Новый сквер с детской площадкой открыт на улице Центральной."
    assert meta["image_alt"] == "Сквер на улице Центральной"
    assert (content / meta["image"]).read_bytes()[:3] == b"\xff\xd8\xff"  # the JPEG, downloaded
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "alert" not in body and "<" not in body
    assert "**новый сквер**" in body and "### Что сделано" in body and "- уложена плитка;" in body
    assert f"]({{static}}/{meta['image']})" in body
    pdf = next(p for p in (content / "files" / "imported").iterdir())
    assert pdf.name.startswith("sxema-rabot-") and pdf.suffix == ".pdf"  # «Схема работ.pdf», renamed safely
    assert f"({{static}}/files/imported/{pdf.name})" in body
    assert "[контактах](/kontakty/)" in body  # a link to the old site keeps its (redirected) address
    assert items["День посёлка пройдёт 20 июня"][1]["department"] == "administraciya"  # «Новости» is ignored: default
    assert items["Контакты"][0].parent.name == "pages"
    old = {address for _, address in ledger(content)}
    assert {"/2024/05/otkryt-novyj-skver/", "/?p=12", "/2024/06/день-посёлка/", "/?page_id=2"} <= old
    output = checked_and_built(content, tmp_path)
    pairs = redirects(output)
    assert (
        pairs["/?p=12"]
        == pairs["/2024/05/otkryt-novyj-skver/"]
        == "/news/2024/05/otkryt-novyj-skver-na-ulice-centralnoj/"
    )
    assert pairs["/2024/06/день-посёлка/"] == "/news/2024/06/den-posyolka-projdyot-20-iyunya/"
    assert (output / "2024" / "06" / "день-посёлка" / "index.html").exists()  # the fallback page
    assert not [p for p in output.rglob("*") if "?" in p.name], "an address with a query gets no fallback file"


def test_folder_of_saved_feeds(content: Path, tmp_path: Path) -> None:
    report = import_twice_changes_nothing(content, tmp_path, "--feed", str(IMPORT / "feeds"))
    assert report["created"] == {"news": 3}  # the entry both feeds carry is imported once
    items = {meta["title"]: meta for _, meta in imported(content).values()}
    assert str(items["Отключение горячей воды 10 июля"]["date"]) == "2024-07-09 12:00"
    assert items["Отключение горячей воды 10 июля"]["department"] == "zhkh"
    assert items["Ремонт моста завершён"]["department"] == "zhkh"  # Atom's category, through the table
    assert str(items["Приём граждан главой посёлка"]["date"]) == "2024-07-02 09:30"
    checked_and_built(content, tmp_path)


def crawl_gosweb(content: Path, tmp_path: Path, site: Site) -> dict:
    return import_twice_changes_nothing(content, tmp_path, "--sitemap", site.base, "--layout", "gosweb")


def test_gosweb_site(content: Path, tmp_path: Path) -> None:
    with serve("gosweb", tmp_path) as site:
        report = crawl_gosweb(content, tmp_path, site)
        assert "/private/sluzhebnoe.html" not in site.paths, "robots.txt is honoured"
        assert len({port for _, port, _ in site.requests}) == 2, "one connection for each of the two crawls"
    assert report["created"] == {"news": 2, "act": 1, "announcement": 1, "page": 1}
    skipped = {s["address"].removeprefix(site.base): s["why"] for s in report["skipped"]}
    assert "robots.txt" in skipped["/private/sluzhebnoe.html"]
    assert "Отдел культуры" in skipped["/press-tsentr/novosti/vystavka.html"]
    assert [f["address"].removeprefix(site.base) for f in report["not_fetched"]] == [
        "/netcat_files/99/1/udalyonnyj.pdf"
    ]
    items = {meta["title"]: (path, meta) for path, meta in imported(content).values()}
    path, meta = items["Завершён ремонт котельной"]
    assert meta["department"] == "zhkh" and str(meta["date"]) == "2024-09-12 14:30"
    assert meta["image"].startswith("images/imported/kotelnaya-") and meta["image_alt"] == "Котельная после ремонта"
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "Подразделение" not in body and "Главная" not in body and "Поделиться" not in body
    assert "*два котла*" in body and "[в новости](/press-tsentr/novosti/otkrytie-katka.html)" in body
    act_path, act = items["Об установлении тарифов на услуги бани"]
    assert act_path.name == "postanovlenie-112-2025.md"
    assert (act["act_type"], act["number"], str(act["adopted"]), act["issuer"]) == (
        "постановление",
        "112",
        "2025-03-12",
        "administraciya",
    )
    assert act["attachments"][0]["title"] == "Постановление № 112 (PDF)"
    assert (content / act["attachments"][0]["file"]).read_bytes().startswith(b"%PDF")
    fair = items["Осенняя ярмарка"][1]
    assert str(fair["starts"]) == "2024-09-21 10:00" and fair["place"].startswith("площадь у Дома культуры")
    output = checked_and_built(content, tmp_path)
    pairs = redirects(output)
    assert pairs["/press-tsentr/novosti/remont-kotelnoj.html"] == "/news/2024/09/zavershyon-remont-kotelnoj/"
    assert pairs["/dokumenty/postanovleniya/postanovlenie-112.html"] == "/documents/postanovlenie-112-2025/"
    assert "Страница перенесена" in (output / "press-tsentr" / "novosti" / "remont-kotelnoj.html").read_text(
        encoding="utf-8"
    )


def test_bitrix_site(content: Path, tmp_path: Path) -> None:
    with serve("bitrix", tmp_path) as site:
        report = import_twice_changes_nothing(
            content, tmp_path, "--sitemap", site.base + "/sitemap.xml", "--layout", "bitrix"
        )
    assert report["created"] == {"news": 2, "act": 1, "announcement": 1}
    skipped = {s["address"].removeprefix(site.base): s["why"] for s in report["skipped"]}
    assert "номер или дата акта не найдены" in skipped["/documents/detail.php?ID=202"]
    items = {meta["title"]: (path, meta) for path, meta in imported(content).values()}
    path, news = items["На улице Лесной проложен новый водопровод"]
    assert news["department"] == "zhkh" and str(news["date"]) == "2024-08-05"
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.startswith("Подрядчик заменил 600 метров труб.") and "05.08.2024" not in body and "\\" not in body
    assert "[Акт приёмки (PDF)]({static}/files/imported/akt-priemki-" in body
    assert str(items["Изменение расписания автобуса № 3"][1]["date"]) == "2024-08-12 16:45"
    act = items["О проведении весеннего субботника"][1]
    assert (act["act_type"], act["number"], str(act["adopted"])) == ("распоряжение", "45-р", "2025-03-05")
    act_text = items["О проведении весеннего субботника"][0].read_text(encoding="utf-8")
    assert "Файлы" not in act_text.split("---\n", 2)[2]
    event = items["Новогодний утренник"][1]
    assert str(event["starts"]) == "2024-12-28 11:00" and event["place"] == "Дом культуры, ул. Центральная, 5"
    assert "/news/detail.php?ID=101" in {a for _, a in ledger(content)}
    output = checked_and_built(content, tmp_path)
    pairs = redirects(output)
    assert pairs["/news/detail.php?ID=101"] == "/news/2024/08/na-ulice-lesnoj-prolozhen-novyj-vodoprovod/"
    assert pairs["/documents/detail.php?ID=201"] == "/documents/rasporyazhenie-45-r-2025/"
    assert not (output / "news" / "detail.php").exists()
    assert not [p for p in output.rglob("*") if "?" in p.name], "only nginx's map tells query addresses apart"


def test_polite_crawl_waits_and_stops_at_its_bound(content: Path, tmp_path: Path) -> None:
    with serve("gosweb", tmp_path) as site:
        code, report = run_import(
            content,
            "--sitemap",
            site.base,
            "--layout",
            "gosweb",
            "--delay",
            "0.2",
            "--max-pages",
            "2",
            tmp_path=tmp_path,
        )
        times = [moment for _, _, moment in site.requests]
    assert code == 0
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.19, gaps  # a lower bound only: a loaded machine is slower, never faster
    beyond = [s for s in report["skipped"] if "предела страниц" in s["why"]]
    assert len(beyond) == 5  # 7 pages claimed by the layout, 2 fetched
    assert sum(report["created"].values()) <= 2


def test_an_interrupted_import_is_run_again(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped after its second page, an import leaves whole files and their redirects; run again, it finishes."""
    from ratusha.importer import writer  # noqa: PLC0415

    clean = copy_fixture(tmp_path / "clean")
    with serve("gosweb", tmp_path) as site:
        crawl_gosweb(clean, tmp_path, site)
        real = writer.Importer.write
        calls = []

        def stopping(self: writer.Importer, item: object) -> object:
            calls.append(item)
            if len(calls) == 3:
                raise KeyboardInterrupt
            return real(self, item)

        monkeypatch.setattr(writer.Importer, "write", stopping)
        with pytest.raises(KeyboardInterrupt):
            run_import(content, "--sitemap", site.base, "--layout", "gosweb", tmp_path=tmp_path)
        assert not [p for p in content.rglob("*") if ".import-" in p.name], "no temporary file is left"
        assert len(ledger(content)) == 2, "the redirects of what was written are kept"
        assert invoke_check(content).returncode == 0
        monkeypatch.setattr(writer.Importer, "write", real)
        code, report = run_import(content, "--sitemap", site.base, "--layout", "gosweb", tmp_path=tmp_path)
    assert code == 0 and sum(report["unchanged"].values()) == 2
    assert files(content) == files(clean)


def test_a_mapping_to_a_department_that_does_not_exist_stops(content: Path, tmp_path: Path) -> None:
    table = tmp_path / "departments.yml"
    table.write_text("departments:\n  Отдел культуры: kultura\n", encoding="utf-8")
    from ratusha.importer.cli import main  # noqa: PLC0415

    before = files(content)
    assert (
        main(["--content", str(content), "--departments", str(table), "--feed", str(IMPORT / "feeds"), "--no-progress"])
        == 1
    )
    assert files(content) == before


def test_invoke_import_runs_the_importer(content: Path) -> None:
    args = f"--feed {IMPORT / 'feeds'} --content {content} --departments {IMPORT / 'departments.yml'} --no-progress"
    command = [sys.executable, "-m", "invoke", "import", f"--args={args}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "news: новых / new 3" in result.stdout
    assert len(imported(content)) == 3


def test_items_with_the_same_title_get_addresses_of_their_own(content: Path, tmp_path: Path) -> None:
    entries = "".join(
        f"<item><title>Публичные слушания</title><link>https://old.example.ru/news/{n}.html</link>"
        f"<pubDate>Mon, 0{n} Jul 2024 01:00:00 GMT</pubDate><description>Слушания № {n}.</description></item>"
        for n in (1, 2, 3)
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>',
        encoding="utf-8",
    )
    import_twice_changes_nothing(content, tmp_path, "--feed", str(feed))
    slugs = sorted(meta.get("slug", "publichnye-slushaniya") for _, meta in imported(content).values())
    assert slugs == ["publichnye-slushaniya", "publichnye-slushaniya-2", "publichnye-slushaniya-3"]
    checked_and_built(content, tmp_path)


def test_a_list_of_addresses_instead_of_a_sitemap(content: Path, tmp_path: Path) -> None:
    with serve("bitrix", tmp_path) as site:
        urls = tmp_path / "urls.txt"
        urls.write_text(
            f"# two pages to try the layout on\n{site.base}/news/detail.php?ID=102\n{site.base}/events/detail.php?ID=301\n",
            encoding="utf-8",
        )
        code, report = run_import(content, "--urls", str(urls), "--layout", "bitrix", tmp_path=tmp_path)
        assert "/sitemap.xml" not in site.paths
    assert code == 0 and report["created"] == {"news": 1, "announcement": 1}
