"""The web editor's configuration follows the schema; review items wait; /admin/ only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ratusha.content_model.editor import check_content
from ratusha.content_model.schema import CONTENT_TYPES
from ratusha.content_model.webeditor import ROOT, admin_files, editor_config, schema_fields
from ratusha.core.errors import ContentError
from ratusha.testing import BUILD_TIME, build, edit, page

NEWS = "news/2026-11-21-otoplenie.md"
NEWS_URL = "/news/2026/11/otopitelnyj-sezon-idyot-shtatno/"
REVIEW_NOTICE = "//section[contains(@class, 'r-review')]"


def config_of(content: Path) -> dict:
    return editor_config(content, content.parent, "Asia/Omsk", local_backend="http://127.0.0.1:1/api/v1")


def test_every_field_of_every_type_is_in_the_editor(fixture_content: Path) -> None:
    collections = {c["name"]: c for c in config_of(fixture_content)["collections"]}
    assert set(collections) == {ctype.name for ctype in CONTENT_TYPES}
    for ctype in CONTENT_TYPES:
        fields = {f["name"]: f for f in collections[ctype.name]["fields"]}
        assert collections[ctype.name]["folder"] == f"content/{ctype.folder}"
        for spec in schema_fields(ctype):
            assert spec.name in fields, f"{ctype.name}.{spec.name} is not in the editor"
            if spec.kind != "id":  # filled in by the editor itself on the first save
                assert fields[spec.name]["required"] == spec.required, f"{ctype.name}.{spec.name}"
        assert {"status", "body"} <= set(fields)
    assert {f["name"] for f in collections["news"]["fields"]} >= {"tags", "summary", "department", "urgent_until"}


def test_departments_are_choices_from_the_registry_and_dates_local(fixture_content: Path) -> None:
    collections = {c["name"]: c for c in config_of(fixture_content)["collections"]}
    news = {f["name"]: f for f in collections["news"]["fields"]}
    assert news["department"]["widget"] == "select"
    assert {o["value"] for o in news["department"]["options"]} == {"zhkh", "administraciya"}
    assert {"label": "Отдел жилищно-коммунального хозяйства", "value": "zhkh"} in news["department"]["options"]
    act = {f["name"]: f for f in collections["legal_act"]["fields"]}
    assert act["issuer"]["options"] == news["department"]["options"]
    assert act["adopted"]["format"] == "YYYY-MM-DD" and act["adopted"]["time_format"] is False
    assert news["date"]["format"] == "YYYY-MM-DD HH:mm" and news["date"]["picker_utc"] is False
    assert "Asia/Omsk" in news["date"]["hint"]
    assert news["image"]["media_folder"] == "/content/images/news"
    assert news["image"]["public_folder"] == "images/news"


def test_the_config_is_russian_and_uses_the_local_backend(fixture_content: Path) -> None:
    config = config_of(fixture_content)
    assert config["locale"] == "ru"
    assert config["local_backend"]["url"] == "http://127.0.0.1:1/api/v1"
    assert config["slug"]["encoding"] == "ascii"
    assert config["media_folder"] == "content/images"


def test_a_review_item_waits_and_the_reviewers_build_shows_it_marked(fixture_content: Path, tmp_path: Path) -> None:
    edit(fixture_content / NEWS, "\n---\n", "\nstatus: review\n---\n")
    assert [p for p in check_content_at(fixture_content) if p.severity == "error"] == []
    site = build(fixture_content, tmp_path / "site")
    assert not (site / NEWS_URL.strip("/") / "index.html").exists()
    assert "otopitelnyj-sezon" not in (site / "news" / "index.html").read_text(encoding="utf-8")
    review = build(fixture_content, tmp_path / "review", RATUSHA_SHOW_REVIEW=True)
    notice = page(review, NEWS_URL).xpath(REVIEW_NOTICE)
    assert notice and "На проверке" in notice[0].text_content()
    assert NEWS in notice[0].text_content()
    assert "otopitelnyj-sezon" in (review / "news" / "index.html").read_text(encoding="utf-8")
    # An approved item: the ordinary build publishes it, without the notice.
    edit(fixture_content / NEWS, "status: review", "status: published")
    approved = build(fixture_content, tmp_path / "approved")
    assert not page(approved, NEWS_URL).xpath(REVIEW_NOTICE)


def test_an_unknown_status_names_review(fixture_content: Path) -> None:
    edit(fixture_content / NEWS, "\n---\n", "\nstatus: ready\n---\n")
    (problem,) = [p for p in check_content_at(fixture_content) if p.severity == "error"]
    assert "review" in str(problem) and "status" in str(problem)


def check_content_at(content: Path) -> list:
    return check_content(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        RATUSHA_MUNICIPALITY=str(content / "municipality.yml"),
        RATUSHA_BUILD_TIME=BUILD_TIME,
        CACHE_CONTENT=False,
        LOAD_CONTENT_CACHE=False,
    )


@pytest.fixture
def decap() -> None:
    if not (ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        pytest.skip("decap-cms is not installed (npm ci)")


def test_the_residents_site_has_no_admin_app_unless_the_operator_says_so(
    decap: None, fixture_content: Path, tmp_path: Path
) -> None:
    site = build(fixture_content, tmp_path / "site")
    assert not (site / "admin").exists()
    backend = {"name": "gitea", "repo": "city/portal", "base_url": "https://git.city.example", "app_id": "x"}
    published = build(fixture_content, tmp_path / "pub", RATUSHA_EDITOR_PUBLISH=True, RATUSHA_EDITOR_BACKEND=backend)
    config = yaml.safe_load((published / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == backend and "local_backend" not in config
    assert (published / "admin" / "decap-cms.js").stat().st_size > 1_000_000, "Decap's own app, not a CDN link"
    index = (published / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js">' in index and "https://" not in index
    # Switched off again: the next build takes it away.
    rebuilt = build(fixture_content, tmp_path / "pub")
    assert not (rebuilt / "admin").exists()


def test_publishing_the_editor_needs_a_backend(decap: None, fixture_content: Path, tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="RATUSHA_EDITOR_BACKEND"):
        build(fixture_content, tmp_path / "site", RATUSHA_EDITOR_PUBLISH=True)


def test_admin_files_are_decaps_own(decap: None, fixture_content: Path) -> None:
    files = admin_files(ROOT, config_of(fixture_content))
    assert {"index.html", "config.yml", "decap-cms.js", "ratusha-editor.js"} <= set(files)
