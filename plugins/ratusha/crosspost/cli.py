"""`ratusha-crosspost`: post new feed items to the configured channels, once, oldest first.

Exit codes, for cron and CI: 0 all well; 1 something failed or needs a look (a feed not
read, a failed, uncertain or refused post or change, items that may have been missed, an
API that cannot be reached, a pause that has lasted more than a day); 2 a hard stop of at
least one channel (configuration, a missing or refused token, a captcha, a state file
that is corrupt, lost or not started); 3 another run holds the lock. Channels are
independent: one channel's stop never keeps the others from running; the summary ends
with the channels that need a person.

``ratusha-crosspost init`` starts channels explicitly; ``ratusha-crosspost auth NETWORK``
obtains and checks a token (ratusha.crosspost.auth).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ratusha.crosspost import auth, departments, secret_store
from ratusha.crosspost import config as config_module
from ratusha.crosspost.config import Channel, Config, ConfigError
from ratusha.crosspost.engine import Report, TokenGate, initialise, run_channel
from ratusha.crosspost.feeds import FeedReader
from ratusha.crosspost.http import SECRETS, RedactingFilter
from ratusha.crosspost.journal import Journal
from ratusha.crosspost.lock import Locked, RunLock
from ratusha.crosspost.poster import poster_class
from ratusha.crosspost.state import OPEN, State, StateError, Status, corrupt, describe

EXIT_OK, EXIT_FAILED, EXIT_STOP, EXIT_LOCKED = 0, 1, 2, 3

LAST_RUN = "last-run.json"
log = logging.getLogger("crosspost")


def parser() -> argparse.ArgumentParser:
    """Build the command line parser."""
    cli = argparse.ArgumentParser(
        prog="ratusha-crosspost",
        description=(
            "Post each new item of the site's feeds once to its social channels (docs/crosspost.md). "
            "Also: 'ratusha-crosspost init' to start channels, 'ratusha-crosspost auth NETWORK' to get a token."
        ),
        epilog=(
            "Exit codes: 0 ok; 1 something failed or needs a look; 2 a channel stopped (configuration, token, "
            "captcha, state lost, corrupt or not started); 3 another run is in progress."
        ),
    )
    config_module.add_config_option(cli)
    cli.add_argument("--feeds", help="the built site folder or its URL (overrides 'feeds' in the config)")
    cli.add_argument("--channel", action="append", help="only this channel (repeatable)")
    cli.add_argument("--state-dir", help="where the state files live (overrides 'state_dir')")
    cli.add_argument("--dry-run", action="store_true", help="print what would be sent; change nothing")
    cli.add_argument("--status", action="store_true", help="show each channel's health as a table and exit")
    cli.add_argument("--json", action="store_true", help="with --status: one JSON document, for monitoring")
    cli.add_argument(
        "--init",
        action="store_true",
        help="start channels (same as 'init'): record the items now in their feeds as published, post nothing",
    )
    cli.add_argument("--recover", action="store_true", help="with init: rebuild a lost state from the journal")
    cli.add_argument(
        "--force",
        action="store_true",
        help="with init: start a channel the journal knows afresh (its pending items are then never posted)",
    )
    cli.add_argument("--mark-sent", metavar="GUID", help="record an uncertain item as posted (needs --channel)")
    cli.add_argument("--resend", metavar="GUID", help="post this item again on the next run (needs --channel)")
    cli.add_argument("-v", "--verbose", action="store_true", help="log each post")
    return cli


def setup_logging(verbose: bool) -> None:
    """Log to stderr through the redacting filter, so no token is ever printed."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root = logging.getLogger("crosspost")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    root.propagate = False


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0911 - one exit per documented exit code
    """Run; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command, argv = _command(argv)
    if command == "auth":
        return auth.main(argv)
    if command == "init":
        argv.append("--init")
    args = parser().parse_args(argv)
    setup_logging(args.verbose)
    try:
        config = config_module.load(args.config)
    except ConfigError as error:
        print(SECRETS.redact(f"configuration error: {error}"), file=sys.stderr)
        return EXIT_STOP
    state_dir = Path(args.state_dir) if args.state_dir else config.state_dir
    run = Run(config, args.feeds or config.feeds, state_dir)
    try:
        channels = run.select(args.channel)
    except ConfigError as error:
        print(SECRETS.redact(f"configuration error: {error}"), file=sys.stderr)
        return EXIT_STOP
    if args.status:
        return run.status(channels, as_json=args.json)
    try:
        with RunLock(state_dir):
            if args.mark_sent or args.resend:
                return run.resolve(channels, args.mark_sent, args.resend)
            if args.init:
                with run.journal.batch():
                    reports = run.each(channels, lambda channel: run.init(channel, args.recover, args.force))
                return run.finish(reports)
            if args.dry_run:
                return run.finish(run.each(channels, run.dry_run, parallel=False), dry=True)
            reports = run.each(channels, run.post)
            run.remember(reports)
            return run.finish(reports)
    except Locked as error:
        print(f"{error}; not started", file=sys.stderr)
        return EXIT_LOCKED


#: Options that take a value: the word after them is never a command.
VALUED = {"--config", "--feeds", "--channel", "--state-dir", "--mark-sent", "--resend"}
COMMANDS = ("init", "auth")


def _command(argv: list[str]) -> tuple[str, list[str]]:
    """Find a command word (init, auth) anywhere among the options; return it and the rest."""
    for index, word in enumerate(argv):
        if word in COMMANDS and (index == 0 or argv[index - 1] not in VALUED):
            return word, argv[:index] + argv[index + 1 :]
        if word == "--":
            break
    return "", argv


class StoredSecrets:
    """The secrets file, read at most once per run and only if a variable is not in the environment."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._values: dict[str, str] | None = None
        self._error = ""

    def __call__(self) -> dict[str, str]:
        """Return the file's variables; raise ConfigError if it exists and cannot be used."""
        with self._lock:
            if self._values is None:
                self._values = {}
                if self.path is not None:
                    try:
                        self._values = secret_store.read(self.path)
                    except secret_store.SecretsFileError as error:
                        self._error = str(error)
        if self._error:
            raise ConfigError(f"secrets file: {self._error}")
        return self._values


