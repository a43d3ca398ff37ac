"""The Gosuslugi feedback form on the appeals page, in Chromium behind the shipped nginx.

A fake of the feedback platform (ПОС) on 127.0.0.1 answers as the real one's embed code
expects: ``/bin/script.min.js`` defines ``Widget(formUrl, opaId)``, which binds
``#js-show-iframe-wrapper`` to open the form in a frame. The nginx configuration is the
shipped one with the platform's host replaced by the fake's.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ratusha.testing import copy_fixture
from support import PATIENCE_MS, ROOT, build, eventually

from .test_nginx import NGINX, free_port, prepare_prefix, run_nginx

WIDGET_JS = """window.Widget = function (url, id) {
  var wrapper = document.getElementById("js-show-iframe-wrapper");
  wrapper.addEventListener("click", function () {
    var frame = document.createElement("iframe");
    frame.src = url + "/?opaId=" + id;
    frame.title = "Форма обращения";
    wrapper.appendChild(frame);
  });
};
""".encode()


class FakePlatform(http.server.BaseHTTPRequestHandler):
    """The feedback platform: its widget script and the form; records every request."""

    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path == "/bin/script.min.js":
            body, kind = WIDGET_JS, "application/javascript; charset=utf-8"
        elif self.path.startswith("/form/"):
            body, kind = "<!DOCTYPE html><title>ПОС</title><p>Форма обращения</p>".encode(), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def platform() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    handler = type("Handler", (FakePlatform,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


@pytest.fixture(scope="module")
def site(platform: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site with an appeals page, behind nginx with the shipped configuration."""
    origin, _ = platform
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed")
    folder = tmp_path_factory.mktemp("appeals")
    content = copy_fixture(folder)
    with open(content / "municipality.yml", "a", encoding="utf-8") as handle:
        handle.write(f"feedback_widget: {origin}/form/?opaId=4242\n")
    (content / "pages" / "appeals.md").write_text(
        "---\ntitle: Обращения граждан\nslug: appeals\ntemplate: appeals\n---\nПорядок рассмотрения.\n",
        encoding="utf-8",
    )
    output = build(content, folder / "output")
    prefix = folder / "nginx"
    prefix.mkdir()
    site_conf = (ROOT / "deploy" / "nginx" / "ratusha-site.conf").read_text()
    assert "https://pos.gosuslugi.ru" in site_conf
    brotli = prepare_prefix(prefix, site_conf.replace("https://pos.gosuslugi.ru", origin))
    port = free_port()
    (prefix / "conf" / "nginx.conf").write_text(
        f"""{brotli}
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    include mime.types;
    access_log off;
    server {{ listen 127.0.0.1:{port}; root {output}; include site.conf; }}
}}
"""
    )
    yield from run_nginx(prefix, port)


def test_the_form_loads_only_when_asked_and_only_on_the_appeals_page(
    site: str, platform: tuple[str, list[str]], page: object
) -> None:
    origin, requests = platform
    page.goto(site + "/")
    # Elsewhere the policy refuses the platform's script.
    blocked = page.evaluate(
        """src => new Promise(resolve => {
            document.addEventListener("securitypolicyviolation", e => resolve(e.blockedURI), {once: true});
            const s = document.createElement("script"); s.src = src; document.head.appendChild(s);
        })""",
        origin + "/bin/script.min.js",
    )
    assert blocked.startswith(origin)
    page.goto(site + "/appeals/")
    button = page.get_by_role("button", name="Открыть форму обращения здесь")
    button.wait_for(state="visible", timeout=PATIENCE_MS)
    page.wait_for_load_state("networkidle")
    assert requests == [], "nothing is requested from the platform before the resident asks"
    assert page.get_by_role("link", name="Написать обращение на Госуслугах").get_attribute("href") == (
        origin + "/form/?opaId=4242"
    )
    button.click()
    frame = page.locator("#js-show-iframe-wrapper iframe")
    frame.wait_for(timeout=PATIENCE_MS)
    assert frame.get_attribute("src") == origin + "/form/?opaId=4242"
    eventually(lambda: any(r.startswith("/form/") for r in requests), "the form was not loaded in its frame")
    assert requests[0] == "/bin/script.min.js"
    assert page.frame_locator("#js-show-iframe-wrapper iframe").get_by_text("Форма обращения").is_visible()
