"""What editors are told: true, in Russian first, pointing at the right file and line (issue 17, point 5)."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ratusha.content_model.editor import new_item
from ratusha.core.data import parse_yaml_mapping
from ratusha.core.errors import ContentError
from ratusha.core.log import BuildReport, OneLineHandler, quiet_pelican
from support import ROOT, build, content_problems, edit

NEWS = "news/2026-11-20-remont.md"
ZONE = "Asia/Vladivostok"


@pytest.fixture(autouse=True)
def _in_the_site(fixture_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where files are shown as content/…, as editors see them."""
    monkeypatch.chdir(fixture_content.parent)


def problems(content: Path) -> list[str]:
    return [f"{p} [{p.severity}]" for p in content_problems(content)]


def test_a_removed_script_and_iframe_are_warnings_at_their_lines(fixture_content: Path, tmp_path: Path) -> None:
    news = fixture_content / NEWS
    text = news.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n\n`<script>` в коде не трогаем\n\n"
    text += '<iframe src="https://www.youtube.com/embed/x"></iframe>\n'
    news.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    script, iframe = lines.index("<script>alert(1)</script>") + 1, len(lines)
    found = [p for p in problems(fixture_content) if NEWS in p]
    assert any(f"{NEWS}:{script}: <script> удалён вместе с содержимым" in p and "[warning]" in p for p in found), found
    assert any(f"{NEWS}:{iframe}: <iframe> с www.youtube.com удалён" in p for p in found), found
    assert len(found) == 2, found  # nothing for the <script> inside a code span
    output = build(fixture_content, tmp_path / "output")  # a warning: the page is published, without them
    page = (output / "news/2026/11/kapitalnyj-remont-shkoly-5/index.html").read_text(encoding="utf-8")
    assert "alert(1)" not in page and "youtube" not in page


def _copy_act(content: Path) -> Path:
    old = content / "acts/postanovlenie-20-2026.md"
    new = content / "acts/postanovlenie-20-2026-kopiya.md"  # sorts before the old one
    shutil.copy(old, new)
    text = new.read_text(encoding="utf-8")
    edit(new, text.split("\nid: ", 1)[1].split("\n", 1)[0], "22222222-2222-4222-8222-222222222299")
    return new


def test_a_duplicate_act_number_is_reported_on_the_newer_file(fixture_content: Path) -> None:
    new = _copy_act(fixture_content)
    old_time = os.stat(fixture_content / "acts/postanovlenie-20-2026.md").st_mtime
    os.utime(new, (old_time + 60, old_time + 60))
    found = [p for p in problems(fixture_content) if "[error]" in p]
    assert len(found) == 1, found  # the clashing address is the same mistake: said once
    assert found[0].startswith("content/acts/postanovlenie-20-2026-kopiya.md:"), found
    assert "уже есть в content/acts/postanovlenie-20-2026.md" in found[0]
    os.utime(new, (old_time - 60, old_time - 60))  # now the copy is the older file
    found = [p for p in problems(fixture_content) if "[error]" in p]
    assert found[0].startswith("content/acts/postanovlenie-20-2026.md:"), found


def test_a_file_git_sees_as_new_is_the_newer_whatever_its_mtime(fixture_content: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    git = ["git", "-C", str(fixture_content)]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "start"], check=True, env=env)
    new = _copy_act(fixture_content)
    os.utime(new, (1_000_000, 1_000_000))  # an old mtime, as a copy that kept its own would have
    found = [p for p in problems(fixture_content) if "[error]" in p]
    assert found[0].startswith("content/acts/postanovlenie-20-2026-kopiya.md:"), found


def test_a_page_address_clash_shows_the_address_not_the_file(fixture_content: Path) -> None:
    copy = fixture_content / "news/2026-11-20-remont-2.md"
    shutil.copy(fixture_content / NEWS, copy)
    edit(copy, "11111111-1111-4111-8111-111111111111", "11111111-1111-4111-8111-111111111199")
    os.utime(copy, (os.stat(copy).st_mtime + 60,) * 2)
    found = [p for p in problems(fixture_content) if "адрес страницы" in p]
    assert found == [
        "content/news/2026-11-20-remont-2.md:2: title: адрес страницы /news/2026/11/kapitalnyj-remont-shkoly-5/ "
        f"уже есть в content/{NEWS} / content/{NEWS} has the same page address [error]"
    ]