class Run:
    """One invocation: the configuration, where things are, and what the channels share."""

    def __init__(self, config: Config, feeds_base: str, state_dir: Path) -> None:
        self.config = config
        self.feeds_base = feeds_base
        self.state_dir = state_dir
        self.journal = Journal(config.journal_path(state_dir))
        self.reader = FeedReader()
        self.tokens = TokenGate()
        self.stored = StoredSecrets(config.secrets_file)
        self.expansion = departments.expand(config, feeds_base) if config.departments else departments.Expansion()
        self.channels: dict[str, Channel] = {**self.expansion.channels, **config.channels}

    def select(self, names: list[str] | None) -> dict[str, Channel | str]:
        """Return the channels to run: all, or those named with --channel (a generated one may be a problem)."""
        known: dict[str, Channel | str] = {
            **{name: f"{problem} (network {network})" for name, (network, problem) in self.expansion.problems.items()},
            **self.channels,
        }
        if not names:
            return known
        unknown = [name for name in names if name not in known]
        if unknown:
            listing = ", ".join(list(known)[:20]) + (" …" if len(known) > 20 else "")
            raise ConfigError(f"--channel {', '.join(unknown)}: not in {self.config.path} (known: {listing})")
        return {name: known[name] for name in names}

    def path(self, name: str) -> Path:
        """Return the channel's state file."""
        return self.state_dir / f"{name}.sqlite"

    # Running the channels -------------------------------------------------------------------------

    def each(
        self, channels: dict[str, Channel | str], work: Callable[[Channel], Report], parallel: bool = True
    ) -> list[Report]:
        """Run ``work`` per channel: each network in its own thread, its channels in order; never raises."""
        reports: dict[str, Report] = {}
        groups: dict[str, list[Channel]] = {}
        for name, channel in channels.items():
            if isinstance(channel, str):
                reports[name] = Report(name, "?", hard_stop=channel)
            else:
                groups.setdefault(channel.network, []).append(channel)

        def network(group: list[Channel]) -> None:
            for channel in group:
                reports[channel.name] = self.guarded(channel, work)

        if parallel and len(groups) > 1:
            with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="crosspost") as pool:
                list(pool.map(network, groups.values()))
        else:
            for group in groups.values():
                network(group)
        ordered = [reports[name] for name in channels]
        if self.expansion.error:
            ordered.append(Report("departments", "directory", feed_error=self.expansion.error))
        return ordered

    @staticmethod
    def guarded(channel: Channel, work: Callable[[Channel], Report]) -> Report:
        """One channel's work; whatever goes wrong stops this channel only."""
        try:
            return work(channel)
        except StateError as error:
            return Report(channel.name, channel.network, hard_stop=str(error))
        except Exception as error:
            log.exception("[%s] internal error", channel.name)
            return Report(channel.name, channel.network, hard_stop=f"internal error: {error!r} (see the log)")

    def post(self, channel: Channel) -> Report:
        """Run one channel for real."""
        try:
            secrets = channel.secrets(stored=self.stored)
        except ConfigError as error:
            log.error("%s", error)
            return Report(channel.name, channel.network, hard_stop=str(error))
        state = self.open(channel)
        if isinstance(state, Report):
            return state
        try:
            poster = poster_class(channel.network)(channel, secrets)
            return run_channel(
                channel,
                self.feeds_base,
                state,
                poster,
                reader=self.reader,
                tokens=self.tokens,
                journal=self.journal,
            )
        except sqlite3.DatabaseError as error:
            return Report(channel.name, channel.network, hard_stop=corrupt(state.path, error))
        finally:
            state.close()

    def open(self, channel: Channel, snapshot: bool = False) -> State | Report:
        """Open the channel's state, or return the report of why it cannot run (not started, lost)."""
        path = self.path(channel.name)
        if State.blank(path):
            return Report(channel.name, channel.network, hard_stop=self.unstarted(channel.name))
        state = State.snapshot(path) if snapshot else State.open(path)
        if not state.initialized:
            state.close()
            return Report(channel.name, channel.network, hard_stop=self.unstarted(channel.name))
        if not snapshot and self.journal.history(channel.name) is None:
            # Started before the journal existed: from now on, its loss is noticed too.
            self.journal.record(channel.name, "init", at=time.time(), adopted=True, **state.as_journal())
        return state

    def unstarted(self, name: str) -> str:
        """Why a channel with no state does not run, and the command to run."""
        history = self.journal.history(name)
        path = self.path(name)
        if history is None:
            return (
                f"not started: a channel's first run is explicit. Run: ratusha-crosspost init --channel {name} "
                "(records the items now in its feeds as already published and posts nothing)"
            )
        started = _when(history.started)
        last = f", last posted {_when(history.last_post)}" if history.last_post else ""
        return (
            f"state file {path} is missing or empty, but the journal {self.journal.path} shows this channel "
            f"started {started}{last}: it is NOT started afresh (that would drop its pending items). "
            f"Restore the file from a backup, or rebuild it from the journal: "
            f"ratusha-crosspost init --channel {name} --recover"
        )

    def dry_run(self, channel: Channel) -> Report:
        """Run the real logic on an in-memory copy of the state, with a poster that only prints."""
        path = self.path(channel.name)
        if State.blank(path):
            report = Report(channel.name, channel.network, hard_stop=self.unstarted(channel.name))
            print(f"[{channel.name}] {report.hard_stop}")
            return report
        state = self.open(channel, snapshot=True)
        if isinstance(state, Report):
            return state
        try:
            poster = poster_class(channel.network)(channel, {})
            return run_channel(
                channel, self.feeds_base, state, poster, dry_run=True, out=sys.stdout, reader=self.reader
            )
        finally:
            state.close()

    def init(self, channel: Channel, recover: bool, force: bool) -> Report:
        """Start one channel, or rebuild its lost state from the journal."""
        path = self.path(channel.name)
        history = self.journal.history(channel.name)
        report = Report(channel.name, channel.network)
        if not State.blank(path):
            try:
                state = State.open(path)
            except StateError:
                if not recover:
                    raise
                aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
                path.rename(aside)
                log.warning("[%s] the unreadable state file was moved to %s", channel.name, aside)
            else:
                try:
                    if state.initialized:
                        print(f"[{channel.name}] already started; nothing to do")
                        return report
                finally:
                    state.close()
        if recover and history is None:
            report.hard_stop = f"the journal {self.journal.path} has no record of this channel: nothing to recover from"
            return report
        if history is not None and not recover and not force:
            report.hard_stop = (
                f"this channel has posted before (journal {self.journal.path}); starting it afresh would record its "
                f"pending items as published. Rebuild its state instead: ratusha-crosspost init --channel "
                f"{channel.name} --recover (or --force to start afresh anyway)"
            )
            return report
        if State.blank(path):
            _aside_leftovers(path)
        state = State.open(path)
        try:
            report = initialise(
                channel,
                self.feeds_base,
                state,
                journal=self.journal,
                reader=self.reader,
                history=history if recover else None,
            )
        finally:
            state.close()
        if report.feed_error:
            path.unlink(missing_ok=True)  # not started: the next init tries again
        return report

    # Reporting -----------------------------------------------------------------------------------

    @staticmethod
    def finish(reports: list[Report], dry: bool = False) -> int:
        """Print the summary; the exit code is the worst of the channels'."""
        print("Summary (dry run: nothing sent, nothing recorded):" if dry else "Summary:")
        quiet = 0
        for report in reports:
            if report.quiet:
                quiet += 1
            else:
                print(SECRETS.redact(report.summary()))
        if quiet:
            print(f"{quiet} channel(s): nothing new, nothing wrong")
        troubled = [report for report in reports if report.exit_code]
        if troubled:
            print("Needs a person:")
            for report in troubled:
                print(SECRETS.redact(f"  {report.channel} (exit {report.exit_code}): {report.problem()}"))
        return max((report.exit_code for report in reports), default=EXIT_OK)

    def remember(self, reports: list[Report]) -> None:
        """Keep each channel's last run (when, and how it ended) for --status; one small file per run."""
        path = self.state_dir / LAST_RUN
        known = _read_json(path)
        now = time.time()
        for report in reports:
            known[report.channel] = {
                "at": now,
                "exit_code": report.exit_code,
                "problem": SECRETS.redact(report.problem()),
            }
        handle, temporary = tempfile.mkstemp(dir=self.state_dir, prefix=f".{LAST_RUN}.")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(known, file, ensure_ascii=False, indent=0, sort_keys=True)
        os.replace(temporary, path)

    def resolve(self, channels: dict[str, Channel | str], mark_sent: str | None, resend: str | None) -> int:
        """Settle an uncertain or failed item by hand (the caller holds the lock)."""
        if len(channels) != 1:
            print("--mark-sent and --resend need exactly one --channel", file=sys.stderr)
            return EXIT_STOP
        (name,) = channels
        guid = mark_sent or resend or ""
        try:
            state = State.open(self.path(name))
        except StateError as error:
            print(error, file=sys.stderr)
            return EXIT_STOP
        try:
            now = time.time()
            before = state.mark_sent(guid, now) if mark_sent else state.resend(guid, now)
            if before is None:
                print(f"{name}: no item {guid} in the state", file=sys.stderr)
                return EXIT_FAILED
            if mark_sent:
                row = state.get(guid)
                self.journal.record(
                    name,
                    "post",
                    at=now,
                    guid=guid,
                    status=str(Status.SENT),
                    remote_id=row.remote_id if row else "",
                    by_hand=True,
                )
        finally:
            state.close()
        print(f"{name}: {guid} was {before}, now {Status.SENT if mark_sent else Status.PENDING}")
        return EXIT_OK

    def status(self, channels: dict[str, Channel | str], as_json: bool = False) -> int:
        """Print each channel's health: a table (or JSON), then the items that need a person."""
        last_runs = _read_json(self.state_dir / LAST_RUN)
        rows, details = [], []
        for name, channel in channels.items():
            entry: dict[str, Any] = {
                "channel": name,
                "network": channel.network if isinstance(channel, Channel) else "?",
                "state": "ok",
                "last_success": None,
                "last_run": last_runs.get(name),
                "pending": 0,
                "uncertain": 0,
                "failed": 0,
                "refused": 0,
                "paused_since": None,
                "token": None,
            }
            rows.append(entry)
            if isinstance(channel, str):
                entry["state"] = f"not a channel: {channel}"
                continue
            path = self.path(name)
            if State.blank(path):
                entry["state"] = "LOST" if self.journal.history(name) else "not started"
                continue
            try:
                state = State.snapshot(path)
            except StateError as error:
                entry["state"] = f"CORRUPT: {error}"
                continue
            try:
                if not state.initialized:
                    entry["state"] = "not started"
                counts, changes = state.counts(), state.change_counts()
                entry.update(
                    last_success=state.last_sent(),
                    pending=counts.get(Status.PENDING, 0)
                    + counts.get(Status.FAILED, 0)
                    + counts.get(Status.SENDING, 0)
                    + sum(changes.get(status, 0) for status in OPEN if status is not Status.UNCERTAIN),
                    uncertain=counts.get(Status.UNCERTAIN, 0) + changes.get(Status.UNCERTAIN, 0),
                    failed=counts.get(Status.FAILED, 0),
                    refused=counts.get(Status.REFUSED, 0) + changes.get(Status.REFUSED, 0),
                    paused_since=state.paused_since(),
                    token=state.token_check(),
                )
                needy = state.rows([Status.UNCERTAIN, Status.FAILED, Status.PENDING, Status.SENDING])
                if needy or changes.get(Status.REFUSED):
                    listing = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
                    details.append(f"{name}: {listing or 'empty'}")
                    details += [f"  {row.status}: {describe(row)} {row.error or ''}".rstrip() for row in needy]
                    details += [
                        f"  refused {change.kind}: {change.guid} {change.error or ''}".rstrip()
                        for change in state.changes([Status.REFUSED])
                    ]
            finally:
                state.close()
        if self.expansion.error:
            rows.append({"channel": "departments", "network": "directory", "state": f"ERROR: {self.expansion.error}"})
        if as_json:
            print(
                SECRETS.redact(json.dumps({"generated": time.time(), "channels": rows}, ensure_ascii=False, indent=1))
            )
            return EXIT_OK
        _table(rows)
        for line in details:
            print(SECRETS.redact(line))
        return EXIT_OK


