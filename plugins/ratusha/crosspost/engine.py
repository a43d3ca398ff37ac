"""One run for one channel: read its feeds, update its state, correct what changed, post what is new.

The order of work is chosen so that every step can be interrupted:

1. Read all the channel's feeds (each feed once per run, shared by the channels that take
   it). Any failure (unreadable, bozo, empty) ends the channel's run before the state is
   touched.
2. Decide, reading the state, what changed: new guids become ``pending`` (or ``skipped``
   when marked ``crosspost: no``, ``withdrawn`` when the site withdrew them first); a
   crash's leftover ``sending`` row becomes ``pending`` or ``uncertain`` by the
   ``after_crash`` policy and, on VK, the ``guid_window``; a pending item that left its
   feed is held back and posted if it comes back; a posted item whose revision changed
   gets an edit, one withdrawn from the site a deletion or a reply. All of it is written in
   one transaction — and nothing is written when nothing changed, so a quiet run of
   hundreds of channels costs no disk flush.
3. Make the changes, then post the pending items one at a time, oldest first: commit
   ``sending``, call the API, commit the outcome. A crash between the commits leaves one
   ``sending`` row per channel: resent once (at most one duplicate; none on VK within its
   guid window) or reported. The first call of a run checks the token (once per token).

A channel is started explicitly (:func:`initialise`): its first run records every item
already in its feeds as published and posts nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from ratusha.crosspost import format as fmt
from ratusha.crosspost.config import Channel
from ratusha.crosspost.feeds import FeedError, FeedReader, Item, channel_digests, merge, read_channel_feeds
from ratusha.crosspost.journal import History, Journal
from ratusha.crosspost.poster import HardStop, Pause, Poster
from ratusha.crosspost.state import ACTIVE, OPEN, TO_POST, Change, ChangeRow, Row, State, Status, describe, item_data

log = logging.getLogger("crosspost")
DAY = 86_400
#: Rows whose stored copy follows the feed (not posted yet).
REFRESHED = (*TO_POST, Status.WITHDRAWN, Status.SKIPPED)


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
    returned: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    replied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    deferred: int = 0
    baseline: int = 0
    feed_error: str = ""
    paused: str = ""
    stuck: str = ""
    interrupted: bool = False
    hard_stop: str = ""
    token: str = ""

    @property
    def exit_code(self) -> int:
        """2 for a hard stop, 1 if anything failed or needs a person, else 0."""
        if self.hard_stop:
            return 2
        needs_a_look = (
            self.feed_error,
            self.failed,
            self.uncertain,
            self.missed,
            self.interrupted,
            self.stuck,
            self.refused,
        )
        return 1 if any(needs_a_look) else 0

    @property
    def quiet(self) -> bool:
        """Nothing happened and nothing is wrong: left out of the summary's lines."""
        counts = (self.posted, self.skipped, self.withdrawn, self.returned, self.edited, self.deleted)
        return not (any(counts) or self.replied or self.left or self.deferred or self.baseline or self.paused) and (
            self.exit_code == 0
        )

    def problem(self) -> str:
        """Say the main reason for a non-zero exit in a few words."""
        if self.hard_stop:
            return f"stopped: {self.hard_stop}"
        for label, value in (
            ("feeds not read", self.feed_error),
            ("paused for more than a day", self.stuck),
            ("API unreachable or failing", self.interrupted),
        ):
            if value:
                return label
        parts = [
            f"{len(entries)} {label}"
            for label, entries in (
                ("failed", self.failed),
                ("uncertain", self.uncertain),
                ("missed", self.missed),
                ("refused", self.refused),
            )
            if entries
        ]
        return ", ".join(parts)

    def summary(self) -> str:
        """One line of counts, then one line per thing a person should know."""
        parts = [
            f"posted {len(self.posted)}",
            f"skipped {len(self.skipped)}",
            f"failed {len(self.failed)}",
            f"uncertain {len(self.uncertain)}",
            f"missed {len(self.missed)}",
            f"deferred {self.deferred}",
        ]
        for label, entries in (
            ("edited", self.edited),
            ("deleted", self.deleted),
            ("replied", self.replied),
            ("refused", self.refused),
        ):
            if entries:
                parts.append(f"{label} {len(entries)}")
        if self.baseline:
            parts.append(f"recorded as already published {self.baseline}")
        line = f"{self.channel} ({self.network}): " + ", ".join(parts)
        if self.hard_stop:
            line += f"\n  STOPPED: {self.hard_stop}"
        if self.feed_error:
            line += f"\n  feeds not read, state unchanged: {self.feed_error}"
        if self.stuck:
            line += f"\n  {self.stuck}"
        elif self.paused:
            line += f"\n  paused until a later run: {self.paused}"
        for title, entries in (
            ("failed", self.failed),
            ("uncertain (check the channel; then --mark-sent or --resend)", self.uncertain),
            ("missed", self.missed),
            ("posted late, from the stored copy", self.late),
            ("withdrawn from the site before posting, not posted", self.withdrawn),
            ("back in its feed, to be posted", self.returned),
            ("post edited after a correction", self.edited),
            ("post deleted after a withdrawal", self.deleted),
            ("withdrawal notice replied under the post", self.replied),
            ("withdrawn from the site, post left as is (on_withdraw: ignore)", self.left),
            ("REFUSED by the network, not retried", self.refused),
        ):
            line += "".join(f"\n  {title}: {entry}" for entry in entries)
        return line


