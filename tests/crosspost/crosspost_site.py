"""Helpers for the cross-posting tests: a site's feeds on disk, configs for the fakes, a child process."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from crosspost_fakes import (
    ACCOUNTS,
    MAX_TOKEN,
    OK_APP_KEY,
    OK_SECRET,
    OK_TOKEN,
    TELEGRAM_TOKEN,
    VK_TOKEN,
    FakeAPI,
    serve,
)

ROOT = Path(__file__).resolve().parents[2]
TZ = timezone(timedelta(hours=10))
START = datetime(2026, 11, 1, 9, 0, tzinfo=TZ)
ENV = {
    "RATUSHA_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
    "RATUSHA_VK_TOKEN": VK_TOKEN,
    "RATUSHA_OK_TOKEN": OK_TOKEN,
    "RATUSHA_OK_APPLICATION_KEY": OK_APP_KEY,
    "RATUSHA_OK_SECRET_KEY": OK_SECRET,
    "RATUSHA_MAX_TOKEN": MAX_TOKEN,
}


@dataclass
class Entry:
    """One item of the fake site, written as docs/feeds.md describes."""

    number: int
    title: str = ""
    department: str = "zhkh"
    summary: str = ""
    teaser: str = ""
    hashtags: str = ""
    image: bool = False
    no_crosspost: bool = False
    hours: float | None = None
    #: the withdrawal as the site writes it (docs/feeds.md): ISO 8601 with offset, and why
    withdrawn: str = ""
    withdrawn_reason: str = ""
    #: the item's body: not in the feed's post fields, but part of its revision
    body: str = ""

    @property
    def guid(self) -> str:
        return f"urn:uuid:00000000-0000-4000-8000-{self.number:012d}"

    @property
    def link(self) -> str:
        return f"https://town.example.ru/news/2026/11/item-{self.number}/"

    @property
    def date(self) -> datetime:
        return START + timedelta(hours=self.number if self.hours is None else self.hours)

    @property
    def revision(self) -> str:
        """What the site writes as ratusha:revision: a digest of what a correction changes."""
        fields = (self.title, self.summary, self.teaser, self.hashtags, str(self.image), self.withdrawn, self.body)
        return hashlib.sha256("\x00".join(fields).encode()).hexdigest()[:16]

    def rss(self) -> str:
        extra = f"<ratusha:revision>{self.revision}</ratusha:revision>"
        if self.withdrawn:
            extra += f"<ratusha:withdrawn>{self.withdrawn}</ratusha:withdrawn>"
            extra += f"<ratusha:withdrawn_reason>{escape(self.withdrawn_reason)}</ratusha:withdrawn_reason>"
        if self.image:
            extra += (
                f'<enclosure url="https://town.example.ru/images/{self.number}.jpg" length="1000" type="image/jpeg"/>'
            )
        if self.teaser:
            extra += f"<ratusha:teaser>{escape(self.teaser)}</ratusha:teaser>"
        if self.hashtags:
            extra += f"<ratusha:hashtags>{escape(self.hashtags)}</ratusha:hashtags>"
        if self.no_crosspost:
            extra += "<ratusha:crosspost>no</ratusha:crosspost>"
        return (
            f"<item><title>{escape(self.title or f'Новость номер {self.number}')}</title>"
            f"<link>{self.link}</link>"
            f"<description>{escape(self.summary or f'Краткое содержание новости {self.number}.')}</description>"
            f'<guid isPermaLink="false">{self.guid}</guid>'
            f"<pubDate>{format_datetime(self.date)}</pubDate>{extra}</item>"
        )


@dataclass
class Site:
    """A built site's feeds: rss.xml (everything) and departments/<slug>/rss.xml, newest first."""

    root: Path
    limit: int = 50
    entries: list[Entry] = field(default_factory=list)

    def add(self, *numbers: int, **fields: object) -> list[Entry]:
        new = [Entry(number, **fields) for number in numbers]
        self.entries += new
        self.write()
        return new

    def write(self) -> None:
        self._feed("rss.xml", self.entries)
        for department in {entry.department for entry in self.entries}:
            self._feed(f"departments/{department}/rss.xml", [e for e in self.entries if e.department == department])

    def _feed(self, name: str, entries: list[Entry]) -> None:
        newest = sorted(entries, key=lambda entry: entry.date, reverse=True)[: self.limit]
        body = "".join(entry.rss() for entry in newest)
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:ratusha="urn:ratusha:social:1"><channel>'
            f"<title>Город</title><link>https://town.example.ru/</link><description>Все материалы</description>"
            f"{body}</channel></rss>",
            encoding="utf-8",
        )


@dataclass
class Run:
    code: int
    out: str
    err: str


