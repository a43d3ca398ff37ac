"""``invoke preview`` / ``python -m ratusha.preview``: serve, and follow every save.

One build at start-up, kept in memory (:mod:`.site`); then, for each save of an item:

1. its file is re-read and checked; errors are printed as `invoke check` prints them and
   the last good page stays served;
2. when only its text changed, its page is rendered from memory and put into the served
   folder at once: "page served" (about a tenth of a second, whatever the site's size);
3. the ordinary build (`make build`'s, in a process of its own at a lower priority) then
   brings the lists, feeds, sitemap and search: "rebuilt". Saves during a build wait for
   it and are built together; a page served meanwhile is put back after its swap.

A save the fast path cannot serve (new, deleted, moved items, departments, the theme,
plugins, settings) goes to step 3 only; after it the memory is read again.
The server is a process of its own (:mod:`.server`): it answers while anything rebuilds.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ratusha.core.errors import BuildStopped, ContentError

from .site import Site, build_once, build_settings, print_problems, put

__all__ = ["Preview", "main"]

#: Nice value of the ordinary build's process: the server and the fast path come first.
BUILD_NICENESS = 10
MARKDOWN = (".md", ".markdown")
#: Editors' and tools' temporary files (sed -i, atomic saves): gone by the time they are seen.
TEMPORARY = ("", ".tmp", ".temp", ".swp", ".swx", ".bak", ".part")


def _temporary(path: str) -> bool:
    """Tell a file that came and went during a save (nothing to build)."""
    return not os.path.exists(path) and (Path(path).suffix.lower() in TEMPORARY or path.endswith("~"))


def _as_background_build() -> None:
    """In the ordinary build's process: a lower priority, no Ctrl+C of its own, end with the preview."""
    os.nice(BUILD_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):  # Linux: SIGTERM when the preview's process dies
        import ctypes  # noqa: PLC0415

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def say(russian: str, english: str) -> None:
    """One line for the editor, in both languages."""
    print(f"{russian} / {english}", flush=True)


