"""One run for one channel: read its feeds, update its state, post what is new, oldest first.

The order of work is chosen so that every step can be interrupted:

1. Read all the channel's feeds. Any failure (unreadable, bozo, empty) ends the channel's
   run before the state is touched.
2. In one transaction: on the first run record every item as ``seen`` (no flood of old
   news); later, record new guids as ``pending`` (or ``skipped`` when marked
   ``crosspost: no``), turn a crash's leftover ``sending`` row into ``pending`` or
   ``uncertain`` by the ``after_crash`` policy, and notice items that left the feeds.
3. Post the pending items one at a time, oldest first: commit ``sending``, call the API,
   commit the outcome. A crash between the commits leaves one ``sending`` row: resent
   once (at most one duplicate; none on VK, whose ``guid`` drops the repeat) or reported.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from ratusha.crosspost.config import Channel
from ratusha.crosspost.feeds import FeedError, Item, merge, read_channel_feeds
from ratusha.crosspost.poster import HardStop, Outcome, Pause, Poster
from ratusha.crosspost.state import TO_POST, State

log = logging.getLogger("crosspost")
DAY = 86_400


@dataclass
class Report:
    """What one channel's run did, for the summary and the exit code."""

    channel: str
    network: str
    posted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    deferred: int = 0
    baseline: int = 0
    feed_error: str = ""
    paused: str = ""
    interrupted: bool = False
    hard_stop: str = ""

    @property
    def exit_code(self) -> int:
        """2 for a hard stop, 1 if anything failed or needs a person, else 0."""
        if self.hard_stop:
            return 2
        return 1 if self.feed_error or self.failed or self.uncertain or self.missed or self.interrupted else 0

    def summary(self) -> str:
        """One line: the counts per outcome."""
        parts = [
            f"posted {len(self.posted)}",
            f"skipped {len(self.skipped)}",
            f"failed {len(self.failed)}",
            f"uncertain {len(self.uncertain)}",
            f"missed {len(self.missed)}",
            f"deferred {self.deferred}",
        ]
        if self.baseline:
            parts.append(f"recorded as already published {self.baseline}")
        line = f"{self.channel} ({self.network}): " + ", ".join(parts)
        if self.hard_stop:
            line += f"\n  STOPPED: {self.hard_stop}"
        if self.feed_error:
            line += f"\n  feeds not read, state unchanged: {self.feed_error}"
        if self.paused:
            line += f"\n  paused until a later run: {self.paused}"
        for title, entries in (
            ("failed", self.failed),
            ("uncertain (check the channel; then --mark-sent or --resend)", self.uncertain),
            ("missed", self.missed),
            ("posted late, from the stored copy", self.late),
            ("withdrawn from the site before posting, not posted", self.withdrawn),
        ):
            line += "".join(f"\n  {title}: {entry}" for entry in entries)
        return line


def describe(item: Item) -> str:
    """Name an item as people know it, for reports."""
    return f"{item.guid} «{item.title}» {item.link}"


