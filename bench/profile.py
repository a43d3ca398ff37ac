"""Profile one Ratusha build with cProfile and say where the time goes, by component.

Self time (tottime) of every function is summed into buckets by the file it lives in
(Markdown, YAML, Jinja templates, each plugin, Pelican's writer, feedgen, lxml, file I/O …),
which answers "what costs the most" better than a list of the hottest functions alone.
The search index and precompression are left out by default (``--with-search`` adds the
index); precompression is measured by the difference of the two full builds in bench/run.py.

Usage: python -m bench.profile CORPUS [--out DIR] [--stats FILE] [--with-search]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import time
from pathlib import Path

from bench.corpus import BUILD_TIME

ROOT = Path(__file__).resolve().parent.parent
BUCKETS = (
    (re.compile(r"[/\\]plugins[/\\](\w+)[/\\]"), "plugin {0}"),
    (re.compile(r"[/\\]markdown[/\\]"), "Markdown (python-markdown)"),
    (re.compile(r"[/\\]yaml[/\\]"), "YAML (front matter)"),
    (re.compile(r"[/\\]jinja2[/\\]|^<template>$|\.html$"), "Jinja (templates, incl. compiled template code)"),
    (re.compile(r"[/\\]markupsafe[/\\]"), "Jinja (templates, incl. compiled template code)"),
    (re.compile(r"[/\\]feedgen[/\\]"), "feedgen"),
    (re.compile(r"[/\\]lxml[/\\]"), "lxml"),
    (re.compile(r"[/\\]nh3[/\\]"), "nh3 (HTML sanitising)"),
    (re.compile(r"[/\\]babel[/\\]"), "Babel"),
    (re.compile(r"[/\\]PIL[/\\]"), "Pillow"),
    (re.compile(r"[/\\]pelican[/\\](\w+)\.py"), "pelican {0}"),
    (re.compile(r"[/\\]pelican[/\\]"), "pelican (other)"),
    (re.compile(r"[/\\]icalendar[/\\]"), "icalendar"),
)


def bucket(filename: str, name: str) -> str:
    """Return the component a function belongs to."""
    if filename == "~":  # built-ins: name the I/O ones, which matter for a site generator
        if re.search(r"\b(open|write|read|stat|mkdir|makedirs|replace|rename|unlink|listdir|scandir)\b", name):
            return "file I/O (built-ins)"
        if "lxml" in name:
            return "lxml"
        return "built-in " + name.strip("{}<>")
    if "posixpath" in filename or "genericpath" in filename:
        return "os.path (mostly Pelican's URL computation)"
    for pattern, label in BUCKETS:
        match = pattern.search(filename)
        if match:
            return label.format(*match.groups())
    return "other Python (" + Path(filename).name + ")"


def summarise(stats_file: Path, top: int = 25) -> str:
    """Return a Markdown summary: time by component, then the hottest functions (cumulative)."""
    stats = pstats.Stats(str(stats_file))
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(tottime for (_, _, tottime, _, _) in raw.values())
    buckets: dict[str, float] = {}
    for (filename, _, name), (_, _, tottime, _, _) in raw.items():
        key = bucket(filename, name)
        buckets[key] = buckets.get(key, 0.0) + tottime
    lines = ["| component (self time) | s | share |", "| --- | ---: | ---: |"]
    for key, seconds in sorted(buckets.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"| {key} | {seconds:.1f} | {seconds / total:.0%} |")
    lines += ["", "| function (cumulative) | calls | s |", "| --- | ---: | ---: |"]
    interesting = re.compile(r"plugins|pelican[/\\](generators|writers|readers|paginator|cache|contents)")
    rows = [
        (cumtime, calls, f"{Path(filename).parent.name}/{Path(filename).name}:{line} {name}")
        for (filename, line, name), (calls, _, _, cumtime, _) in raw.items()
        if interesting.search(filename)
    ]
    for cumtime, calls, label in sorted(rows, reverse=True)[:top]:
        lines.append(f"| `{label}` | {calls:,} | {cumtime:.1f} |")
    return "\n".join(lines) + f"\n\nTotal self time: {total:.1f} s.\n"


def main() -> None:
    """Build CORPUS under cProfile, then print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus folder written by bench.corpus (its ratusha/ inside)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "work" / "profile")
    parser.add_argument("--stats", type=Path, default=None)
    parser.add_argument("--with-search", action="store_true")
    args = parser.parse_args()
    content = args.corpus / "ratusha"
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    stats_file = args.stats or args.out / "build.prof"
    os.environ["RATUSHA_MUNICIPALITY"] = str(content / "municipality.yml")
    os.chdir(ROOT)
    from pelican import Pelican  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(args.out / "output"),
        "CACHE_PATH": str(args.out / "cache"),
        "RATUSHA_BUILD_TIME": BUILD_TIME,
        "RATUSHA_SEARCH": args.with_search,
        "RATUSHA_PRECOMPRESS": args.with_search,
    }
    settings = read_settings(str(ROOT / "pelicanconf.py"), override=overrides)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(Pelican(settings).run)
    print(f"Built in {time.perf_counter() - started:.1f} s under cProfile")
    profiler.dump_stats(str(stats_file))
    print(summarise(stats_file))


if __name__ == "__main__":
    main()
