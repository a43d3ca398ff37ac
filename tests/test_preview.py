"""`invoke preview` on the fixture site: a save served, the lists following, errors, the end.

Only what a loaded machine cannot break: every wait is PATIENCE long (a hang fails, slowness
never does); how soon a save is served is the benchmark's measure (`invoke bench`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from ratusha.testing import copy_fixture
from support import BUILD_TIME, PATIENCE, ROOT, edit, eventually

NEWS = "news/2026-11-20-remont.md"
#: A bound on one answer while a build runs: far above a threaded server's milliseconds.
ANSWER = 10.0


@dataclass
class Running:
    """A preview started on a copy of the fixture, with everything it printed."""

    process: subprocess.Popen[str]
    content: Path
    output: Path
    port: int
    lines: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, timeout: float = PATIENCE) -> str:
        return urllib.request.urlopen(self.url(path), timeout=timeout).read().decode()

    def printed(self, text: str, after: int = 0) -> bool:
        return any(text in line for line in self.lines[after:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """Start `invoke preview` on its own copy of the fixture; stop it (and all it started) at the end."""
    folder = tmp_path_factory.mktemp("preview")
    content = copy_fixture(folder)
    port = _free_port()
    env = {
        **os.environ,
        "RATUSHA_MUNICIPALITY": str(content / "municipality.yml"),
        "RATUSHA_BUILD_TIME": BUILD_TIME,
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "invoke", "preview", f"--port={port}", f"--content={content}"]
    command += [f"--output={folder / 'out'}", f"--cache={folder / 'cache'}"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    running = Running(process, content, folder / "out", port)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    try:
        eventually(lambda: running.printed(f"http://127.0.0.1:{port}/"), "the preview did not print its address")
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=PATIENCE)


def test_a_saved_edit_is_served_then_the_lists_follow(preview: Running) -> None:
    page = preview.get("/news/2026/11/kapitalnyj-remont-shkoly-5/")
    assert "В школе № 5 завершён капитальный ремонт." in page
    assert '<script src="/__preview__/reload.js"' in page  # the browser reloads by itself
    before = len(preview.lines)
    edit(preview.content / NEWS, "В школе № 5 завершён капитальный ремонт.", "В школе № 5 завершён ремонт кровли.")
    eventually(
        lambda: "завершён ремонт кровли" in preview.get("/news/2026/11/kapitalnyj-remont-shkoly-5/"),
        "the edit never reached the item's page",
    )
    # Served by the fast path (from memory), not only by the build that follows it.
    eventually(lambda: preview.printed("page served", before), "no 'page served' line")
    eventually(lambda: "завершён ремонт кровли" in preview.get("/news/"), "the news list never followed")
    eventually(lambda: preview.printed("rebuilt in", before), "no 'rebuilt' line")
    print("\n".join(preview.lines[before:]))


def test_requests_are_answered_while_the_site_rebuilds(preview: Running) -> None:
    eventually(lambda: preview.process.poll() is None and not _building(preview), "an earlier build never ended")
    before = len(preview.lines)
    edit(preview.content / NEWS, "Работы выполнены в срок.", "Работы выполнены в срок и без замечаний.")
    answered_while_building = 0
    deadline = time.monotonic() + PATIENCE
    while not preview.printed("rebuilt in", before):
        assert time.monotonic() < deadline, "the build never ended"
        # The home page and a list: pages the build is rewriting at this moment.
        for path in ("/", "/news/", "/departments/"):
            assert "<html" in preview.get(path, timeout=ANSWER)
        if preview.printed("page served", before) and not preview.printed("rebuilt in", before):
            answered_while_building += 1
    assert answered_while_building > 0, "no request fell within the build (it ended before the first one)"


def test_a_bad_edit_prints_the_error_and_the_last_good_page_stays(preview: Running) -> None:
    eventually(lambda: not _building(preview), "an earlier build never ended")
    good = preview.get("/news/2026/11/kapitalnyj-remont-shkoly-5/")
    before = len(preview.lines)
    path = preview.content / NEWS
    text = path.read_text(encoding="utf-8")
    edit(path, "department: zhkh", "department: [zhkh")
    try:
        eventually(
            lambda: preview.printed(f"{NEWS}:", before) and preview.printed("[ошибка / error]", before),
            "the error (file:line) was not printed",
        )
        eventually(lambda: preview.printed("page not updated", before), "no 'page not updated' line")
        assert preview.get("/news/2026/11/kapitalnyj-remont-shkoly-5/") == good
    finally:
        path.write_text(text, encoding="utf-8")


def test_the_server_ends_with_the_preview(preview: Running) -> None:
    children = psutil.Process(preview.process.pid).children(recursive=True)
    assert any("ratusha.preview.server" in " ".join(child.cmdline()) for child in children)
    preview.process.send_signal(signal.SIGTERM)  # the preview alone, not its process group
    preview.process.wait(timeout=PATIENCE)
    _gone, alive = psutil.wait_procs(children, timeout=PATIENCE)
    assert alive == [], f"left running: {[p.cmdline() for p in alive]}"
    with pytest.raises(urllib.error.URLError):
        preview.get("/", timeout=ANSWER)


def _building(preview: Running) -> bool:
    """Whether a build the preview started is still running (a child other than the server)."""
    children = psutil.Process(preview.process.pid).children()
    return any("--once" in child.cmdline() for child in children if child.is_running())