def run_channel(
    channel: Channel,
    feeds_base: str,
    state: State,
    poster: Poster,
    *,
    dry_run: bool = False,
    out: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> Report:
    """Run one channel; never raises for feed, API or limit problems (they go in the report)."""
    report = Report(channel.name, channel.network)
    try:
        by_feed = read_channel_feeds(feeds_base, channel.feeds, channel.timeout)
    except FeedError as error:
        report.feed_error = str(error)
        log.error("[%s] %s; the state was not changed", channel.name, error)
        return report
    items = merge(by_feed)
    current = {item.guid: item for item in items}
    if not state.initialized:
        _baseline(state, channel, items, report, now=clock(), dry_run=dry_run)
        if dry_run and out:
            print(
                f"[{channel.name}] first run: would record {report.baseline} items as already published "
                "and post nothing",
                file=out,
            )
        return report
    _update(state, channel, by_feed, items, report, now=clock())
    _post(state, channel, current, poster, report, dry_run=dry_run, out=out, sleep=sleep, clock=clock)
    report.uncertain = [f"{row.guid} «{row.title}» {row.link}: {row.error}" for row in state.rows(["uncertain"])]
    failed_now = {entry.split(" ", 1)[0] for entry in report.failed}
    report.failed += [
        f"{row.guid} «{row.title}»: gave up after {row.attempts} attempts: {row.error}"
        for row in state.rows(["failed"])
        if row.attempts >= channel.max_attempts and row.guid not in failed_now
    ]
    return report


def _baseline(state: State, channel: Channel, items: list[Item], report: Report, *, now: float, dry_run: bool) -> None:
    with state.transaction():
        known = state.known(item.guid for item in items)
        for item in items:
            if item.guid not in known:
                state.add(item, "seen", now)
                report.baseline += 1
        state.touch_feeds(channel.feeds, now)
        state.set_meta("initialized", datetime.fromtimestamp(now, UTC).isoformat())
    if not dry_run:
        log.warning(
            "[%s] first run: %d items recorded as already published; nothing posted", channel.name, report.baseline
        )


def _update(
    state: State, channel: Channel, by_feed: dict[str, list[Item]], items: list[Item], report: Report, *, now: float
) -> None:
    current = {item.guid for item in items}
    with state.transaction():
        known_feeds = state.known_feeds()
        known = state.known(current)
        for feed, feed_items in by_feed.items():
            if feed in known_feeds and not any(item.guid in known for item in feed_items):
                oldest = min(feed_items, key=lambda item: item.published)
                report.missed.append(
                    f"{feed}: none of its {len(feed_items)} items was seen before, so items published before "
                    f"{oldest.date} may have left the feed unseen (run more often or raise RATUSHA_FEED_LIMIT)"
                )
        for item in items:
            if item.guid in known:
                row = state.get(item.guid)
                if row and row.status in TO_POST and not item.crosspost:
                    state.set_status(item.guid, "skipped", now, "marked crosspost: no")
                    report.skipped.append(describe(item))
                else:
                    state.refresh(item, now)
            elif not any(feed in known_feeds for feed in item.feeds):
                state.add(item, "seen", now)  # only in a feed new to this channel: not news
                report.baseline += 1
            elif not item.crosspost:
                state.add(item, "skipped", now)
                report.skipped.append(describe(item))
            else:
                state.add(item, "pending", now)
        state.touch_feeds(by_feed, now)
        for row in state.rows(["sending"]):
            if channel.after_crash == "resend":
                log.warning("[%s] %s was being sent when a run stopped; sending it again", channel.name, row.guid)
                state.set_status(row.guid, "pending", now, "resent after an interrupted run")
            else:
                state.set_status(row.guid, "uncertain", now, "a run stopped while sending it")
        if channel.on_timeout == "resend":
            for row in state.rows(["uncertain"]):
                if row.attempts < channel.max_attempts:
                    state.set_status(row.guid, "pending", now)
        for row in state.rows(TO_POST):
            if row.guid in current:
                continue
            stored = row.item
            read = [feed for feed in stored.feeds if feed in by_feed]
            if not read:
                continue  # its feed was not read this run: nothing can be said about it
            if any(min(item.published for item in by_feed[feed]) <= stored.published for feed in read):
                # Newer and older items are still listed: it was taken off the site.
                state.set_status(row.guid, "withdrawn", now, "no longer in its feed")
                report.withdrawn.append(describe(stored))
            else:
                report.late.append(describe(stored))


def _post(
    state: State,
    channel: Channel,
    current: dict[str, Item],
    poster: Poster,
    report: Report,
    *,
    dry_run: bool,
    out: TextIO | None,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> None:
    queue = [row for row in state.rows(TO_POST) if row.status == "pending" or row.attempts < channel.max_attempts]
    daily_limit = int(channel.options.get("daily_limit") or 0)
    last_send = 0.0
    for index, row in enumerate(queue):
        item = current.get(row.guid) or row.item
        if daily_limit and state.sent_since(clock() - DAY) >= daily_limit:
            report.paused = f"{daily_limit} posts in the last 24 hours (daily_limit)"
            report.deferred = len(queue) - index
            break
        if dry_run:
            request = poster.prepare(item, "")
            if out:
                print(f"[{channel.name}] would post {describe(item)}\n{_indent(request.show())}", file=out)
            state.finish_send(row.guid, "sent")
            report.posted.append(describe(item))
            continue
        if last_send and channel.min_interval:
            sleep(max(0.0, channel.min_interval - (time.monotonic() - last_send)))
        state.begin_send(row.guid)
        try:
            result = poster.send(item, "")
        except Pause as pause:
            state.finish_send(row.guid, row.status, error=str(pause))
            report.paused = str(pause)
            report.interrupted = pause.failure
            report.deferred = len(queue) - index
            log.warning("[%s] paused: %s", channel.name, pause)
            break
        except HardStop as stop:
            state.finish_send(row.guid, row.status, error=str(stop))
            report.hard_stop = str(stop)
            report.deferred = len(queue) - index
            log.error("[%s] stopped: %s", channel.name, stop)
            break
        except Exception as error:
            # A bug, not an API answer: the request may have gone out.
            state.finish_send(row.guid, "uncertain", error=f"internal error: {error!r}")
            raise
        last_send = time.monotonic()
        state.finish_send(row.guid, result.outcome.value, result.remote_id, result.error)
        if result.outcome is Outcome.SENT:
            report.posted.append(describe(item))
            log.info("[%s] posted %s as %s", channel.name, describe(item), result.remote_id)
        elif result.outcome is Outcome.FAILED:
            report.failed.append(f"{row.guid} «{row.title}»: {result.error}")
            log.error("[%s] failed %s: %s", channel.name, describe(item), result.error)
        else:
            log.error("[%s] uncertain %s: %s", channel.name, describe(item), result.error)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.split("\n"))