def _aside_leftovers(path: Path) -> None:
    """Move away the -wal and -shm files of a lost database, so SQLite never replays them into a new one."""
    for suffix in ("-wal", "-shm", "-journal"):
        leftover = path.with_name(path.name + suffix)
        if leftover.exists():
            leftover.rename(leftover.with_name(f"{leftover.name}.orphan-{int(time.time())}"))


def _when(stamp: float | None) -> str:
    if not stamp:
        return "never"
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _table(rows: list[dict[str, Any]]) -> None:
    """Print the --status table: one line per channel."""
    header = ("channel", "network", "state", "last success", "last run", "pending", "uncertain", "refused", "token")
    lines = [header]
    for row in rows:
        token = row.get("token")
        if token is None:
            token_text = "not checked yet"
        elif token.get("ok"):
            token_text = f"valid ({_when(token.get('at'))}): {token.get('who', '')}"
        else:
            token_text = f"INVALID ({_when(token.get('at'))}): {token.get('error', '')}"
        last_run = row.get("last_run") or {}
        run_text = f"{_when(last_run.get('at'))} exit {last_run.get('exit_code')}" if last_run else "never"
        state = row.get("state", "")
        if row.get("paused_since"):
            state += f", paused since {_when(row['paused_since'])}"
        lines.append(
            (
                str(row["channel"]),
                str(row.get("network", "")),
                state if len(state) <= 60 else state[:59] + "…",
                _when(row.get("last_success")),
                run_text,
                str(row.get("pending", "")),
                str(row.get("uncertain", "")),
                str(row.get("refused", "")),
                token_text,
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header) - 1)]
    for line in lines:
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths, strict=True)]
        print(SECRETS.redact("  ".join([*cells, line[-1]]).rstrip()))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
