"""The web editor in Chromium: a news item made through Decap CMS's form is a file the build publishes.

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


def test_a_news_item_made_in_the_editor_is_checked_and_built(browser: object, repository: Path, tmp_path: Path):
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
        tab.get_by_role("link", name="Новость").or_(tab.get_by_text("＋ Новость")).first.click()
        tab.locator("input[id^='title-field']").fill(TITLE)
        tab.get_by_text("Выберите изображение").click()
        tab.locator("input[type=file]").set_input_files(photo)
        tab.get_by_text("Выбрать помеченные").click()
        tab.locator("input[id^='image_alt-field']").fill("Каток в парке Победы")
        tab.locator("textarea[id^='summary-field']").fill("Каток открыт ежедневно с 10:00 до 22:00.")
        date = tab.get_by_label("Дата публикации")
        date.fill("2026-11-23T09:15")
        pick(tab, "department", "Отдел жилищно-коммунального хозяйства")
        pick(tab, "status", "Опубликовать")
        body = tab.locator("[data-slate-editor='true']").first
        body.click()
        body.type("Заливка льда закончена.")
        tab.get_by_role("button", name="Опубликовать").first.click()
        tab.get_by_text("Опубликовать сейчас").click()
        made = eventually(lambda: set((content / "news").iterdir()) - before, "the editor wrote a file")
        context.close()

    (path,) = made
    assert path.suffix == ".md" and path.name.startswith("2026-11-23-")
    meta = front_matter(path)
    assert meta["title"] == TITLE
    assert meta["department"] == "zhkh"
    assert meta["status"] == "published"
    assert str(meta["date"]).startswith("2026-11-23 09:15")
    assert len(meta["id"]) == 36, "the editor gave the item its permanent id"
    assert "Заливка льда закончена." in path.read_text(encoding="utf-8")
    # The photo went into content/images/ under the name the build would give it.
    assert meta["image"] == "images/news/foto-katka-1.jpg"
    assert (content / "images" / "news" / "foto-katka-1.jpg").read_bytes() == photo.read_bytes()

    check = subprocess.run(
        [sys.executable, "-m", "invoke", "check", f"--content={content}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert path.name not in check.stderr, check.stderr

    output = build(content, tmp_path / "output")
    html = page(output, "news/2026/11/otkryt-katok-v-parke-pobedy/")
    assert TITLE in html.text_content()
    sources = " ".join(html.xpath("//img/@src | //source/@srcset | //img/@srcset"))
    assert "foto-katka-1" in sources and "Фото" not in sources
