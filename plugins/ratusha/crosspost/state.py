"""The durable state of one channel: SQLite in WAL mode, every change its own transaction.

One file per channel (``<state_dir>/<channel>.sqlite``) so that channels never block or
corrupt each other. An item goes ``pending`` → ``sending`` (committed *before* the
network call) → ``sent`` / ``failed`` / ``uncertain`` (committed right after). A kill
between the two commits leaves exactly one ``sending`` row — the run posts one item at a
time per channel and the lock allows one run — which the next run resolves by the
channel's ``after_crash`` policy. A correction or a withdrawal of a posted item is a row
of ``changes`` (an edit, a deletion or a reply) that goes through the same two commits.
With ``synchronous=FULL`` a committed change survives a crash of the process and of the
machine; SQLite's journal makes each transaction all or nothing.

Statuses are :class:`Status` members and only this module writes SQL: the engine and the
command line go through the methods below.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ratusha.crosspost.feeds import Item

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (feed TEXT PRIMARY KEY, first_read REAL NOT NULL, last_read REAL NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    guid TEXT PRIMARY KEY,
    status TEXT NOT NULL,          -- a Status
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
    updated REAL NOT NULL,
    -- schema 2 (added in place to a version-1 file, see ADDED_IN_2)
    revision TEXT NOT NULL DEFAULT '',
    posted_revision TEXT,
    digest TEXT,
    withdrawn TEXT,
    doubt_since REAL
);
CREATE INDEX IF NOT EXISTS items_status ON items (status, published);
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL,
    kind TEXT NOT NULL,            -- a Change
    status TEXT NOT NULL,          -- a Status: pending, sending, sent, failed, uncertain, refused, skipped
    revision TEXT NOT NULL,        -- the item's revision this change brings the post to
    digest TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '', -- a reply's text
    attempts INTEGER NOT NULL DEFAULT 0,
    send_started REAL,
    remote_id TEXT,
    error TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_status ON changes (status, id);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '2');
"""
#: Columns added by schema 2 to a version-1 file, upgraded in place.
ADDED_IN_2 = {
    "revision": "TEXT NOT NULL DEFAULT ''",  # the revision of the stored copy
    "posted_revision": "TEXT",  # the revision the channel's post shows now
    "digest": "TEXT",  # a digest of the request that made (or last edited) the post
    "withdrawn": "TEXT",  # when the site withdrew it (ISO 8601), once noticed
    "doubt_since": "REAL",  # the first moment a send of it may have posted unseen
}


class Status(StrEnum):
    """Where an item (or a change of a posted item) stands."""

    SEEN = "seen"  # already published when the channel (or that feed) was connected: never posted
    PENDING = "pending"
    SENDING = "sending"  # committed before the call: a kill leaves at most one per channel
    SENT = "sent"
    FAILED = "failed"  # the API said no; retried on later runs up to max_attempts
    UNCERTAIN = "uncertain"  # sent, no answer: a person or a policy settles it
    SKIPPED = "skipped"  # crosspost: no (items), or superseded (changes)
    WITHDRAWN = "withdrawn"  # withdrawn from the site before it was posted: never posted while so
    REFUSED = "refused"  # changes: the network will never do it (window passed, not supported)


class Change(StrEnum):
    """What is done to a post already made."""

    EDIT = "edit"
    DELETE = "delete"
    REPLY = "reply"


#: Items that still have to be posted.
TO_POST = (Status.PENDING, Status.FAILED)
#: Items in play: to post, being sent, or waiting for a person.
ACTIVE = (Status.PENDING, Status.FAILED, Status.SENDING, Status.UNCERTAIN)
#: Changes still to be made.
OPEN = (Status.PENDING, Status.FAILED, Status.SENDING, Status.UNCERTAIN)


class StateError(Exception):
    """A state file that cannot be used (corrupt, newer than this program); the message says what to do."""


@dataclass
class Row:
    """One item as the state knows it."""

    guid: str
    status: Status
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
    revision: str
    posted_revision: str | None
    digest: str | None
    withdrawn: str | None
    doubt_since: float | None

    @property
    def item(self) -> Item:
        """The stored copy of the item."""
        return Item.from_dict(json.loads(self.data))


@dataclass
class ChangeRow:
    """One edit, deletion or reply of a posted item."""

    id: int
    guid: str
    kind: Change
    status: Status
    revision: str
    digest: str
    text: str
    attempts: int
    send_started: float | None
    remote_id: str | None
    error: str | None
    created: float


