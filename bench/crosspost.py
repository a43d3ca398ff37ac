"""Measure a quiet cross-posting run at city scale: 462 departments on two networks, nothing new.

The city of issue 13 has 462 departments; with an account each on Telegram and VK, one
``departments:`` block of crosspost.yml makes 924 channels. Cron runs ``ratusha-crosspost``
every few minutes, and almost every run finds nothing new, so that run is what costs. This
script writes what a built site publishes for such a city (``departments/index.json`` with
two accounts per department, and each department's RSS feed as docs/feeds.md describes it:
guid, title, link, description, the full HTML, date, revision, updated, lead image), starts
the channels with ``ratusha-crosspost init``, then times quiet runs of the real command, each
in a fresh process (start-up included), with the feeds read from the folder and over HTTP
from 127.0.0.1 (the cron example's ``--feeds https://…``).

No API is called in a quiet run: every channel's ``api_base`` is a closed port on
127.0.0.1, so a run that called one would fail, and a run counts only if it exits 0 and
says all its channels had nothing new. Wall time and peak memory are measured from outside
the process, as bench/run.py measures builds.

Scenarios, for each number of entries per feed (``--entries``, default 3 and 50, the
site's RATUSHA_FEED_LIMIT):
    init     ratusha-crosspost init: the first run of the 924 channels, records every entry
    folder   a quiet run, feeds from the built folder
    http     a quiet run, feeds from http://127.0.0.1 (a threaded server in this process)

Results go to bench/results/crosspost.json and crosspost.md (the build benchmark's files
are left alone).

Usage: python -m bench.crosspost [--departments 462] [--entries 3,50] [--runs 5] [--work DIR]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import sys
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from bench.run import RESULTS, ROOT, machine, measure

DEFAULT_WORK = ROOT / "bench" / "work" / "crosspost"
NETWORKS = ("telegram", "vk")
#: A port nothing listens on: a quiet run must not call any API, and one that did would fail.
CLOSED = "http://127.0.0.1:9"
SITE = "https://city.example.ru"
TZ = timezone(timedelta(hours=10))
#: The newest entry's date; older ones follow a few hours apart.
NEWEST = datetime(2026, 11, 24, 18, 0, tzinfo=TZ)
BODY = (
    "<p>Администрация города сообщает о плановых работах на улицах района. "
    "Жителей просят учитывать изменения в движении транспорта и заранее планировать поездки.</p>"
) * 6


@dataclass
class Measurement:
    """One scenario: the times of its runs and what they cost."""

    scenario: str
    departments: int
    channels: int
    entries: int
    seconds: list[float] = field(default_factory=list)
    peak_tree_mb: float = 0.0
    peak_process_mb: float = 0.0
    returncode: int = 0
    quiet: bool = True  # every run exited 0 and said all channels had nothing new
    load_before: float = 0.0

    @property
    def median(self) -> float:
        """The median of the runs' seconds."""
        return statistics.median(self.seconds) if self.seconds else 0.0


def slug(number: int) -> str:
    """Name department ``number`` (otdel-001 …)."""
    return f"otdel-{number:03d}"


def entry(department: int, index: int) -> str:
    """One RSS item of a department's feed, with every element the site writes."""
    number = department * 1000 + index
    date = NEWEST - timedelta(hours=3 * index + department % 24)
    link = f"{SITE}/news/2026/11/novost-{number}/"
    return (
        f"<item><title>Новость {number} отдела {department}</title><link>{link}</link>"
        f"<description>Краткое содержание новости {number}: плановые работы и что они значат для жителей.</description>"
        f"<content:encoded><![CDATA[{BODY}]]></content:encoded>"
        f'<guid isPermaLink="false">urn:uuid:00000000-0000-4000-8000-{number:012d}</guid>'
        f'<category domain="{SITE}/news/">Новости</category>'
        f'<enclosure url="{SITE}/images/r/{number}-social.jpg" length="48213" type="image/jpeg"/>'
        f"<pubDate>{format_datetime(date)}</pubDate>"
        f"<ratusha:revision>{number:016x}</ratusha:revision>"
        f"<ratusha:updated>{date.isoformat()}</ratusha:updated>"
        f"<dc:creator>Отдел {department}</dc:creator></item>"
    )


def write_site(folder: Path, departments: int, entries: int) -> None:
    """Write the departments directory and one feed per department, as a built site publishes them."""
    shutil.rmtree(folder, ignore_errors=True)
    listing = []
    for number in range(1, departments + 1):
        name = slug(number)
        feed = folder / "departments" / name / "rss.xml"
        feed.parent.mkdir(parents=True)
        items = "".join(entry(number, index) for index in range(entries))
        feed.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss xmlns:ratusha="urn:ratusha:social:1" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0"><channel>'
            f"<title>Город: Отдел {number}</title><link>{SITE}/departments/{name}/</link>"
            f"<description>Материалы отдела {number}</description><language>ru</language>{items}</channel></rss>",
            encoding="utf-8",
        )
        accounts = [
            {"network": "telegram", "id": f"@otdel_{number:03d}", "url": f"https://t.me/otdel_{number:03d}"},
            {"network": "vk", "id": str(200000 + number), "url": f"https://vk.com/club{200000 + number}"},
        ]
        listing.append({
            "slug": name, "title": f"Отдел {number}", "url": f"{SITE}/departments/{name}/",
            "feed": f"departments/{name}/rss.xml", "parent": None, "accounts": accounts,
        })  # fmt: skip
    directory = folder / "departments" / "index.json"
    directory.write_text(json.dumps({"version": 1, "departments": listing}, ensure_ascii=False), encoding="utf-8")


