"""`ratusha-crosspost`: post new feed items to the configured channels, once, oldest first.

Exit codes, for cron and CI: 0 all well; 1 something failed or needs a look (a feed not
read, a failed or uncertain post, items that may have been missed); 2 a hard stop
(configuration, authorisation, captcha); 3 another run holds the lock.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from ratusha.crosspost import config as config_module
from ratusha.crosspost.config import Channel, Config, ConfigError
from ratusha.crosspost.engine import Report, run_channel
from ratusha.crosspost.http import SECRETS, RedactingFilter
from ratusha.crosspost.lock import Locked, RunLock
from ratusha.crosspost.ok import OKPoster
from ratusha.crosspost.poster import Poster
from ratusha.crosspost.state import State
from ratusha.crosspost.telegram import TelegramPoster
from ratusha.crosspost.vk import VKPoster

EXIT_OK, EXIT_FAILED, EXIT_STOP, EXIT_LOCKED = 0, 1, 2, 3
POSTERS: dict[str, type[Poster]] = {"telegram": TelegramPoster, "vk": VKPoster, "ok": OKPoster}
log = logging.getLogger("crosspost")


def parser() -> argparse.ArgumentParser:
    """Build the command line parser."""
    cli = argparse.ArgumentParser(
        prog="ratusha-crosspost",
        description="Post each new item of the site's feeds once to Telegram, VK and OK (docs/crosspost.md).",
        epilog="Exit codes: 0 ok, 1 some failed, 2 configuration/auth/captcha stop, 3 another run is in progress.",
    )
    cli.add_argument(
        "--config",
        default=os.environ.get("RATUSHA_CROSSPOST_CONFIG", "crosspost.yml"),
        help="the YAML configuration (default: crosspost.yml, or $RATUSHA_CROSSPOST_CONFIG)",
    )
    cli.add_argument("--feeds", help="the built site folder or its URL (overrides 'feeds' in the config)")
    cli.add_argument("--channel", action="append", help="only this channel (repeatable)")
    cli.add_argument("--state-dir", help="where the state files live (overrides 'state_dir')")
    cli.add_argument("--dry-run", action="store_true", help="print what would be sent; change nothing")
    cli.add_argument("--status", action="store_true", help="show each channel's state and exit")
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
    args = parser().parse_args(argv)
    setup_logging(args.verbose)
    try:
        config = config_module.load(args.config)
        channels = select(config, args.channel)
    except ConfigError as error:
        print(SECRETS.redact(f"configuration error: {error}"), file=sys.stderr)
        return EXIT_STOP
    state_dir = Path(args.state_dir) if args.state_dir else config.state_dir
    feeds_base = args.feeds or config.feeds
    if args.mark_sent or args.resend:
        return resolve(channels, state_dir, args.mark_sent, args.resend)
    if args.status:
        return status(channels, state_dir)
    if args.dry_run:
        reports = [dry_run(channel, feeds_base, state_dir) for channel in channels.values()]
        return finish(reports, dry=True)
    try:
        secrets = {name: channel.secrets() for name, channel in channels.items()}
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_STOP
    try:
        with RunLock(state_dir):
            reports = []
            for name, channel in channels.items():
                state = State.open(state_dir / f"{name}.sqlite")
                try:
                    poster = POSTERS[channel.network](channel, secrets[name])
                    reports.append(run_channel(channel, feeds_base, state, poster))
                finally:
                    state.close()
    except Locked as error:
        print(f"{error}; not started", file=sys.stderr)
        return EXIT_LOCKED
    return finish(reports, dry=False)


def select(config: Config, names: list[str] | None) -> dict[str, Channel]:
    """Return the channels to run: all enabled ones, or those named with --channel."""
    if not names:
        return config.channels
    unknown = [name for name in names if name not in config.channels]
    if unknown:
        raise ConfigError(f"--channel {', '.join(unknown)}: not in {config.path} (known: {', '.join(config.channels)})")
    return {name: config.channels[name] for name in names}


def dry_run(channel: Channel, feeds_base: str, state_dir: Path) -> Report:
    """Run the real logic on an in-memory copy of the state, with a poster that only prints."""
    state = State.snapshot(state_dir / f"{channel.name}.sqlite")
    try:
        poster = POSTERS[channel.network](channel, {})
        return run_channel(channel, feeds_base, state, poster, dry_run=True, out=sys.stdout)
    finally:
        state.close()


def finish(reports: list[Report], dry: bool) -> int:
    """Print the summary; the exit code is the worst of the channels'."""
    print("Summary (dry run: nothing sent, nothing recorded):" if dry else "Summary:")
    for report in reports:
        print(SECRETS.redact(report.summary()))
    return max((report.exit_code for report in reports), default=EXIT_OK)


def resolve(channels: dict[str, Channel], state_dir: Path, mark_sent: str | None, resend: str | None) -> int:
    """Settle an uncertain or failed item by hand."""
    if len(channels) != 1:
        print("--mark-sent and --resend need exactly one --channel", file=sys.stderr)
        return EXIT_STOP
    (name,) = channels
    guid = mark_sent or resend or ""
    with RunLock(state_dir):
        state = State.open(state_dir / f"{name}.sqlite")
        try:
            row = state.get(guid)
            if row is None:
                print(f"{name}: no item {guid} in the state", file=sys.stderr)
                return EXIT_FAILED
            with state.transaction():
                if mark_sent:
                    state.set_status(guid, "sent", time.time(), "marked as sent by hand")
                else:
                    state.db.execute("UPDATE items SET attempts = 0 WHERE guid = ?", (guid,))
                    state.set_status(guid, "pending", time.time(), "to be resent (by hand)")
        finally:
            state.close()
    print(f"{name}: {guid} was {row.status}, now {'sent' if mark_sent else 'pending'}")
    return EXIT_OK


def status(channels: dict[str, Channel], state_dir: Path) -> int:
    """Print each channel's counts and the items that need a person."""
    for name in channels:
        path = state_dir / f"{name}.sqlite"
        if not path.exists():
            print(f"{name}: no state yet (the first run records the feeds and posts nothing)")
            continue
        state = State.snapshot(path)
        try:
            counts = ", ".join(f"{key} {value}" for key, value in sorted(state.counts().items()))
            print(f"{name}: {counts or 'empty'}")
            for row in state.rows(["uncertain", "failed", "pending", "sending"]):
                print(f"  {row.status}: {row.guid} «{row.title}» {row.link} {row.error or ''}".rstrip())
        finally:
            state.close()
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
