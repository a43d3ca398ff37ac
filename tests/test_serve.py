"""`invoke serve`: the built site on 127.0.0.1, folders as pages, the site's own 404 page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from support import PATIENCE, ROOT, eventually


def test_serve_answers_pages_and_missing_addresses(fixture_site: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "invoke",
        "serve",
        "--no-build-first",
        f"--output={fixture_site}",
        f"--port={port}",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        home = eventually(
            lambda: urllib.request.urlopen(base + "/", timeout=PATIENCE).read().decode(), "serve did not start"
        )
        assert '<html lang="ru"' in home
        assert urllib.request.urlopen(base + "/news", timeout=PATIENCE).geturl() == base + "/news/"  # redirected
        try:
            urllib.request.urlopen(base + "/no/such/page/", timeout=PATIENCE)
            raise AssertionError("a missing page must be a 404")
        except urllib.error.HTTPError as missing:
            assert missing.code == 404
            assert "Страница не найдена" in missing.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=PATIENCE)
