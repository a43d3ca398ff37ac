"""A channel per department account, from the site's departments directory (docs/crosspost.md).

The built site publishes ``departments/index.json``: each department with its feed and the
official accounts its data file names. One ``departments:`` block of crosspost.yml turns
every account on a listed network into a channel ``<slug>-<network>`` fed by that
department's feed, with the block's defaults, the network's settings and token variables
named by a pattern (``RATUSHA_VK_TOKEN_{SLUG}``). A channel written out under
``channels:`` with the same name replaces the generated one (``enabled: false`` switches it
off). The directory is read once per run, after ``--feeds`` is known; an account the block
cannot turn into a channel (a VK id that is not a number, say) stops that channel only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ratusha.crosspost import config as config_module
from ratusha.crosspost.config import NETWORKS, Channel, Config
from ratusha.crosspost.feeds import FeedError, feed_location, fetch

KEYS = ("directory", "name", "feed", "defaults", "networks", "only", "except")
DEFAULTS = {"directory": "departments/index.json", "name": "{slug}-{network}", "feed": "{feed}"}


@dataclass
class Expansion:
    """The channels the directory gave, the accounts that could not become channels, or why it was not read."""

    channels: dict[str, Channel] = field(default_factory=dict)
    problems: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (network, problem)
    error: str = ""


def check(block: Any, problems: list[str]) -> None:
    """Check the block's shape when the configuration is loaded (the directory is read later)."""
    if not isinstance(block, dict):
        problems.append("departments: must be a mapping (directory, name, feed, defaults, networks, only, except)")
        return
    for key in block:
        if key not in KEYS:
            problems.append(f"departments.{key}: unknown setting (known: {', '.join(KEYS)})")
    for key in ("directory", "name", "feed"):
        if key in block and (not isinstance(block[key], str) or not block[key]):
            problems.append(f"departments.{key}: must be a non-empty string")
    name = str(block.get("name", DEFAULTS["name"]))
    if "{slug}" not in name:
        problems.append(f"departments.name: {name!r} must contain {{slug}}, so that each department is its own channel")
    if not isinstance(block.get("defaults", {}), dict):
        problems.append("departments.defaults: must be a mapping of channel settings")
    networks = block.get("networks")
    if not isinstance(networks, dict) or not networks:
        problems.append("departments.networks: a mapping of network → settings is required (e.g. vk: {token_env: …})")
    else:
        for network, settings in networks.items():
            if network not in NETWORKS:
                problems.append(f"departments.networks.{network}: not a network (allowed: {', '.join(NETWORKS)})")
            elif settings is not None and not isinstance(settings, dict):
                problems.append(f"departments.networks.{network}: must be a mapping of channel settings")
    for key in ("only", "except"):
        value = block.get(key, [])
        if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
            problems.append(f"departments.{key}: must be a list of department slugs")


def expand(config: Config, feeds_base: str, timeout: float = 30.0) -> Expansion:
    """Read the directory and turn its accounts into channels (explicit channels win)."""
    block = config.departments
    expansion = Expansion()
    if not block:
        return expansion
    location = feed_location(feeds_base, str(block.get("directory", DEFAULTS["directory"])))
    try:
        directory = json.loads(fetch(location, timeout).decode("utf-8"))
    except FeedError as error:
        expansion.error = f"departments directory: {error}"
        return expansion
    except (UnicodeDecodeError, ValueError) as error:
        expansion.error = f"departments directory {location}: not JSON: {error}"
        return expansion
    if (
        not isinstance(directory, dict)
        or directory.get("version") != 1
        or not isinstance(directory.get("departments"), list)
    ):
        expansion.error = f"departments directory {location}: expected {{'version': 1, 'departments': [...]}}"
        return expansion
    only, skip = set(block.get("only") or []), set(block.get("except") or [])
    networks = block["networks"]
    for department in directory["departments"]:
        slug = str(department.get("slug") or "") if isinstance(department, dict) else ""
        if not slug or (only and slug not in only) or slug in skip:
            continue
        for account in department.get("accounts") or []:
            network = str(account.get("network", "")) if isinstance(account, dict) else ""
            if network not in networks:
                continue
            name = _fill(str(block.get("name", DEFAULTS["name"])), slug, network)
            if name in config.channels or name in config.disabled:
                continue  # written out under channels: that one wins
            settings, problem = _settings(block, department, account, slug, network)
            if problem:
                expansion.problems[name] = (network, f"departments directory, {slug}: {problem}")
                continue
            problems: list[str] = []
            channel = config_module.channel_from(name, settings, problems)
            if problems or channel is None:
                expansion.problems[name] = (network, f"departments directory, {slug}: " + "; ".join(problems))
                continue
            channel.origin = f"departments: {slug}"
            if channel.options.get("enabled", True):
                expansion.channels[name] = channel
    return expansion


def _fill(pattern: str, slug: str, network: str) -> str:
    """Fill {slug} {SLUG} {network} {NETWORK} in a pattern (upper case: letters, digits, underscores)."""
    upper = re.sub(r"[^A-Z0-9]+", "_", slug.upper()).strip("_")
    return (
        pattern.replace("{slug}", slug)
        .replace("{SLUG}", upper)
        .replace("{network}", network)
        .replace("{NETWORK}", network.upper())
    )


def _settings(block: dict, department: dict, account: dict, slug: str, network: str) -> tuple[dict, str]:
    """Return the channel settings for one account, or a problem."""
    settings: dict[str, Any] = {**(block.get("defaults") or {}), **(block["networks"].get(network) or {})}
    for key, value in list(settings.items()):
        if key.endswith("_env") and isinstance(value, str):
            settings[key] = _fill(value, slug, network)
    feed = str(department.get("feed") or f"departments/{slug}/rss.xml")
    settings["feeds"] = [_fill(str(block.get("feed", DEFAULTS["feed"])).replace("{feed}", feed), slug, network)]
    settings["type"] = network
    identifier = str(account.get("id") or "").strip()
    url = str(account.get("url") or "").strip()
    if network in ("telegram", "max"):
        if not identifier and network == "telegram":
            found = re.fullmatch(r"https?://(?:t\.me|telegram\.me)/([A-Za-z0-9_]{4,})/?", url)
            identifier = f"@{found.group(1)}" if found else ""
        if not identifier:
            return settings, f"a {network} account without an id (and no t.me/<name> url to take it from)"
        settings.setdefault("chat_id", identifier)
    elif network == "vk":
        if not identifier:
            found = re.fullmatch(r"https?://(?:m\.)?vk\.com/(?:club|public)(\d+)/?", url)
            identifier = found.group(1) if found else ""
        if not identifier.lstrip("-").isdigit():
            return settings, f"VK id {identifier or url!r} is not the community's number (e.g. 123456)"
        settings.setdefault("owner_id", -abs(int(identifier)))
    elif network == "ok":
        if not identifier.isdigit():
            return settings, f"OK group id {identifier!r} is not a number"
        settings.setdefault("group_id", identifier)
    return settings, ""
