"""The durable state of one channel: SQLite in WAL mode, every change its own transaction.

One file per channel (``<state_dir>/<channel>.sqlite``) so that channels never block or
corrupt each other. An item goes ``pending`` → ``sending`` (committed *before* the
network call) → ``sent`` / ``failed`` / ``uncertain`` (committed right after). A kill
between the two commits leaves exactly one ``sending`` row — the run posts one item at a
time and the lock allows one run — which the next run resolves by the channel's
``after_crash`` policy. With ``synchronous=FULL`` a committed change survives a crash of
the process and of the machine; SQLite's journal makes each transaction all or nothing.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ratusha.crosspost.feeds import Item

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (feed TEXT PRIMARY KEY, first_read REAL NOT NULL, last_read REAL NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    guid TEXT PRIMARY KEY,
    status TEXT NOT NULL,          -- seen | pending | sending | sent | failed | uncertain | skipped | withdrawn
    published REAL NOT NULL,       -- for ordering only; identity is the guid
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    data TEXT NOT NULL,            -- the item as last read (JSON), to post it if it leaves the feed
    first_seen REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    send_started REAL,
    first_send REAL,
    sent_at REAL,
    remote_id TEXT,
    error TEXT,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS items_status ON items (status, published);
"""
#: Statuses of items that still have to be posted.
TO_POST = ("pending", "failed")


@dataclass
class Row:
    """One item as the state knows it."""

    guid: str
    status: str
    published: float
    title: str
    link: str
    data: str
    attempts: int
    send_started: float | None
    first_send: float | None
    sent_at: float | None
    remote_id: str | None
    error: str | None

    @property
    def item(self) -> Item:
        """The stored copy of the item."""
        return Item.from_dict(json.loads(self.data))


class State:
    """A channel's record of what it has seen and posted."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        self.db = connection
        self.path = path
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)
        version = self.meta("schema_version")
        if version is None:
            with self.transaction():
                self.set_meta("schema_version", str(SCHEMA_VERSION))
        elif int(version) > SCHEMA_VERSION:
            raise RuntimeError(f"{path}: state schema {version} is newer than this program ({SCHEMA_VERSION})")

    @classmethod
    def open(cls, path: Path) -> State:
        """Open (creating) the state file for writing."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return cls(db, path)

    @classmethod
    def snapshot(cls, path: Path) -> State:
        """Copy the state into memory for --dry-run: the same logic runs, the file is never written."""
        memory = sqlite3.connect(":memory:", isolation_level=None)
        if path.exists():
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                source.backup(memory)
            finally:
                source.close()
        return cls(memory, None)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        """Return a metadata value."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value (inside a transaction)."""
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def initialized(self) -> bool:
        """Whether a first run has recorded a baseline."""
        return self.meta("initialized") is not None

    def known_feeds(self) -> set[str]:
        """Return the feeds this channel has read before."""
        return {row[0] for row in self.db.execute("SELECT feed FROM feeds")}

    def touch_feeds(self, feeds: Iterable[str], now: float) -> None:
        """Record that these feeds were read (inside a transaction)."""
        for feed in feeds:
            self.db.execute(
                "INSERT INTO feeds (feed, first_read, last_read) VALUES (?, ?, ?) "
                "ON CONFLICT (feed) DO UPDATE SET last_read = excluded.last_read",
                (feed, now, now),
            )

    def known(self, guids: Iterable[str]) -> set[str]:
        """Which of these guids the state has."""
        guids = list(guids)
        found: set[str] = set()
        for start in range(0, len(guids), 500):
            chunk = guids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.db.execute(f"SELECT guid FROM items WHERE guid IN ({marks})", chunk))
        return found

    def get(self, guid: str) -> Row | None:
        """One item's row."""
        row = self.db.execute("SELECT * FROM items WHERE guid = ?", (guid,)).fetchone()
        return _row(row) if row else None

    def rows(self, statuses: Iterable[str]) -> list[Row]:
        """Rows in these statuses, oldest first."""
        statuses = list(statuses)
        marks = ",".join("?" * len(statuses))
        query = f"SELECT * FROM items WHERE status IN ({marks}) ORDER BY published, guid"
        return [_row(row) for row in self.db.execute(query, statuses)]

    def add(self, item: Item, status: str, now: float) -> None:
        """Record a newly seen item (inside a transaction)."""
        self.db.execute(
            "INSERT INTO items (guid, status, published, title, link, data, first_seen, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (item.guid, status, item.published, item.title, item.link, json.dumps(item.to_dict()), now, now),
        )

    def refresh(self, item: Item, now: float) -> None:
        """Keep the newest copy of an item that is still waiting to be posted."""
        self.db.execute(
            "UPDATE items SET data = ?, title = ?, link = ?, published = ?, updated = ? "
            "WHERE guid = ? AND status IN ('pending', 'failed')",
            (json.dumps(item.to_dict()), item.title, item.link, item.published, now, item.guid),
        )

    def set_status(self, guid: str, status: str, now: float, error: str | None = None) -> None:
        """Change an item's status (inside a transaction)."""
        self.db.execute(
            "UPDATE items SET status = ?, error = COALESCE(?, error), updated = ? WHERE guid = ?",
            (status, error, now, guid),
        )

    def begin_send(self, guid: str, now: float | None = None) -> None:
        """Commit the intent to send, before the network call."""
        now = time.time() if now is None else now
        with self.transaction():
            self.db.execute(
                "UPDATE items SET status = 'sending', attempts = attempts + 1, send_started = ?, "
                "first_send = COALESCE(first_send, ?), updated = ? WHERE guid = ?",
                (now, now, now, guid),
            )

    def finish_send(self, guid: str, status: str, remote_id: str = "", error: str = "") -> None:
        """Commit the outcome, right after the network call."""
        now = time.time()
        with self.transaction():
            self.db.execute(
                "UPDATE items SET status = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
                "remote_id = COALESCE(NULLIF(?, ''), remote_id), error = ?, updated = ? WHERE guid = ?",
                (status, status, now, remote_id, error or None, now, guid),
            )

    def sent_since(self, since: float) -> int:
        """How many posts went out since this moment (for daily limits)."""
        return self.db.execute(
            "SELECT COUNT(*) FROM items WHERE status = 'sent' AND sent_at >= ?", (since,)
        ).fetchone()[0]

    def counts(self) -> dict[str, int]:
        """Count the items per status."""
        return dict(self.db.execute("SELECT status, COUNT(*) FROM items GROUP BY status").fetchall())


def _row(row: sqlite3.Row) -> Row:
    return Row(**{name: row[name] for name in Row.__dataclass_fields__})
