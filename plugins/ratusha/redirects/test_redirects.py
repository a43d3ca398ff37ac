"""Old addresses keep working: the ledger, the nginx map and the fallback pages, through builds."""

from __future__ import annotations

from pathlib import Path

from ratusha.redirects import resolve
from ratusha.testing import build, edit, page

OLD = "/news/2026/11/kapitalnyj-remont-shkoly-5/"
NEW = "/news/2026/11/shkola-5-otremontirovana/"
NEWS_FILE = Path("news") / "2026-11-20-remont.md"
SCHOOL_ID = "11111111-1111-4111-8111-111111111111"


def rename(content: Path) -> None:
    edit(content / NEWS_FILE, "title: Капитальный ремонт школы № 5", "title: Школа № 5 отремонтирована")


def test_renamed_item_leaves_a_redirect_at_its_old_address(fixture_content: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(fixture_content, output)
    ledger = (fixture_content / "addresses.txt").read_text(encoding="utf-8")
    assert f"{SCHOOL_ID}\t{OLD}\n" in ledger
    assert "\t/news/2026/11/izmenyon-grafik-priyoma-grazhdan/\n" in ledger, "withdrawn items are recorded too"
    assert "#" not in (output / "redirects.map").read_text().replace("# Old address", ""), "nothing to redirect yet"

    rename(fixture_content)
    build(fixture_content, output)
    ledger = (fixture_content / "addresses.txt").read_text(encoding="utf-8")
    assert f"{SCHOOL_ID}\t{OLD}\n" in ledger and f"{SCHOOL_ID}\t{NEW}\n" in ledger
    assert page(output, NEW).xpath("//h1")[0].text_content().strip() == "Школа № 5 отремонтирована"

    fallback = page(output, OLD)
    assert fallback.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert fallback.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={NEW}"]
    assert fallback.xpath("//link[@rel='canonical']/@href") == [f"https://test.example.ru{NEW}"]
    assert fallback.xpath("//body//a/@href") == [NEW]
    entries = (output / "redirects.map").read_text().splitlines()
    assert f'"{OLD}" "{NEW}";' in entries
    assert f'"{OLD}index.html" "{NEW}";' in entries
    assert f'"{OLD.rstrip("/")}" "{NEW}";' in entries


def test_an_old_address_used_again_is_not_redirected(fixture_content: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(fixture_content, output)
    rename(fixture_content)
    build(fixture_content, output)
    edit(fixture_content / NEWS_FILE, "title: Школа № 5 отремонтирована", "title: Капитальный ремонт школы № 5")
    build(fixture_content, output)
    assert page(output, OLD).xpath("//h1")[0].text_content().strip() == "Капитальный ремонт школы № 5"
    assert not page(output, OLD).xpath("//meta[@http-equiv='refresh']")
    assert not [line for line in (output / "redirects.map").read_text().splitlines() if line.startswith(f'"{OLD}')]
    assert page(output, NEW).xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={OLD}"]


def test_a_withdrawn_item_keeps_its_page_and_its_redirects(fixture_content: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(fixture_content, output)
    rename(fixture_content)
    edit(
        fixture_content / NEWS_FILE,
        "summary:",
        "withdrawn:\n  date: 2026-11-21 10:00\n  reason: Ремонт не завершён.\nsummary:",
    )
    build(fixture_content, output)
    assert "Ремонт не завершён" in page(output, NEW).text_content()
    assert page(output, OLD).xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={NEW}"]


def test_ledger_pairs_and_ids_from_an_importer() -> None:
    live = {"/news/a/": "id-a", "/documents/b/": "id-b"}
    entries = {
        ("id-a", "/news/a/"),
        ("id-a", "/old-site/news.php?id=7"),  # an imported item's old address
        ("/old-site/b.html", "/old-site/b2.html"),  # fixed pairs, chained
        ("/old-site/b2.html", "/documents/b/"),
        ("/gone.html", "/nowhere/"),  # a target that is not live: no redirect
        ("/documents/b/", "/news/a/"),  # a live address is never redirected,
        ("id-b", "/news/a/"),  # not even when another item had it before
        ("id-deleted", "/news/deleted/"),
    }
    assert resolve(entries, live) == {
        "/old-site/news.php?id=7": "/news/a/",
        "/old-site/b.html": "/documents/b/",
        "/old-site/b2.html": "/documents/b/",
    }
