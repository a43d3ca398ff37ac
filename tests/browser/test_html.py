"""Valid HTML: the Nu HTML Checker (vnu) finds no errors on any page."""

from __future__ import annotations

from pathlib import Path

from support import vnu


def vnu_errors(folder: Path) -> str:
    result = vnu(folder, "--skip-non-html", "--format", "text")
    return result.stdout + result.stderr if result.returncode else ""


def test_every_page_of_the_fixture_site_is_valid(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 20
    assert vnu_errors(built_site) == ""


def test_the_checker_reports_an_invalid_page(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=ru><title>x</title><p><div></span>")
    assert "error" in vnu_errors(tmp_path).lower()