def digest(poster: Poster, item: Item) -> str:
    """Digest the post as this channel would send it now: what an edit compares."""
    request = poster.prepare(item, "")
    return hashlib.sha256(json.dumps([request.method, request.params], sort_keys=True).encode()).hexdigest()[:16]


def withdrawal_notice(item: Item) -> str:
    """Write the reply under a withdrawn item's post: «Материал отозван <date>: <reason>» and the link."""
    date = fmt.russian_date(item.withdrawn) or item.withdrawn
    reason = f": {item.withdrawn_reason}" if item.withdrawn_reason else "."
    return f"Материал отозван {date}{reason}\n{item.link}".strip()


class TokenGate:
    """Each distinct token checked once per run, before its first call; the outcome shared by its channels."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._outcomes: dict[tuple, Any] = {}

    def check(self, poster: Poster, state: State, clock: Callable[[], float] = time.time) -> str:
        """Return who the token is; raise HardStop or Pause as the check did (then or earlier this run)."""
        key = (poster.network, poster.channel.api_base, tuple(sorted(poster.secrets.items())))
        with self._lock:
            if key not in self._outcomes:
                try:
                    self._outcomes[key] = poster.check_token()
                except (HardStop, Pause) as error:
                    self._outcomes[key] = error
        outcome = self._outcomes[key]
        if isinstance(outcome, HardStop):
            state.set_token_check({"at": clock(), "ok": False, "error": str(outcome)})
            raise outcome
        if isinstance(outcome, Pause):
            raise outcome
        who = " ".join(part for part in (outcome.kind, outcome.name, outcome.detail) if part)
        state.set_token_check({"at": clock(), "ok": True, "who": who})
        return who


@dataclass
class Context:
    """What a run of one channel shares between its steps."""

    channel: Channel
    state: State
    poster: Poster
    report: Report
    dry_run: bool
    out: TextIO | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    tokens: TokenGate | None
    journal: Journal | None
    checked: bool = False
    last_call: float = 0.0

    def before_call(self) -> None:
        """Check the token before the run's first call; keep min_interval between calls."""
        if not self.checked and self.tokens is not None:
            self.report.token = self.tokens.check(self.poster, self.state, self.clock)
            self.checked = True
        if self.last_call and self.channel.min_interval:
            self.sleep(max(0.0, self.channel.min_interval - (time.monotonic() - self.last_call)))

    def after_call(self) -> None:
        """Remember when the last call ended, for pacing."""
        self.last_call = time.monotonic()

    def note(self, event: str, **fields: Any) -> None:
        """Append to the journal (not in a dry run)."""
        if self.journal is not None and not self.dry_run:
            self.journal.record(self.channel.name, event, at=self.clock(), **fields)


