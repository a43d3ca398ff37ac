"""What every network's poster shares: outcomes, stops, and the retry loop's building blocks.

A poster turns an item into the exact request its API expects (:meth:`Poster.prepare`,
also what ``--dry-run`` prints) and sends it (:meth:`Poster.send`) with one of three
outcomes: sent, failed (the API said no: nothing was posted, try again next run) or
uncertain (sent, but no answer: it may or may not be posted). Errors that no retry can
fix (a bad token, a captcha) raise :class:`HardStop`; limits that last longer than a run
may wait raise :class:`Pause`. Both are raised only when the API *answered* that it did
not post, so the engine can put the item back as pending without any risk of a duplicate.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ratusha.crosspost.config import Channel
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.http import SECRETS


class Outcome(StrEnum):
    """How a send ended."""

    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass
class Request:
    """One API call as it goes over the wire, minus the secrets (added when sent)."""

    method: str
    params: dict[str, str]
    note: str = ""

    def show(self) -> str:
        """Render readably and without secrets, for --dry-run and logs."""
        lines = [f"{self.method}" + (f"  ({self.note})" if self.note else "")]
        for key, value in self.params.items():
            value = SECRETS.redact(value)
            if "\n" in value:
                lines.append(f"  {key}: |")
                lines.extend(f"    {line}" for line in value.split("\n"))
            else:
                lines.append(f"  {key}: {value}")
        return "\n".join(lines)


@dataclass
class Result:
    """A send's outcome, with the network's id of the new post when there is one."""

    outcome: Outcome
    remote_id: str = ""
    error: str = ""
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.error = SECRETS.redact(self.error)


class HardStop(Exception):
    """Stop this channel now (auth, captcha, wrong chat): a person must act. Nothing was posted."""

    def __init__(self, message: str) -> None:
        super().__init__(SECRETS.redact(message))


class Pause(Exception):
    """Stop this channel until a later run (daily limit, long rate limit, outage). Nothing was posted.

    The rest of the queue waits too, so that posts keep their order. ``failure`` says the
    cause was a fault (the API down, rate limits that would not end), reported with exit 1,
    rather than a limit working as intended (exit 0).
    """

    def __init__(self, message: str, failure: bool = False) -> None:
        super().__init__(SECRETS.redact(message))
        self.failure = failure


class Poster:
    """Base class: one instance per channel and run."""

    network = ""

    def __init__(
        self,
        channel: Channel,
        secrets: dict[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.channel = channel
        self.secrets = secrets or {}
        self.sleep = sleep

    def prepare(self, item: Item, key: str) -> Request:
        """Build the request that would post ``item``; ``key`` is the item's idempotency key."""
        raise NotImplementedError

    def send(self, item: Item, key: str) -> Result:
        """Post ``item`` once, retrying only what certainly was not posted."""
        raise NotImplementedError

    def wait(self, seconds: float, why: str) -> None:
        """Sleep for a rate limit, or pause the channel if the wait is longer than max_wait."""
        if seconds > self.channel.max_wait:
            raise Pause(f"{why}: asked to wait {seconds:g} s, more than max_wait {self.channel.max_wait:g} s")
        self.sleep(seconds)


def json_or_none(value: Any) -> dict | None:
    """Return the value if it is a JSON object, else None."""
    return value if isinstance(value, dict) else None
