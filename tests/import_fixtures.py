"""The import tests' old sites: fixtures served on 127.0.0.1 by a real HTTP server, and imports of them.

Shared by tests/test_import.py and tests/browser/test_import_nginx.py.
"""

from __future__ import annotations

import http.server
import io
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from ratusha.importer.cli import main
from support import ROOT

IMPORT = ROOT / "tests" / "fixtures" / "import"
DEPARTMENTS = IMPORT / "departments.yml"
#: The bytes of the documents the old sites serve (a PDF's header is all the checks read).
PDF = b"%PDF-1.4\n% fixture\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
#: Files the tests add to a served copy (binary: made here rather than kept in git).
BINARIES = {
    "gosweb": [
        "netcat_files/12/34/kotelnaya.png",
        "netcat_files/12/34/Grafik_podachi_tepla.pdf",
        "netcat_files/12/34/Postanovlenie_112.pdf",
    ],
    "bitrix": [
        "upload/iblock/a1b/vodoprovod.png",
        "upload/iblock/a1b/Akt_priemki.pdf",
        "upload/iblock/a1b/Rasporyazhenie_45-r.pdf",
    ],
    "wordpress": ["wp-content/uploads/2024/05/skver.jpg", "wp-content/uploads/2024/05/Схема работ.pdf"],
}


def _image(suffix: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (40, 120, 60)).save(out, "JPEG" if suffix == ".jpg" else "PNG")
    return out.getvalue()


@dataclass
class Site:
    """An old site being served: its address and every request it answered (path, client port)."""

    base: str
    root: Path
    requests: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [path for path, _, _ in self.requests]


@contextmanager
def serve(name: str, tmp_path: Path) -> Iterator[Site]:
    """Serve a copy of the fixture site ``name`` on 127.0.0.1 (``{base}`` filled in, ``__`` for ``?``)."""
    import time  # noqa: PLC0415

    root = tmp_path / f"served-{name}"
    if (IMPORT / name).is_dir():
        shutil.copytree(IMPORT / name, root)
    else:
        root.mkdir()
    for relative in BINARIES.get(name, []):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF if relative.endswith(".pdf") else _image(path.suffix))
    site = Site("", root)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the importer's one connection is visible

        def do_GET(self) -> None:
            site.requests.append((self.path, self.client_address[1], time.monotonic()))
            parts = urllib.parse.urlsplit(self.path)
            relative = urllib.parse.unquote(parts.path).lstrip("/")
            if parts.query:
                relative += "__" + parts.query
            path = root / relative
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file() or ".." in relative:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = path.read_bytes()
            kind = "application/octet-stream"
            if path.suffix in (".png", ".jpg", ".pdf"):
                kind = {".png": "image/png", ".jpg": "image/jpeg", ".pdf": "application/pdf"}[path.suffix]
            else:
                data = data.replace(b"{base}", site.base.encode())
                kind = (
                    "application/xml"
                    if path.suffix == ".xml"
                    else "text/plain"
                    if path.suffix == ".txt"
                    else "text/html; charset=utf-8"
                )
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def run_import(content: Path, *args: str, tmp_path: Path | None = None) -> tuple[int, dict]:
    """Run ``ratusha-import`` into ``content``; return its exit code and its JSON report."""
    import json  # noqa: PLC0415

    report = (tmp_path or content.parent) / "report.json"
    code = main(
        [
            "--content",
            str(content),
            "--departments",
            str(DEPARTMENTS),
            "--delay",
            "0",
            "--no-progress",
            "--report",
            str(report),
            *args,
        ]
    )
    return code, json.loads(report.read_text(encoding="utf-8"))


def wxr_copy(site: Site, folder: Path) -> Path:
    """Return the WordPress export with the served site's address in it."""
    path = folder / "wordpress.xml"
    path.write_text(
        (IMPORT / "wordpress.xml").read_text(encoding="utf-8").replace("{base}", site.base), encoding="utf-8"
    )
    return path
