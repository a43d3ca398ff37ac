"""The web editor in Chromium: a news item made through Decap CMS's form waits for review, is
approved in the form, and is then a file that `invoke check` accepts and the build publishes.

Everything is real: Decap CMS from node_modules, served as ``invoke edit`` serves it, and
decap-server (Decap's local backend) writing into a copy of the fixture site; nothing of the
editor is replaced by a fake.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

from ratusha.content_model.webeditor import run_editor
from support import PATIENCE_MS, ROOT, build, eventually, page, require

TITLE = "Открыт каток в парке Победы"
URL = "news/2026/11/otkryt-katok-v-parke-pobedy"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A copy of the fixture site, as a city's checkout would be."""
    require(shutil.which("node"), "Node.js")
    require(ROOT / "node_modules" / "decap-server", "decap-server (npm ci)")
    shutil.copytree(ROOT / "tests" / "fixtures" / "site" / "content", tmp_path / "repo" / "content")
    return tmp_path / "repo"


def pick(tab: object, field: str, option: str) -> None:
    """Choose an option of one of Decap's select widgets (react-select) as a person does: type, Enter."""
    chooser = tab.locator(f"input[id^='{field}-field']")
    chooser.fill(option)
    chooser.press("Enter")


def invoke_check(content: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", f"--content={content}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_news_item_made_in_the_editor_waits_for_review_and_is_built_once_approved(
    browser: object, repository: Path, tmp_path: Path
):
    content = repository / "content"
    before = set((content / "news").iterdir())
    photo = tmp_path / "Фото катка 1.JPG"  # as a camera and an editor name it
    Image.new("RGB", (800, 600), (40, 90, 160)).save(photo, "JPEG")
    with run_editor(ROOT, content, repository, "Asia/Omsk", port=0, workdir=tmp_path / "admin") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU", timezone_id="Asia/Omsk")
        tab = context.new_page()
        tab.set_default_timeout(PATIENCE_MS)
        tab.goto(url)
        tab.get_by_role("button", name="Войти").click()
        tab.get_by_text("Новости", exact=True).first.click()
        tab.get_by_text("＋ Новость").first.click()
        tab.locator("input[id^='title-field']").fill(TITLE)
        tab.get_by_text("Выберите изображение").click()
        tab.locator("input[type=file]").set_input_files(photo)
        tab.get_by_text("Выбрать помеченные").click()
        tab.locator("input[id^='image_alt-field']").fill("Каток в парке Победы")
        tab.locator("textarea[id^='summary-field']").fill("Каток открыт ежедневно с 10:00 до 22:00.")
        tab.get_by_label("Дата публикации").fill("2026-11-23T09:15")
        pick(tab, "department", "Отдел жилищно-коммунального хозяйства")
        body = tab.locator("[data-slate-editor='true']").first
        body.click()
        body.type("Заливка льда закончена.")
        # The status is left as a new item has it: «На проверку».
        tab.get_by_role("button", name="Опубликовать").first.click()
        tab.get_by_text("Опубликовать сейчас").click()
        made = eventually(lambda: set((content / "news").iterdir()) - before, "the editor wrote a file")

        (path,) = made
        assert path.suffix == ".md" and path.name.startswith("2026-11-23-")
        meta = front_matter(path)
        assert meta["title"] == TITLE
        assert meta["department"] == "zhkh"
        assert meta["status"] == "review"
        assert str(meta["date"]).startswith("2026-11-23 09:15")
        assert len(meta["id"]) == 36, "the editor gave the item its permanent id"
        assert "Заливка льда закончена." in path.read_text(encoding="utf-8")
        # The photo went into content/images/ under the name the build would give it.
        assert meta["image"] == "images/news/foto-katka-1.jpg"
        assert (content / "images" / "news" / "foto-katka-1.jpg").read_bytes() == photo.read_bytes()

        check = invoke_check(content)
        assert check.returncode == 0, check.stderr
        assert path.name not in check.stderr, check.stderr
        waiting = build(content, tmp_path / "waiting")
        assert not (waiting / URL / "index.html").exists(), "an item in review is not published"
        preview = page(build(content, tmp_path / "preview", RATUSHA_SHOW_REVIEW=True), URL)
        (notice,) = preview.xpath("//section[contains(@class, 'r-review')]")
        assert f"news/{path.name}" in notice.text_content()

        # The reviewer approves it in the editor.
        tab.reload()
        pick(tab, "status", "Опубликовать")
        tab.get_by_role("button", name="Опубликовать").first.click()
        tab.get_by_text("Опубликовать сейчас").click()
        eventually(lambda: front_matter(path)["status"] == "published", "the editor approved the item")
        context.close()

    assert front_matter(path)["id"] == meta["id"], "approving keeps the id"
    assert invoke_check(content).returncode == 0
    html = page(build(content, tmp_path / "output"), URL)
    assert TITLE in html.text_content()
    assert not html.xpath("//section[contains(@class, 'r-review')]")
    sources = " ".join(html.xpath("//img/@src | //source/@srcset | //img/@srcset"))
    assert "foto-katka-1" in sources and "Фото" not in sources