def unchanged(state: State, seen: str) -> bool:
    """Whether a run can have nothing to do: the feeds are those last processed, and nothing is in play.

    Everything a run decides follows from the feeds and the rows in play (to post, being
    sent, uncertain, failed; changes still to make; a pause): with the same bytes and none
    of those, the last run already decided all of it, so this one need not parse a feed.
    """
    return (
        state.feeds_digest() == seen
        and not state.rows(ACTIVE)
        and not state.changes(OPEN)
        and state.paused_since() is None
    )


def initialise(
    channel: Channel,
    feeds_base: str,
    state: State,
    *,
    reader: FeedReader,
    journal: Journal | None = None,
    clock: Callable[[], float] = time.time,
    history: History | None = None,
) -> Report:
    """Start a channel: record every current item as already published, or rebuild from the journal.

    With ``history`` (``init --recover``) the journal's posts are restored as posted (with
    their ids, so corrections still reach them), the guids of its baselines as already
    published, and every other item of the feeds is pending: it came after the channel
    started and was never posted.
    """
    report = Report(channel.name, channel.network)
    try:
        seen_bytes = channel_digests(feeds_base, channel.feeds, channel.timeout, reader)
        by_feed = read_channel_feeds(feeds_base, channel.feeds, channel.timeout, reader)
    except FeedError as error:
        report.feed_error = str(error)
        return report
    now = clock()
    items = merge(by_feed)
    with state.transaction():
        known = state.known(item.guid for item in items)
        started = history.feeds if history else {}
        if history:
            for guid, record in history.posts.items():
                state.restore({"guid": guid, **record}, now)
            known |= set(history.posts)
        seen = []
        for item in items:
            if item.guid in known:
                continue
            new_feed = not any(feed in started for feed in item.feeds)
            if history and item.guid not in history.seen and not new_feed:
                status = Status.WITHDRAWN if item.withdrawn else Status.PENDING if item.crosspost else Status.SKIPPED
                state.add(item, status, now, "rebuilt from the journal: not posted before the state was lost")
            else:
                state.add(item, Status.SEEN, now)
                seen.append(item.guid)
                report.baseline += 1
        state.add_feeds(started, now)
        state.add_feeds(by_feed, now)
        state.initialize(now, "recover" if history else "init")
    state.set_feeds_digest(seen_bytes)
    if journal is not None and history is None:
        journal.record(channel.name, "init", at=now, feeds=dict.fromkeys(by_feed, now), seen=seen)
    elif journal is not None and seen:
        journal.record(channel.name, "feed", at=now, feed="", seen=seen)
    return report


def run_channel(
    channel: Channel,
    feeds_base: str,
    state: State,
    poster: Poster,
    *,
    reader: FeedReader,
    dry_run: bool = False,
    out: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    tokens: TokenGate | None = None,
    journal: Journal | None = None,
) -> Report:
    """Run one initialised channel; never raises for feed, API or limit problems (they go in the report)."""
    report = Report(channel.name, channel.network)
    try:
        seen_bytes = channel_digests(feeds_base, channel.feeds, channel.timeout, reader)
        if not dry_run and unchanged(state, seen_bytes):
            return report  # nothing new and nothing in play: no feed parsed, nothing written
        by_feed = read_channel_feeds(feeds_base, channel.feeds, channel.timeout, reader)
    except FeedError as error:
        report.feed_error = str(error)
        log.error("[%s] %s; the state was not changed", channel.name, error)
        return report
    context = Context(channel, state, poster, report, dry_run, out, sleep, clock, tokens, journal)
    items = merge(by_feed)
    current = {item.guid: item for item in items}
    # Every query a quiet run needs is made once: the items in play, then the open changes.
    active = state.rows(ACTIVE)
    acted = False
    try:
        if _update(context, by_feed, items, active):
            active = state.rows(ACTIVE)
        changes = state.changes(OPEN)
        if changes:
            acted = True
            stopped = _changes(context, current, changes)
        else:
            stopped = False
        queue = [row for row in active if row.status in TO_POST]
        if queue and not stopped:
            acted = True
            _post(context, current, queue)
    except HardStop as stop:  # from the token check
        report.hard_stop = str(stop)
        log.error("[%s] stopped: %s", channel.name, stop)
    except Pause as pause:  # the token check could not reach the API
        _paused(context, pause, len([row for row in active if row.status in TO_POST]))
    if acted:
        active = state.rows(ACTIVE)
    report.uncertain += [f"{describe(row)}: {row.error}" for row in active if row.status is Status.UNCERTAIN]
    failed_now = {entry.split(" ", 1)[0] for entry in report.failed}
    report.failed += [
        f"{describe(row, link=False)}: gave up after {row.attempts} attempts: {row.error}"
        for row in active
        if row.status is Status.FAILED and row.attempts >= channel.max_attempts and row.guid not in failed_now
    ]
    if not dry_run:
        now = clock()
        since = state.paused_since()
        if bool(report.paused) != (since is not None):
            state.set_paused(bool(report.paused), now)
            since = state.paused_since()
        if report.paused and since is not None and now - since > DAY:
            began = datetime.fromtimestamp(since, UTC).isoformat(timespec="minutes")
            report.stuck = f"paused for more than a day (since {began}), nothing posted meanwhile: {report.paused}"
        state.set_feeds_digest(seen_bytes)
    return report