def write_config(work: Path) -> Path:
    """crosspost.yml as the repository's: a departments: block, one bot per department, one VK user token."""
    config = work / "crosspost.yml"
    data = {
        "version": 1,
        "feeds": "site",
        "state_dir": "state",
        "departments": {
            "directory": "departments/index.json",
            "networks": {
                "telegram": {"token_env": "RATUSHA_TELEGRAM_TOKEN_{SLUG}", "api_base": CLOSED},
                "vk": {"token_env": "RATUSHA_VK_TOKEN", "api_base": CLOSED},
            },
        },
    }
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


def environment(departments: int) -> dict[str, str]:
    """Give the child the tokens the config names (never used: a quiet run calls no API)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "RATUSHA_VK_TOKEN": "vk1.a.bench-unused"}
    for number in range(1, departments + 1):
        env[f"RATUSHA_TELEGRAM_TOKEN_{slug(number).upper().replace('-', '_')}"] = "123:bench-unused"
    return env


class Served:
    """The site folder over HTTP on 127.0.0.1, in a thread of this process."""

    def __init__(self, folder: Path) -> None:
        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def stop(self) -> None:
        """Shut the server down."""
        self.httpd.shutdown()
        self.httpd.server_close()


def scenario(name: str, command: list[str], work: Path, env: dict[str, str], runs: int, **sizes: int) -> Measurement:
    """Run ``command`` ``runs`` times; keep the times, the largest memory, whether every run was as expected."""
    result = Measurement(name, **sizes)
    result.load_before = round(os.getloadavg()[0], 2)
    quiet_line = f"{sizes['channels']} channel(s): nothing new, nothing wrong"
    for number in range(runs):
        log = work / f"{name}-{number}.log"
        seconds, tree, process, code = measure(command, work, env, log)
        text = log.read_text(encoding="utf-8")
        if name == "init":  # every channel started, each with its feed's entries as its baseline
            quiet = text.count(f"recorded as already published {sizes['entries']}") == sizes["channels"]
        else:
            quiet = quiet_line in text
        result.seconds.append(round(seconds, 2))
        result.peak_tree_mb = round(max(result.peak_tree_mb, tree), 1)
        result.peak_process_mb = round(max(result.peak_process_mb, process), 1)
        result.returncode = result.returncode or code
        result.quiet = result.quiet and code == 0 and quiet
    times = ", ".join(f"{s:.2f}" for s in result.seconds)
    print(f"  {name:7} {sizes['entries']:3d} entries: {times} s  {result.peak_tree_mb:5.0f} MB", flush=True)
    return result


def markdown(data: dict[str, Any]) -> str:
    """Render the results as a Markdown table."""
    info = data["machine"]
    lines = [
        "# Cross-posting: a quiet run at city scale",
        "",
        f"Produced by `{data['command']}` on {info['date']}.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, {info['os']}; "
        f"Python {info['python']}.",
        "",
        f"{data['departments']} departments, an account each on {' and '.join(NETWORKS)}: {data['channels']} "
        "channels from one `departments:` block. Times are wall-clock seconds of the whole process "
        "(start-up included), one fresh process per run; memory is the peak resident set. A row's "
        "runs all exited 0 with every channel quiet (nothing new, no API call) unless it says otherwise.",
        "",
        "| scenario | entries per feed | runs, s | median, s | peak memory, MB | load before | as expected |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    labels = {
        "init": "init (first run)",
        "folder": "quiet run, feeds from the folder",
        "http": "quiet run, feeds over HTTP",
    }
    for row in data["rows"]:
        runs = ", ".join(f"{s:.2f}" for s in row["seconds"])
        median = statistics.median(row["seconds"])
        lines.append(
            f"| {labels[row['scenario']]} | {row['entries']} | {runs} | {median:.2f} | {row['peak_tree_mb']:.0f} "
            f"| {row['load_before']} | {'yes' if row['quiet'] else 'NO (exit ' + str(row['returncode']) + ')'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=462)
    parser.add_argument("--entries", default="3,50", help="entries per department feed, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="quiet runs per scenario")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--results", type=Path, default=RESULTS, help="where crosspost.json and .md go")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    channels = args.departments * len(NETWORKS)
    command = [
        "python -m bench.crosspost",
        *([f"--departments {args.departments}"] if args.departments != 462 else []),
        *([f"--entries {args.entries}"] if args.entries != "3,50" else []),
        *([f"--runs {args.runs}"] if args.runs != 5 else []),
    ]
    data: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join(command),
        "departments": args.departments,
        "channels": channels,
        "rows": [],
    }
    env = environment(args.departments)
    python = [sys.executable, "-m", "ratusha.crosspost"]
    for entries in [int(value) for value in args.entries.split(",")]:
        work = args.work / f"e{entries}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        print(f"{args.departments} departments, {channels} channels, {entries} entries per feed", flush=True)
        write_site(work / "site", args.departments, entries)
        config = write_config(work)
        sizes = {"departments": args.departments, "channels": channels, "entries": entries}
        rows = [scenario("init", [*python, "init", "--config", str(config)], work, env, 1, **sizes)]
        rows.append(scenario("folder", [*python, "--config", str(config)], work, env, args.runs, **sizes))
        served = Served(work / "site")
        try:
            rows.append(
                scenario(
                    "http", [*python, "--config", str(config), "--feeds", served.url], work, env, args.runs, **sizes
                )
            )
        finally:
            served.stop()
        data["rows"] += [asdict(row) for row in rows]
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    data["machine"]["date"] = stamp
    (args.results / "crosspost.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (args.results / "crosspost.md").write_text(markdown(data), encoding="utf-8")
    print(f"Results: {args.results / 'crosspost.md'}")


if __name__ == "__main__":
    main()