class Preview:
    """The builder: the site in memory, the server's process, the watcher and the builds."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.content = args.content.resolve()
        self.output = args.output.resolve()
        self.settings = build_settings(args.settings, self.content, self.output, args.cache)
        self.cache = Path(self.settings["CACHE_PATH"]).resolve()
        self.site = Site(self.settings)
        self.stale = True  # the memory does not match the content (until a load succeeds)
        self.changes: queue.Queue[set[str]] = queue.Queue()
        self.stop = threading.Event()
        self.server: subprocess.Popen[bytes] | None = None
        self.build: subprocess.Popen[bytes] | None = None
        self.build_started = 0.0
        self.pending = False
        #: Pages served while a build ran: put back after its swap, which may predate them.
        self.served_during: dict[str, bytes] = {}

    # the parts ---------------------------------------------------------------------

    def load(self, write: bool) -> bool:
        """Build (or only read) the site into memory; print content errors; return success."""
        try:
            self.site.load(write, None if write else self.cache / "preview" / "memory")
        except BuildStopped as stopped:
            print_problems(stopped.problems)
            say("Сборка остановлена: исправьте ошибки и сохраните", "build stopped: fix the errors and save")
            return False
        except ContentError as problem:
            print(problem, file=sys.stderr, flush=True)
            return False
        self.stale = False
        return True

    def start_server(self) -> None:
        """Start the server's process and wait until it listens."""
        command = [sys.executable, "-m", "ratusha.preview.server", str(self.output)]
        command += ["--host", self.args.host, "--port", str(self.args.port)]
        self.server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if self.server.stdout is None or self.server.stdout.readline().strip() != b"ready":
            raise SystemExit(f"the preview server did not start on {self.args.host}:{self.args.port}")

    def announce(self) -> None:
        """Tell the server (and so every open browser tab) that the site changed."""
        if self.server is not None and self.server.stdin is not None:
            with contextlib.suppress(OSError):
                self.server.stdin.write(b"changed\n")
                self.server.stdin.flush()

    def watch(self) -> None:
        """Collect saved files (inotify, via watchfiles, which Pelican itself depends on)."""
        import watchfiles  # noqa: PLC0415

        folders = [self.content, Path(self.settings["THEME"]), Path(__file__).resolve().parents[1], self.args.settings]
        municipality = self.settings.get("RATUSHA_MUNICIPALITY")
        if municipality and Path(municipality).is_file():
            folders.append(Path(municipality).resolve())
        # The build itself writes the address ledger into the content folder: not a save.
        ledger = self.settings.get("RATUSHA_ADDRESS_LEDGER")
        written = {str((self.content / ledger).resolve())} if ledger else set()
        for changes in watchfiles.watch(
            *folders, debounce=50, step=20, stop_event=self.stop, raise_interrupt=False, ignore_permission_denied=True
        ):
            saved = {path for _change, path in changes if str(Path(path).resolve()) not in written}
            if saved:
                self.changes.put(saved)

    def start_build(self) -> None:
        """Start the ordinary build in a process of its own, at a lower priority."""
        command = [sys.executable, "-m", "ratusha.preview", "--once", *self.args.forwarded]
        self.pending = False
        self.build_started = time.perf_counter()
        self.build = subprocess.Popen(command)

    # what happens on a save ---------------------------------------------------------

    def on_changes(self, paths: set[str]) -> None:
        """Serve what the fast path can at once; leave the rest to the ordinary build."""
        for path in sorted(paths):
            if _temporary(path):
                continue
            inside = Path(path).is_relative_to(self.content)
            if not inside or not path.endswith(MARKDOWN) or not os.path.exists(path) or self.stale:
                self.stale = True  # a new or deleted file, the theme, a plugin, the settings
                self.pending = True
                continue
            result = self.site.render(path)
            print_problems(result.problems)
            if result.failed:
                say(
                    "Страница не обновлена: в файле ошибки, показана прежняя",
                    "page not updated: the file has errors, the last good page stays",
                )
                continue
            self.pending = True
            if result.slow or result.save_as is None or result.body is None:
                self.stale = True
                say(f"Страница обновится после сборки ({result.slow})", f"served after the rebuild ({result.slow})")
                continue
            put(self.output, result.save_as, result.body)
            if self.build is not None:
                self.served_during[result.save_as] = result.body
            self.announce()
            late = time.time() - os.stat(path).st_mtime
            url = "/" + result.save_as.removesuffix("index.html")
            say(f"Страница обновлена через {late:.2f} с после сохранения: {url}", f"page served in {late:.2f} s")

    def on_build_end(self, code: int) -> None:
        """Report the build; put back pages served during it; read the memory again if needed."""
        took = time.perf_counter() - self.build_started
        self.build = None
        if code == 0:
            say(f"Пересобрано за {took:.2f} с: списки и ленты обновлены", f"rebuilt in {took:.2f} s")
        else:
            say("Сборка не удалась, показан прежний сайт", "the rebuild failed; the previous site stays")
        for save_as, body in self.served_during.items():
            put(self.output, save_as, body)
        self.served_during.clear()
        self.announce()
        if code == 0 and self.stale and not self.pending:
            started = time.perf_counter()
            if self.load(write=False):
                took = time.perf_counter() - started
                say(f"Сайт в памяти обновлён за {took:.2f} с", f"the site in memory was read again in {took:.2f} s")

    # the whole ----------------------------------------------------------------------

    def run(self) -> None:
        """Build, serve, then follow saves until stopped."""
        started = time.perf_counter()
        if self.load(write=True):
            say(f"Собрано за {time.perf_counter() - started:.2f} с", f"built in {time.perf_counter() - started:.2f} s")
        self.start_server()
        threading.Thread(target=self.watch, name="watch", daemon=True).start()
        print(f"Предпросмотр: http://{self.args.host}:{self.args.port}/  (Ctrl+C — остановить)", flush=True)
        while True:
            with contextlib.suppress(queue.Empty):
                paths = self.changes.get(timeout=0.1)
                while not self.changes.empty():  # saves that came together go together
                    paths |= self.changes.get_nowait()
                self.on_changes(paths)
            if self.build is not None and (code := self.build.poll()) is not None:
                self.on_build_end(code)
            if self.build is None and self.pending:
                self.start_build()

    def close(self) -> None:
        """End the watcher, the build and the server (none outlives the preview)."""
        self.stop.set()
        for process in (self.build, self.server):
            if process is None or process.poll() is not None:
                continue
            if process is self.server and process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()  # the server's signal to end
            else:
                process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def parser() -> argparse.ArgumentParser:
    """Return the command line of `python -m ratusha.preview` (and `invoke preview`)."""
    parse = argparse.ArgumentParser(prog="python -m ratusha.preview", description=__doc__.split("\n")[0])
    parse.add_argument("--content", type=Path, default=Path("content"), help="the content folder")
    parse.add_argument("--output", type=Path, default=Path("output"), help="the folder served")
    parse.add_argument("--port", type=int, default=8000)
    parse.add_argument("--host", default="127.0.0.1")
    parse.add_argument("--cache", type=Path, default=None, help="Pelican's CACHE_PATH (default: the settings')")
    parse.add_argument("--settings", type=Path, default=Path("pelicanconf.py"), help="the settings file")
    parse.add_argument("--once", action="store_true", help=argparse.SUPPRESS)  # the ordinary build's process
    return parse


def main(argv: list[str] | None = None) -> int:
    """Run the preview (or, with --once, one ordinary build of it)."""
    args = parser().parse_args(argv)
    for name in ("content", "output", "settings", "cache"):
        if getattr(args, name) is not None:
            setattr(args, name, getattr(args, name).resolve())
    args.forwarded = [f"--content={args.content}", f"--output={args.output}", f"--settings={args.settings}"]
    if args.cache is not None:
        args.forwarded.append(f"--cache={args.cache}")
    os.chdir(args.settings.parent)  # the settings' relative paths (theme, cache) are from there
    if not logging.getLogger().handlers:
        from pelican.log import init as init_logging  # noqa: PLC0415

        init_logging(level=logging.WARNING)
    if args.once:
        _as_background_build()
        return 0 if build_once(build_settings(args.settings, args.content, args.output, args.cache)) else 1
    preview = Preview(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        preview.run()
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
    return 0