class State:
    """A channel's record of what it has seen and posted."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        self.db = connection
        self.path = path
        self.db.row_factory = sqlite3.Row
        try:
            # One transaction: a new file costs one flush, an existing one none (nothing changes).
            self.db.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nCOMMIT;")
            version = self.meta("schema_version")
            if version is not None and int(version) > SCHEMA_VERSION:
                raise StateError(
                    f"{path}: state schema {version} is newer than this program ({SCHEMA_VERSION}); "
                    "upgrade ratusha before running this channel"
                )
            if int(version or 0) < SCHEMA_VERSION:
                self._upgrade()
        except sqlite3.DatabaseError as error:
            connection.close()
            raise StateError(corrupt(path, error)) from None

    def _upgrade(self) -> None:
        """Upgrade schema 1 → 2 in place: add the columns corrections and withdrawals need."""
        with self.transaction():
            present = {row[1] for row in self.db.execute("PRAGMA table_info(items)")}
            for column, declaration in ADDED_IN_2.items():
                if column not in present:
                    self.db.execute(f"ALTER TABLE items ADD COLUMN {column} {declaration}")
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    @classmethod
    def open(cls, path: Path) -> State:
        """Open (creating) the state file for writing; StateError if it is not a usable state."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as error:
            raise StateError(corrupt(path, error)) from None
        return cls(db, path)

    @classmethod
    def snapshot(cls, path: Path) -> State:
        """Copy the state into memory for --dry-run and --status: the file is never written."""
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if path.exists() and path.stat().st_size:
            try:
                source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                try:
                    source.backup(memory)
                finally:
                    source.close()
            except sqlite3.DatabaseError as error:
                raise StateError(corrupt(path, error)) from None
        return cls(memory, path)

    @staticmethod
    def blank(path: Path) -> bool:
        """Whether the file is missing or empty: a channel never started, or a state that was lost."""
        try:
            return path.stat().st_size == 0
        except FileNotFoundError:
            return True

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

    # Metadata ---------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """Return a metadata value."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value (inside a transaction)."""
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def delete_meta(self, key: str) -> None:
        """Remove a metadata value (inside a transaction)."""
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))

    @property
    def initialized(self) -> bool:
        """Whether a first run (init) has recorded a baseline."""
        return self.meta("initialized") is not None

    def paused_since(self) -> float | None:
        """When the current run of pauses began (None when the last run was not paused)."""
        value = self.meta("paused_since")
        return float(value) if value else None

    def set_paused(self, paused: bool, now: float) -> None:
        """Start (keeping the first moment) or end a streak of pauses; writes only on a change."""
        since = self.paused_since()
        if paused and since is None:
            with self.transaction():
                self.set_meta("paused_since", repr(now))
        elif not paused and since is not None:
            with self.transaction():
                self.delete_meta("paused_since")

    def token_check(self) -> dict[str, Any] | None:
        """Return the last token check's result, for --status."""
        value = self.meta("token_check")
        return json.loads(value) if value else None

    def set_token_check(self, result: dict[str, Any]) -> None:
        """Record a token check's result."""
        with self.transaction():
            self.set_meta("token_check", json.dumps(result, ensure_ascii=False))

    def feeds_digest(self) -> str | None:
        """Return the digest of the channel's feeds as the last run processed them (see feeds.channel_digests)."""
        return self.meta("feeds_digest")

    def set_feeds_digest(self, value: str) -> None:
        """Record the digest of the feeds just processed; nothing is written when it is the one recorded."""
        if self.meta("feeds_digest") != value:
            with self.transaction():
                self.set_meta("feeds_digest", value)

    # Feeds ------------------------------------------------------------------------------------

    def known_feeds(self) -> dict[str, float]:
        """Return the feeds this channel has read before, with the moment each was first read."""
        return {row[0]: row[1] for row in self.db.execute("SELECT feed, first_read FROM feeds")}

    def add_feeds(self, feeds: Iterable[str], now: float) -> None:
        """Record feeds read for the first time (inside a transaction)."""
        for feed in feeds:
            self.db.execute(
                "INSERT INTO feeds (feed, first_read, last_read) VALUES (?, ?, ?) ON CONFLICT (feed) DO NOTHING",
                (feed, now, now),
            )

    # Items ------------------------------------------------------------------------------------

    def known(self, guids: Iterable[str]) -> set[str]:
        """Which of these guids the state has."""
        return set(self.rows_for(guids))

    def rows_for(self, guids: Iterable[str]) -> dict[str, Row]:
        """Return the rows of these guids, by guid (those the state has)."""
        guids = list(guids)
        found: dict[str, Row] = {}
        for start in range(0, len(guids), 500):
            chunk = guids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT * FROM items WHERE guid IN ({marks})", chunk):
                found[row["guid"]] = _row(row)
        return found

    def get(self, guid: str) -> Row | None:
        """One item's row."""
        row = self.db.execute("SELECT * FROM items WHERE guid = ?", (guid,)).fetchone()
        return _row(row) if row else None

    def rows(self, statuses: Iterable[Status]) -> list[Row]:
        """Rows in these statuses, oldest first."""
        statuses = [str(status) for status in statuses]
        marks = ",".join("?" * len(statuses))
        query = f"SELECT * FROM items WHERE status IN ({marks}) ORDER BY published, guid"
        return [_row(row) for row in self.db.execute(query, statuses)]

    def add(self, item: Item, status: Status, now: float, error: str | None = None) -> None:
        """Record a newly seen item (inside a transaction)."""
        self.db.execute(
            "INSERT INTO items (guid, status, published, title, link, data, first_seen, updated, revision, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.guid,
                str(status),
                item.published,
                item.title,
                item.link,
                item_data(item),
                now,
                now,
                item.revision,
                error,
            ),
        )

    def refresh(self, item: Item, data: str, now: float) -> None:
        """Keep the newest copy of an item not posted yet: ``data`` is its item_data() (inside a transaction)."""
        self.db.execute(
            "UPDATE items SET data = ?, title = ?, link = ?, published = ?, revision = ?, updated = ? WHERE guid = ?",
            (data, item.title, item.link, item.published, item.revision, now, item.guid),
        )

    def set_status(self, guid: str, status: Status, now: float, error: str | None = None) -> None:
        """Change an item's status (inside a transaction)."""
        self.db.execute(
            "UPDATE items SET status = ?, error = COALESCE(?, error), updated = ? WHERE guid = ?",
            (str(status), error, now, guid),
        )

    def doubt(self, guid: str, since: float) -> None:
        """Remember the first moment a send of this item may have posted unseen (inside a transaction)."""
        self.db.execute("UPDATE items SET doubt_since = COALESCE(doubt_since, ?) WHERE guid = ?", (since, guid))

    def begin_send(self, guid: str, now: float | None = None) -> None:
        """Commit the intent to send, before the network call."""
        now = time.time() if now is None else now
        with self.transaction():
            self.db.execute(
                "UPDATE items SET status = ?, attempts = attempts + 1, send_started = ?, "
                "first_send = COALESCE(first_send, ?), updated = ? WHERE guid = ?",
                (str(Status.SENDING), now, now, now, guid),
            )

    def finish_send(
        self, guid: str, status: Status, remote_id: str = "", error: str = "", *, revision: str = "", digest: str = ""
    ) -> None:
        """Commit the outcome, right after the network call (a sent post keeps its revision and digest)."""
        now = time.time()
        sent = status is Status.SENT
        with self.transaction():
            self.db.execute(
                "UPDATE items SET status = ?, sent_at = CASE WHEN ? THEN ? ELSE sent_at END, "
                "remote_id = COALESCE(NULLIF(?, ''), remote_id), error = ?, updated = ?, "
                "posted_revision = CASE WHEN ? THEN ? ELSE posted_revision END, "
                "digest = CASE WHEN ? THEN ? ELSE digest END, "
                "doubt_since = CASE WHEN ? THEN COALESCE(doubt_since, send_started) ELSE doubt_since END "
                "WHERE guid = ?",
                (
                    str(status),
                    sent,
                    now,
                    remote_id,
                    error or None,
                    now,
                    sent,
                    revision,
                    sent,
                    digest,
                    status is Status.UNCERTAIN,
                    guid,
                ),
            )

    def mark_sent(self, guid: str, now: float) -> Status | None:
        """Record by hand that an item is posted (a person checked the channel); its previous status."""
        return self._by_hand(
            guid,
            "UPDATE items SET status = ?, sent_at = COALESCE(sent_at, ?), error = ?, updated = ?, "
            "posted_revision = COALESCE(posted_revision, revision) WHERE guid = ?",
            (str(Status.SENT), now, "marked as sent by hand", now, guid),
        )

    def resend(self, guid: str, now: float) -> Status | None:
        """Queue an item to be posted (again) on the next run, its attempts reset; its previous status."""
        return self._by_hand(
            guid,
            "UPDATE items SET status = ?, attempts = 0, doubt_since = NULL, error = ?, updated = ? WHERE guid = ?",
            (str(Status.PENDING), "to be resent (by hand)", now, guid),
        )

    def _by_hand(self, guid: str, sql: str, values: tuple) -> Status | None:
        """Settle one item as a person said; return its status before (None: no such item)."""
        row = self.get(guid)
        if row is None:
            return None
        with self.transaction():
            self.db.execute(sql, values)
        return row.status

    def set_posted(self, guid: str, item: Item, digest: str, now: float) -> None:
        """After an edit: the post now shows this copy of the item (inside a transaction)."""
        self.db.execute(
            "UPDATE items SET data = ?, title = ?, link = ?, revision = ?, posted_revision = ?, digest = ?, "
            "updated = ? WHERE guid = ?",
            (item_data(item), item.title, item.link, item.revision, item.revision, digest, now, guid),
        )

    def adopt_revision(self, guid: str, revision: str, now: float) -> None:
        """Record that the post shows this revision (nothing it shows changed, or it predates revisions)."""
        self.db.execute(
            "UPDATE items SET posted_revision = ?, revision = ?, updated = ? WHERE guid = ?",
            (revision, revision, now, guid),
        )

    def set_withdrawn(self, guid: str, when: str, now: float) -> None:
        """Note that the site withdrew a posted item (inside a transaction)."""
        self.db.execute("UPDATE items SET withdrawn = ?, updated = ? WHERE guid = ?", (when, now, guid))

    def sent_since(self, since: float) -> int:
        """How many posts went out since this moment (for daily limits)."""
        query = "SELECT COUNT(*) FROM items WHERE status = ? AND sent_at >= ?"
        return self.db.execute(query, (str(Status.SENT), since)).fetchone()[0]

    def counts(self) -> dict[Status, int]:
        """Count the items per status."""
        rows = self.db.execute("SELECT status, COUNT(*) FROM items GROUP BY status").fetchall()
        return {Status(status): count for status, count in rows}

    def last_sent(self) -> float | None:
        """When the channel last posted or changed a post successfully."""
        posted = self.db.execute("SELECT MAX(sent_at) FROM items").fetchone()[0]
        changed = self.db.execute("SELECT MAX(updated) FROM changes WHERE status = ?", (str(Status.SENT),)).fetchone()[
            0
        ]
        return max((value for value in (posted, changed) if value is not None), default=None)

    # Changes of posted items ------------------------------------------------------------------

    def changes(self, statuses: Iterable[Status] = OPEN, guid: str | None = None) -> list[ChangeRow]:
        """Return changes in these statuses (of one item, or all), in the order they were recorded."""
        statuses = [str(status) for status in statuses]
        marks = ",".join("?" * len(statuses))
        query = f"SELECT * FROM changes WHERE status IN ({marks})"
        parameters: list[Any] = list(statuses)
        if guid is not None:
            query += " AND guid = ?"
            parameters.append(guid)
        return [_change(row) for row in self.db.execute(query + " ORDER BY id", parameters)]

    def has_change(self, guid: str, kind: Change, revision: str | None = None) -> bool:
        """Whether a change of this kind (for this revision) was ever recorded for the item."""
        query = "SELECT 1 FROM changes WHERE guid = ? AND kind = ?"
        parameters = [guid, str(kind)]
        if revision is not None:
            query += " AND revision = ?"
            parameters.append(revision)
        return self.db.execute(query, parameters).fetchone() is not None

    def add_change(
        self,
        guid: str,
        kind: Change,
        revision: str,
        now: float,
        *,
        digest: str = "",
        text: str = "",
        status: Status = Status.PENDING,
        error: str | None = None,
    ) -> None:
        """Record a change to make (inside a transaction)."""
        self.db.execute(
            "INSERT INTO changes (guid, kind, status, revision, digest, text, error, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (guid, str(kind), str(status), revision, digest, text, error, now, now),
        )

    def set_change(self, change_id: int, status: Status, now: float, error: str | None = None) -> None:
        """Change a change's status (inside a transaction)."""
        self.db.execute(
            "UPDATE changes SET status = ?, error = COALESCE(?, error), updated = ? WHERE id = ?",
            (str(status), error, now, change_id),
        )

    def begin_change(self, change_id: int, now: float | None = None) -> None:
        """Commit the intent to make a change, before the network call."""
        now = time.time() if now is None else now
        with self.transaction():
            self.db.execute(
                "UPDATE changes SET status = ?, attempts = attempts + 1, send_started = ?, updated = ? WHERE id = ?",
                (str(Status.SENDING), now, now, change_id),
            )

    def finish_change(
        self, change: ChangeRow, status: Status, remote_id: str = "", error: str = "", item: Item | None = None
    ) -> None:
        """Commit a change's outcome right after the call; a made edit updates what the post shows."""
        now = time.time()
        with self.transaction():
            self.db.execute(
                "UPDATE changes SET status = ?, remote_id = COALESCE(NULLIF(?, ''), remote_id), error = ?, "
                "updated = ? WHERE id = ?",
                (str(status), remote_id, error or None, now, change.id),
            )
            if status is Status.SENT and change.kind is Change.EDIT and item is not None:
                self.set_posted(change.guid, item, change.digest, now)

    def change_counts(self) -> dict[Status, int]:
        """Count the changes per status."""
        rows = self.db.execute("SELECT status, COUNT(*) FROM changes GROUP BY status").fetchall()
        return {Status(status): count for status, count in rows}

    # Recovery -----------------------------------------------------------------------------------

    def as_journal(self) -> dict[str, Any]:
        """Return what the journal needs to rebuild this state: feeds, baseline guids, posts."""
        seen = [row[0] for row in self.db.execute("SELECT guid FROM items WHERE status = ?", (str(Status.SEEN),))]
        posts = {
            row["guid"]: {
                "remote_id": row["remote_id"],
                "revision": row["posted_revision"],
                "digest": row["digest"],
                "at": row["sent_at"],
                "withdrawn": row["withdrawn"],
                "item": json.loads(row["data"]),
            }
            for row in self.db.execute("SELECT * FROM items WHERE status = ?", (str(Status.SENT),))
        }
        return {"feeds": self.known_feeds(), "seen": seen, "posts": posts}

    def initialize(self, now: float, how: str = "init") -> None:
        """Mark the baseline recorded (inside a transaction)."""
        self.set_meta("initialized", repr(now))
        self.set_meta("initialized_by", how)

    def restore(self, record: dict[str, Any], now: float) -> None:
        """Rebuild one posted item from the journal (inside a transaction, on a blank state)."""
        item = Item.from_dict(
            record.get("item") or {"guid": record["guid"], "title": "", "link": "", "published": 0.0, "date": ""}
        )
        self.db.execute(
            "INSERT OR REPLACE INTO items (guid, status, published, title, link, data, first_seen, updated, "
            "sent_at, remote_id, revision, posted_revision, digest, withdrawn, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.guid,
                str(Status(record["status"])),
                item.published,
                item.title,
                item.link,
                item_data(item),
                now,
                now,
                record.get("at") if record["status"] == Status.SENT else None,
                record.get("remote_id") or None,
                item.revision,
                record.get("revision"),
                record.get("digest"),
                record.get("withdrawn"),
                "rebuilt from the journal",
            ),
        )


def describe(entry: Item | Row, link: bool = True) -> str:
    """Name an item (as read, or as stored) as people know it, for reports: its guid, «title» and link."""
    named = f"{entry.guid} «{entry.title}»"
    return f"{named} {entry.link}" if link else named


def corrupt(path: Path | None, error: Exception) -> str:
    """Say that SQLite cannot read a state file, and what to do about it."""
    return (
        f"state file {path} is not a SQLite database or is damaged ({error}); this channel was not run. "
        f"Restore it from a backup, or move it aside and rebuild it: "
        f"ratusha-crosspost init --channel {path.stem if path else '…'} --recover"
    )


def item_data(item: Item) -> str:
    """Write the item as the state stores it (the items.data column, an edit's text): JSON, keys sorted."""
    return json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True)


def _row(row: sqlite3.Row) -> Row:
    values = {name: row[name] for name in Row.__dataclass_fields__}
    values["status"] = Status(values["status"])
    return Row(**values)


def _change(row: sqlite3.Row) -> ChangeRow:
    values = {name: row[name] for name in ChangeRow.__dataclass_fields__}
    values["status"], values["kind"] = Status(values["status"]), Change(values["kind"])
    return ChangeRow(**values)
