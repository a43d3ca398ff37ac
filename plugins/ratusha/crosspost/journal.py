"""The journal: an append-only record, apart from the state files, of what each channel has done.

A state file can be lost (deleted, truncated to zero bytes, restored from the wrong backup).
Taken for a first run, a lost state would record every pending item as already published
and never post it. The journal is what survives that loss: one JSON line per event, written
with ``fsync`` after the state's own commit —

- ``init``: the channel was started, with its feeds and the guids recorded as already
  published (its baseline);
- ``feed``: a feed was first read by the channel, with the guids it brought that are not news;
- ``post``: an item was posted (``sent``) or may have been (``uncertain``), with the post's id,
  the item's revision and the digest of what was sent, and the item itself;
- ``change``: an edit, a deletion or a reply of a post was made or refused.

A channel the journal knows is never silently re-initialised: a missing or empty state is a
stop with the command to recover, and ``init --recover`` rebuilds the state from these lines.
Lines are short and appended with ``O_APPEND`` under a lock; a line cut short by a kill is
ignored when the journal is read (it can only be the last one).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ratusha.crosspost.state import Change, Status


@dataclass
class History:
    """What the journal says about one channel."""

    channel: str
    started: float | None = None
    feeds: dict[str, float] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def last_post(self) -> float | None:
        """When the channel last posted, if ever."""
        return max((float(post.get("at") or 0) for post in self.posts.values()), default=None)


class Journal:
    """An append-only JSON-lines file shared by every channel of a configuration."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._histories: dict[str, History] | None = None
        self._batch: list[bytes] | None = None

    def record(self, channel: str, event: str, **fields: Any) -> None:
        """Append one event and make it durable before returning (or at the end of a batch)."""
        entry = {"channel": channel, "event": event, **fields}
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with self._lock:
            if self._histories is not None:
                _apply(self._histories, entry)
            if self._batch is not None:
                self._batch.append(line)
                return
            self._append(line)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Write the events of a block in one go, with one fsync (``init`` of hundreds of channels).

        Safe because the journal only ever lags the states: a state committed whose
        ``init`` line was lost is adopted into the journal by its next run.
        """
        with self._lock:
            self._batch = []
        try:
            yield
        finally:
            with self._lock:
                lines, self._batch = self._batch or [], None
                if lines:
                    self._append(b"".join(lines))

    def _append(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def history(self, channel: str) -> History | None:
        """Return the channel's history, or None if the journal has never heard of it."""
        with self._lock:
            if self._histories is None:
                self._histories = self._load()
            return self._histories.get(channel)

    def _load(self) -> dict[str, History]:
        histories: dict[str, History] = {}
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return histories
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the tail of a write cut short by a kill
            if isinstance(entry, dict) and "channel" in entry:
                _apply(histories, entry)
        return histories


def _apply(histories: dict[str, History], entry: dict[str, Any]) -> None:
    history = histories.setdefault(entry["channel"], History(entry["channel"]))
    event = entry.get("event")
    if event == "init":
        history.started = history.started or float(entry.get("at") or 0)
        for feed, first in (entry.get("feeds") or {}).items():
            history.feeds.setdefault(feed, float(first))
        history.seen.update(entry.get("seen") or [])
        for guid, post in (entry.get("posts") or {}).items():
            history.posts.setdefault(guid, {"status": str(Status.SENT), **post})
    elif event == "feed":
        history.feeds.setdefault(entry["feed"], float(entry.get("at") or 0))
        history.seen.update(entry.get("seen") or [])
    elif event == "post":
        history.posts[entry["guid"]] = {
            key: entry.get(key) for key in ("status", "remote_id", "revision", "digest", "at", "item")
        }
    elif event == "change" and entry["guid"] in history.posts:
        post = history.posts[entry["guid"]]
        if entry.get("kind") == Change.EDIT and entry.get("status") == Status.SENT:
            post.update(
                revision=entry.get("revision"), digest=entry.get("digest"), item=entry.get("item") or post.get("item")
            )
        elif entry.get("kind") in (Change.DELETE, Change.REPLY, "withdrawn"):  # "withdrawn": on_withdraw: ignore
            post["withdrawn"] = entry.get("withdrawn")