def _paused(context: Context, pause: Pause, waiting: int) -> None:
    context.report.paused = str(pause)
    context.report.interrupted = context.report.interrupted or pause.failure
    context.report.deferred = waiting
    log.warning("[%s] paused: %s", context.channel.name, pause)


# Step 2: what changed ----------------------------------------------------------------------------


def _update(  # noqa: PLR0915 - one list of decisions, read top to bottom
    context: Context, by_feed: dict[str, list[Item]], items: list[Item], active: list[Row]
) -> bool:
    """Record what the feeds say; return whether anything was written."""
    channel, state, report, now = context.channel, context.state, context.report, context.clock()
    known_feeds = state.known_feeds()
    rows = state.rows_for(item.guid for item in items)
    writes: list[Callable[[], None]] = []
    baseline: dict[str, list[str]] = {}

    def write(function: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        writes.append(lambda: function(*args, **kwargs))

    for feed, feed_items in by_feed.items():
        if feed in known_feeds and not any(item.guid in rows for item in feed_items):
            oldest = min(feed_items, key=lambda item: item.published)
            report.missed.append(
                f"{feed}: none of its {len(feed_items)} items was seen before, so items published before "
                f"{oldest.date} may have left the feed unseen (run more often or raise RATUSHA_FEED_LIMIT)"
            )
    for item in items:
        row = rows.get(item.guid)
        if row is None:
            if not any(feed in known_feeds for feed in item.feeds):
                write(state.add, item, Status.SEEN, now)  # only in a feed new to this channel: not news
                report.baseline += 1
                baseline.setdefault(item.feeds[0], []).append(item.guid)
            elif item.withdrawn:
                write(state.add, item, Status.WITHDRAWN, now, _why_withdrawn(item))
                report.withdrawn.append(describe(item))
            elif not item.crosspost:
                write(state.add, item, Status.SKIPPED, now)
                report.skipped.append(describe(item))
            else:
                write(state.add, item, Status.PENDING, now)
            continue
        if row.status in TO_POST:
            if item.withdrawn:
                write(state.set_status, item.guid, Status.WITHDRAWN, now, _why_withdrawn(item))
                report.withdrawn.append(describe(item))
            elif not item.crosspost:
                write(state.set_status, item.guid, Status.SKIPPED, now, "marked crosspost: no")
                report.skipped.append(describe(item))
        elif row.status is Status.WITHDRAWN and not item.withdrawn and item.crosspost:
            # Back in its feed, no longer withdrawn: it was never posted, so it is news again.
            write(state.set_status, item.guid, Status.PENDING, now, "back in its feed")
            report.returned.append(describe(item))
        elif row.status is Status.SENT:
            _corrected(context, row, item, write, now)
        if row.status in REFRESHED:
            data = item_data(item)
            if data != row.data:  # a quiet run writes nothing
                write(state.refresh, item, data, now)
    new_feeds = [feed for feed in by_feed if feed not in known_feeds]
    if new_feeds:
        write(state.add_feeds, new_feeds, now)
    window = channel.options.get("guid_window")
    for row in [row for row in active if row.status is Status.SENDING]:
        started = row.send_started or now
        since = row.doubt_since or started
        write(state.doubt, row.guid, started)
        if window is not None and now - since > window:
            write(
                state.set_status,
                row.guid,
                Status.UNCERTAIN,
                now,
                f"a run stopped while sending it {now - since:.0f} s ago, more than guid_window ({window:g} s): "
                f"{channel.network} may no longer drop a repeat, so it is not resent",
            )
        elif channel.after_crash == "resend":
            log.warning("[%s] %s was being sent when a run stopped; sending it again", channel.name, row.guid)
            write(state.set_status, row.guid, Status.PENDING, now, "resent after an interrupted run")
        else:
            write(state.set_status, row.guid, Status.UNCERTAIN, now, "a run stopped while sending it")
    if channel.on_timeout == "resend":
        for row in [row for row in active if row.status is Status.UNCERTAIN]:
            inside = window is None or now - (row.doubt_since or row.send_started or now) <= window
            if row.attempts < channel.max_attempts and inside:
                write(state.set_status, row.guid, Status.PENDING, now)
    current = {item.guid for item in items}
    for row in [row for row in active if row.status in TO_POST]:
        if row.guid in current:
            continue
        stored = row.item
        read_feeds = [feed for feed in stored.feeds if feed in by_feed]
        if not read_feeds:
            continue  # its feed was not read this run: nothing can be said about it
        if any(min(item.published for item in by_feed[feed]) <= stored.published for feed in read_feeds):
            # Newer and older items are still listed: it was taken off the site. Held back,
            # not forgotten: if it comes back, it is posted.
            write(state.set_status, row.guid, Status.WITHDRAWN, now, "no longer in its feed")
            report.withdrawn.append(describe(stored))
        else:
            report.late.append(describe(stored))
    if writes:  # a quiet run writes nothing: no transaction, no disk flush
        with state.transaction():
            for function in writes:
                function()
    for feed in new_feeds:
        context.note("feed", feed=feed, seen=baseline.get(feed, []))
    return bool(writes)


def _why_withdrawn(item: Item) -> str:
    reason = f": {item.withdrawn_reason}" if item.withdrawn_reason else ""
    return f"withdrawn from the site {item.withdrawn}{reason}"


def _corrected(context: Context, row: Row, item: Item, write: Callable[..., None], now: float) -> None:
    """Plan a posted item's change: withdrawn → deletion or reply; corrected → an edit if the post changes."""
    state, report = context.state, context.report
    if row.withdrawn:
        return  # already dealt with
    if item.withdrawn:
        write(state.set_withdrawn, row.guid, item.withdrawn, now)
        for change in state.changes(OPEN, row.guid):
            write(state.set_change, change.id, Status.SKIPPED, now, "the item was withdrawn")
        policy = context.channel.on_withdraw
        if policy == "delete":
            write(state.add_change, row.guid, Change.DELETE, item.revision, now)
        elif policy == "reply":
            write(state.add_change, row.guid, Change.REPLY, item.revision, now, text=withdrawal_notice(item))
        else:
            report.left.append(describe(item))
            context.note(
                "change", guid=row.guid, kind="withdrawn", status=str(Status.SKIPPED), withdrawn=item.withdrawn
            )
        return
    if not item.revision or item.revision == row.posted_revision:
        return
    if not row.posted_revision:
        # Posted before the feed carried revisions (or before schema 2): this is its baseline.
        write(state.adopt_revision, row.guid, item.revision, now)
        return
    if state.has_change(row.guid, Change.EDIT, item.revision):
        return
    new = digest(context.poster, item)
    old = row.digest or digest(context.poster, row.item)
    if new == old:  # corrected where the post shows nothing of it (the body, say)
        write(state.adopt_revision, row.guid, item.revision, now)
        return
    for change in state.changes(OPEN, row.guid):
        if change.kind is Change.EDIT:
            write(state.set_change, change.id, Status.SKIPPED, now, "superseded by a later correction")
    write(state.add_change, row.guid, Change.EDIT, item.revision, now, digest=new, text=item_data(item))


# Step 3a: edits, deletions, replies --------------------------------------------------------------


def _changes(context: Context, current: dict[str, Item], pending: list[ChangeRow]) -> bool:  # noqa: PLR0915
    """Make the open changes, oldest first; return True if the channel stopped or paused."""
    channel, state, report, poster = context.channel, context.state, context.report, context.poster
    for index, change in enumerate(pending):
        row = state.get(change.guid)
        if row is None or row.remote_id is None:
            state_now = context.clock()
            with state.transaction():
                state.set_change(change.id, Status.REFUSED, state_now, "the post's id is not known")
            report.refused.append(f"{change.kind} {change.guid}: the post's id is not known")
            continue
        if not _due(context, change):
            if change.kind is Change.REPLY and change.status in (Status.UNCERTAIN, Status.SENDING):
                report.uncertain.append(
                    f"reply under {describe(row)}: {change.error or 'a run stopped while replying'}"
                )
            continue
        refusal = _refusal(context, change, row)
        if refusal:
            if not context.dry_run:
                with state.transaction():
                    state.set_change(change.id, Status.REFUSED, context.clock(), refusal)
                context.note(
                    "change",
                    guid=change.guid,
                    kind=str(change.kind),
                    status=str(Status.REFUSED),
                    withdrawn=row.withdrawn,
                )
            report.refused.append(f"{change.kind} of {describe(row)}: {refusal}")
            continue
        item = (
            Item.from_dict(json.loads(change.text)) if change.kind is Change.EDIT else current.get(row.guid, row.item)
        )
        if context.dry_run:
            if context.out:
                what = {Change.EDIT: "edit", Change.DELETE: "delete", Change.REPLY: "reply under"}[change.kind]
                print(f"[{channel.name}] would {what} the post {row.remote_id} of {describe(row)}", file=context.out)
            _count(report, change, row)
            continue
        context.before_call()  # HardStop / Pause of the token check: handled by run_channel
        state.begin_change(change.id)
        try:
            if change.kind is Change.EDIT:
                result = poster.edit(item, row.remote_id)
            elif change.kind is Change.DELETE:
                result = poster.delete(row.remote_id)
            else:
                result = poster.reply(row.remote_id, change.text)
        except Pause as pause:
            state.finish_change(
                change, change.status if change.status is not Status.SENDING else Status.PENDING, error=str(pause)
            )
            _paused(context, pause, len(pending) - index + len(state.rows(TO_POST)))
            return True
        except HardStop as stop:
            state.finish_change(change, Status.PENDING, error=str(stop))
            report.hard_stop = str(stop)
            log.error("[%s] stopped: %s", channel.name, stop)
            return True
        except Exception as error:
            state.finish_change(change, Status.UNCERTAIN, error=f"internal error: {error!r}")
            raise
        context.after_call()
        status = Status(str(result.outcome))
        state.finish_change(change, status, result.remote_id, result.error, item)
        context.note(
            "change",
            guid=change.guid,
            kind=str(change.kind),
            status=str(status),
            revision=change.revision,
            digest=change.digest,
            withdrawn=row.withdrawn,
            item=item.to_dict() if change.kind is Change.EDIT else None,
        )
        if status is Status.SENT:
            _count(report, change, row)
            log.info("[%s] %s %s", channel.name, change.kind, describe(row))
        elif status is Status.REFUSED:
            report.refused.append(f"{change.kind} of {describe(row)}: {result.error}")
        elif status is Status.FAILED:
            report.failed.append(f"{describe(row, link=False)}: {change.kind} failed: {result.error}")
        else:
            again = (
                " (repeated on the next run: it changes nothing if it was made)"
                if change.kind is not Change.REPLY
                else ""
            )
            report.uncertain.append(f"{change.kind} of {describe(row)}: {result.error}{again}")
            log.error("[%s] %s of %s uncertain: %s", channel.name, change.kind, row.guid, result.error)
    return False


def _count(report: Report, change: ChangeRow, row: Row) -> None:
    {Change.EDIT: report.edited, Change.DELETE: report.deleted, Change.REPLY: report.replied}[change.kind].append(
        describe(row)
    )


def _due(context: Context, change: ChangeRow) -> bool:
    """Whether to make this change now: a crash's or a timeout's leftover by the policies."""
    channel = context.channel
    if change.status is Status.FAILED and change.attempts >= channel.max_attempts:
        return False
    if change.kind is not Change.REPLY:
        return True  # an edit to the same text, or deleting a deleted post, changes nothing: safe to repeat
    if change.status is Status.SENDING and channel.after_crash != "resend":
        with context.state.transaction():
            context.state.set_change(change.id, Status.UNCERTAIN, context.clock(), "a run stopped while replying")
        return False
    if change.status is Status.UNCERTAIN:
        return channel.on_timeout == "resend" and change.attempts < channel.max_attempts
    return True


def _refusal(context: Context, change: ChangeRow, row: Row) -> str:
    """Why this network will never make this change ('' if it may)."""
    poster, channel = context.poster, context.channel
    if change.kind is Change.EDIT:
        if not poster.can_edit:
            return f"{channel.network} posts cannot be edited through its API"
        windows = [window for window in (channel.edit_window, poster.edit_window) if window is not None]
        age = context.clock() - (row.sent_at or 0)
        if windows and age > min(windows):
            return f"posted {age / 3600:.1f} h ago, past the edit window of {min(windows) / 3600:g} h"
    if change.kind is Change.DELETE and not poster.can_delete:
        return f"{channel.network} posts cannot be deleted through its API"
    if change.kind is Change.REPLY and not poster.can_reply:
        return f"{channel.network} posts cannot be replied to through its API"
    return ""


# Step 3b: new posts ------------------------------------------------------------------------------


def _post(context: Context, current: dict[str, Item], rows: list[Row]) -> None:  # noqa: PLR0915 - the send, step by step
    channel, state, report, poster = context.channel, context.state, context.report, context.poster
    queue = [row for row in rows if row.status is Status.PENDING or row.attempts < channel.max_attempts]
    daily_limit = int(channel.options.get("daily_limit") or 0)
    for index, row in enumerate(queue):
        item = current.get(row.guid) or row.item
        if daily_limit and state.sent_since(context.clock() - DAY) >= daily_limit:
            report.paused = f"{daily_limit} posts in the last 24 hours (daily_limit)"
            report.deferred = len(queue) - index
            break
        if context.dry_run:
            request = poster.prepare(item, "")
            if context.out:
                print(f"[{channel.name}] would post {describe(item)}\n{_indent(request.show())}", file=context.out)
            state.finish_send(row.guid, Status.SENT)
            report.posted.append(describe(item))
            continue
        try:
            context.before_call()
        except Pause as pause:
            _paused(context, pause, len(queue) - index)
            break
        state.begin_send(row.guid)
        try:
            result = poster.send(item, "")
        except Pause as pause:
            state.finish_send(row.guid, row.status, error=str(pause))
            _paused(context, pause, len(queue) - index)
            break
        except HardStop as stop:
            state.finish_send(row.guid, row.status, error=str(stop))
            report.hard_stop = str(stop)
            report.deferred = len(queue) - index
            log.error("[%s] stopped: %s", channel.name, stop)
            break
        except Exception as error:
            # A bug, not an API answer: the request may have gone out.
            state.finish_send(row.guid, Status.UNCERTAIN, error=f"internal error: {error!r}")
            raise
        context.after_call()
        status = Status(str(result.outcome))
        sent = status is Status.SENT
        journalled = status in (Status.SENT, Status.UNCERTAIN)
        posted = digest(poster, item) if journalled else ""
        state.finish_send(
            row.guid,
            status,
            result.remote_id,
            result.error,
            revision=item.revision,
            digest=posted if sent else "",
        )
        if journalled:
            context.note(
                "post",
                guid=row.guid,
                status=str(status),
                remote_id=result.remote_id,
                revision=item.revision,
                digest=posted,
                item=item.to_dict(),
            )
        if sent:
            report.posted.append(describe(item))
            log.info("[%s] posted %s as %s", channel.name, describe(item), result.remote_id)
        elif status in (Status.FAILED, Status.REFUSED):  # refused: recorded, never retried
            report.failed.append(f"{describe(row, link=False)}: {result.error}")
            log.error("[%s] failed %s: %s", channel.name, describe(item), result.error)
        else:
            log.error("[%s] uncertain %s: %s", channel.name, describe(item), result.error)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.split("\n"))
