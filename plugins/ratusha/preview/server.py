"""The preview's HTTP server: a process of its own, so a rebuild never delays an answer.

livereload served from the process that rebuilt, one request at a time: at 50,000 items a
request waited the whole rebuild. This server runs in its own process (the builder's
work, at any load, takes none of its time slices) with a thread per request, and serves
the output folder as the plain static copy of the site it is. The folder may be replaced
while it serves (the build renames a new one over it): a file already open is read to
the end, and a request that falls between the two renames waits for the new folder.

The browser reloads without any external request: HTML answers (of this server only,
never the built files) get one script, ``/__preview__/reload.js``, that asks
``/__preview__/version`` every second and reloads when it changed. The pages read the
same without it. The builder bumps the version by writing a line to the server's stdin;
when stdin closes (the builder ended, however it ended), the server ends too.

Run as ``python -m ratusha.preview.server ROOT --host H --port P``; it prints one line,
``ready``, when it listens.
"""

from __future__ import annotations

import argparse
import http.server
import signal
import sys
import threading
import time
from pathlib import Path

__all__ = ["PreviewHandler", "serve"]

PREFIX = "/__preview__/"
#: Asks for the version every second; reloads when it changed. No external request.
RELOAD_JS = b"""(function () {
  var seen = null;
  function ask() {
    fetch("/__preview__/version", {cache: "no-store"})
      .then(function (answer) { return answer.text(); })
      .then(function (version) {
        if (seen !== null && version !== seen) { location.reload(); }
        seen = version;
      })
      .catch(function () {})
      .then(function () { setTimeout(ask, 1000); });
  }
  ask();
})();
"""
TAG = b'<script src="/__preview__/reload.js" defer></script>'
#: How long a request waits for the output folder while a build swaps it in (seconds).
SWAP_WAIT = 5.0


class Version:
    """The site's version as the builder announces it; read by every request thread."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        """Count one change of the served site."""
        with self.lock:
            self.value += 1


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from the output folder, never cached, HTML with the reload script."""

    version: Version
    root: Path

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the terminal is for the builder's messages."""

    def end_headers(self) -> None:
        """Never let the browser keep a page: the next save changes it."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: PLR0911 (one answer per kind of request)
        """Answer the reload script, the version, an HTML page (with the script) or any file."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == PREFIX + "reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS)
        if path == PREFIX + "version":
            return self._send(200, "text/plain; charset=utf-8", str(self.version.value).encode())
        self._wait_for_root()
        local = Path(self.translate_path(path))
        if local.is_dir():
            if not path.endswith("/"):
                return super().do_GET()  # the base class redirects to the slash
            local = local / "index.html"
        if local.suffix == ".html":
            try:
                body = local.read_bytes()
            except OSError:
                return self._not_found()
            return self._send(200, "text/html; charset=utf-8", inject(body))
        if not local.exists():
            return self._not_found()
        return super().do_GET()

    def do_HEAD(self) -> None:
        """Answer as for GET, without the body (SimpleHTTPRequestHandler's way)."""
        self._wait_for_root()
        super().do_HEAD()

    def _wait_for_root(self) -> None:
        """Between the two renames of a swap the folder is briefly absent: wait for it."""
        deadline = time.monotonic() + SWAP_WAIT
        while not self.root.is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)

    def _not_found(self) -> None:
        page = self.root / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><p>Not found</p>"
        self._send(404, "text/html; charset=utf-8", inject(body))

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class PreviewServer(http.server.ThreadingHTTPServer):
    """A thread per request, none of them keeping the process alive; a long backlog."""

    daemon_threads = True
    request_queue_size = 128


def inject(body: bytes) -> bytes:
    """Add the reload script before ``</body>`` (at the end when there is none)."""
    at = body.rfind(b"</body>")
    return body[:at] + TAG + body[at:] if at >= 0 else body + TAG


def _follow_builder(version: Version, server: PreviewServer) -> None:
    """Bump the version for each line the builder writes; stop when it is gone."""
    for _line in sys.stdin.buffer:
        version.bump()
    server.shutdown()


def serve(root: Path, host: str, port: int) -> None:
    """Serve ``root`` until the builder closes stdin."""
    version = Version()
    handler = type("Handler", (PreviewHandler,), {"version": version, "root": root})

    def make(*args: object, **kwargs: object) -> PreviewHandler:
        return handler(*args, directory=str(root), **kwargs)

    with PreviewServer((host, port), make) as server:
        threading.Thread(target=_follow_builder, args=(version, server), daemon=True).start()
        print("ready", flush=True)
        server.serve_forever(poll_interval=0.2)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and serve."""
    parser = argparse.ArgumentParser(prog="python -m ratusha.preview.server", description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the preview's; the server ends with it
    serve(args.root.resolve(), args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
