"""`invoke serve`: the built site on 127.0.0.1, folders as pages, the site's own 404 page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from support import ROOT


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
        deadline = time.monotonic() + 30
        while True:
            try:
                home = urllib.request.urlopen(base + "/", timeout=2).read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert '<html lang="ru"' in home
        assert urllib.request.urlopen(base + "/news", timeout=2).geturl() == base + "/news/"  # redirected
        try:
            urllib.request.urlopen(base + "/no/such/page/", timeout=2)
            raise AssertionError("a missing page must be a 404")
        except urllib.error.HTTPError as missing:
            assert missing.code == 404
            assert "Страница не найдена" in missing.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