def channel_settings(fakes: dict, **overrides: dict) -> dict:
    """Channel settings pointing at the fakes, with quick timeouts and no pacing."""
    quick = {"min_interval": 0, "timeout": 0.6, "backoff": 0.05, "max_wait": 5}
    channels = {
        "telegram": {
            "type": "telegram",
            **ACCOUNTS["telegram"],
            "feeds": ["rss.xml"],
            "api_base": fakes["telegram"].url,
            **quick,
        },
        "vk": {
            "type": "vk",
            **ACCOUNTS["vk"],
            "feeds": ["rss.xml", "departments/zhkh/rss.xml"],
            "api_base": fakes["vk"].url + "/method",
            **quick,
        },
        "ok": {
            "type": "ok",
            **ACCOUNTS["ok"],
            "feeds": ["departments/zhkh/rss.xml", "rss.xml"],
            "api_base": fakes["ok"].url,
            **quick,
        },
        "max": {
            "type": "max",
            **ACCOUNTS["max"],
            "feeds": ["rss.xml"],
            "api_base": fakes["max"].url,
            **quick,
        },
    }
    for name, settings in overrides.items():
        channels[name].update(settings)
    return channels


def write_config(tmp_path: Path, fakes: dict, **overrides: dict) -> Path:
    path = tmp_path / "crosspost.yml"
    data = {"version": 1, "feeds": "output", "state_dir": "state", "channels": channel_settings(fakes, **overrides)}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run_process(config: Path, *args: str, **popen: object) -> subprocess.Popen:
    """Start the command in a child process (for kill tests), as cron starts it."""
    env = {**os.environ, **ENV}
    return subprocess.Popen(
        [sys.executable, "-m", "ratusha.crosspost", "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        **popen,
    )


def killed_at(config: Path, fake: FakeAPI, faults: list[str | None], *args: str) -> None:
    """Run the command with ``fake`` playing ``faults`` (None: answer as usual) until one kills it (SIGKILL)."""
    fake.faults.extend(faults)
    process = run_process(config, *args)
    fake.kill_pid = process.pid
    process.communicate(timeout=60)
    fake.kill_pid = None
    assert process.returncode == -signal.SIGKILL


def now_utc() -> datetime:
    return datetime.now(UTC)


class FeedServer:
    """The built site over HTTP on 127.0.0.1, counting every GET per path (each feed read once per run?)."""

    def __init__(self, root: Path) -> None:
        self.gets: Counter[str] = Counter()
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                server.gets[self.path] += 1
                super().do_GET()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = serve(functools.partial(Handler, directory=str(root)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def department_slug(number: int) -> str:
    return f"otdel-{number:03d}"


def write_departments(
    root: Path,
    count: int,
    networks: tuple[str, ...] = ("telegram", "vk"),
    items: int = 3,
    extra: dict[int, list[int]] | None = None,
) -> None:
    """A built site's departments directory (departments/index.json) and one feed per department.

    Department n has ``items`` items (numbered from 1001 on, in order) plus the item numbers
    ``extra[n]``, and an account on each network: Telegram ``@otdel_<n>``, VK community
    200000+n, OK group 70000000000000+n, MAX chat -(72000000000+n) — the shape the site
    publishes (docs/crosspost.md).
    """
    departments = []
    number = 1000
    for index in range(1, count + 1):
        slug = department_slug(index)
        entries = []
        for _ in range(items):
            number += 1
            entries.append(Entry(number, department=slug, hours=-number))
        entries += [Entry(extra_number, department=slug) for extra_number in (extra or {}).get(index, [])]
        path = root / "departments" / slug / "rss.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(entry.rss() for entry in sorted(entries, key=lambda entry: entry.date, reverse=True))
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:ratusha="urn:ratusha:social:1"><channel>'
            f"<title>Отдел {index}</title><link>https://town.example.ru/departments/{slug}/</link>"
            f"<description>Материалы отдела</description>{body}</channel></rss>",
            encoding="utf-8",
        )
        accounts = {
            "telegram": {"network": "telegram", "id": f"@otdel_{index:03d}", "url": f"https://t.me/otdel_{index:03d}"},
            "vk": {"network": "vk", "id": str(200000 + index), "url": f"https://vk.com/club{200000 + index}"},
            "ok": {"network": "ok", "id": str(70000000000000 + index), "url": "https://ok.ru/group/1"},
            "max": {"network": "max", "id": str(-72000000000 - index), "url": f"https://max.ru/otdel_{index:03d}"},
        }
        departments.append(
            {
                "slug": slug,
                "title": f"Отдел {index}",
                "url": f"https://town.example.ru/departments/{slug}/",
                "feed": f"departments/{slug}/rss.xml",
                "parent": None,
                "accounts": [accounts[network] for network in networks],
            }
        )
    directory = root / "departments" / "index.json"
    directory.parent.mkdir(parents=True, exist_ok=True)
    directory.write_text(json.dumps({"version": 1, "departments": departments}, ensure_ascii=False), encoding="utf-8")


def departments_config(tmp_path: Path, fakes: dict, feeds: str, networks: tuple[str, ...] = ("telegram", "vk")) -> Path:
    """crosspost.yml with no channels of its own and a departments: block pointing at the fakes."""
    quick = {"min_interval": 0, "timeout": 2, "backoff": 0.05, "max_wait": 5}
    settings = {
        "telegram": {"api_base": fakes["telegram"].url, **quick},
        "vk": {"api_base": fakes["vk"].url, **quick},
        "ok": {"api_base": fakes["ok"].url, **quick},
        "max": {"api_base": fakes["max"].url, **quick},
    }
    data = {
        "version": 1,
        "feeds": feeds,
        "state_dir": "state",
        "departments": {"networks": {network: settings[network] for network in networks}},
    }
    path = tmp_path / "crosspost.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