def test_a_department_that_is_its_own_parent_is_told_so(fixture_content: Path) -> None:
    edit(fixture_content / "departments/zhkh.md", "parent: administraciya", "parent: zhkh")
    found = [p for p in problems(fixture_content) if "parent" in p]
    assert len(found) == 1 and "подразделение указано вышестоящим для самого себя" in found[0], found
    edit(fixture_content / "departments/zhkh.md", "parent: zhkh", "parent: administraciya")
    edit(fixture_content / "departments/administraciya.md", "order: 1", "order: 1\nparent: zhkh")
    found = [p for p in problems(fixture_content) if "parent" in p]
    assert any("замыкаются в круг: administraciya → zhkh → administraciya" in p for p in found), found


@pytest.mark.parametrize(
    ("front", "line", "expected"),
    [
        ('title: "Ремонт школы\ndate: 2026-01-01\n', 2, "кавычка, открытая в строке 2 (позиция 8), не закрыта"),
        ("title: A\ntags: [a, b\ndate: 2026-01-01\n", 3, "список «[», открытый в строке 3 (позиция 7), не закрыт"),
        ("title: A\nhead: {name: B\ndate: 1\n", 3, "скобка «{», открытая в строке 3 (позиция 7), не закрыта"),
        ("title: A\n@x: 1\n", 3, "ошибка в YAML в строке 3, позиция 1: проверьте кавычки, скобки и отступы"),
    ],
)
def test_yaml_errors_say_in_russian_what_is_left_open(front: str, line: int, expected: str) -> None:
    with pytest.raises(ContentError) as raised:
        parse_yaml_mapping(front, "f.md")
    assert raised.value.line == line
    assert raised.value.message.startswith("ошибка в YAML")
    assert expected in raised.value.message
    assert "/ broken YAML: " in raised.value.message and "column" in raised.value.message


def test_invoke_new_refuses_an_unknown_department_with_a_suggestion(fixture_content: Path) -> None:
    with pytest.raises(ContentError, match=r"нет подразделения 'zhk'.*возможно, zhkh\?"):
        new_item(fixture_content, "news", "Заголовок", ZONE, department="zhk")
    with pytest.raises(ContentError, match="нет подразделения 'zhk'"):
        new_item(fixture_content, "department", "Отдел", ZONE, parent="zhk")
    assert not list((fixture_content / "news").glob("*zagolovok*"))
    assert new_item(fixture_content, "news", "Заголовок", ZONE, department="zhkh").exists()


def test_invoke_new_without_a_title_answers_in_russian() -> None:
    command = [sys.executable, "-m", "invoke", "new", "news", ""]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("Не указан заголовок.")
    assert 'invoke new ТИП "Заголовок"' in done.stderr


def test_warnings_are_one_line_each_however_long() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("ratusha.test_messages")
    handler = OneLineHandler(stream)
    logger.addHandler(handler)
    try:
        logger.warning("%s", "content/news/a.md:3: date: " + "очень длинное сообщение " * 20)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].endswith("  [предупреждение / warning]"), lines


def test_the_build_ends_with_a_true_summary(fixture_content: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    with quiet_pelican(), BuildReport() as first:
        build(fixture_content, output, RATUSHA_INCREMENTAL=True)
    pages = sum(1 for path in output.rglob("*.html"))
    summary = first.summary()
    assert summary.startswith("Сайт собран за ")
    # The fixture: 5 news files, of which 1 withdrawn (its page is kept), 1 scheduled, 1 draft.
    assert (
        "опубликовано 2 новости, 3 правовых акта, 2 анонса, 1 ответ главы, 2 подразделения, 1 страница, "
        "1 отозванный (не опубликовано: 1 с датой в будущем, 1 черновик)"
    ) in summary
    assert f"; {first.written} страниц" in summary and "Processed" not in summary
    assert first.written > 0 and first.kept == 0
    assert first.written <= pages
    with quiet_pelican(), BuildReport() as second:
        build(fixture_content, output, RATUSHA_INCREMENTAL=True)
    assert second.kept > 0 and second.written < first.written, (first.summary(), second.summary())
    assert f"{second.kept} unchanged and kept" in second.summary()
