"""The cross-posting configuration: a YAML file in the repository, secrets kept elsewhere.

Which feeds go to which channel and how a post looks are editorial choices, so they live
in the repository (``crosspost.yml``) and are reviewed like content; tokens never do: the
file names the variables that hold them, looked up in the environment first, then in the
one secrets file (``secrets_file``, mode 600; :mod:`ratusha.crosspost.secret_store`).
Every problem in the file is reported at once, each naming the key, the bad value and
what is allowed. A ``departments:`` block turns the site's departments directory into a
channel per department account (:mod:`ratusha.crosspost.departments`).
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ratusha.crosspost.http import SECRETS

NETWORKS = ("telegram", "vk", "ok", "max")
POLICIES = ("report", "resend")
WITHDRAW_POLICIES = ("delete", "reply", "ignore")

DEFAULT_TEMPLATES = {
    # Telegram HTML: the values are escaped, the template's own tags are kept.
    "telegram": '<b>{title}</b>\n\n{text}\n\n{hashtags}\n\n<a href="{link}">Читать на сайте</a>',
    # VK and OK are plain text; the link also goes as an attachment (a card with the
    # page's Open Graph title and image).
    "vk": "{title}\n\n{text}\n\n{hashtags}\n\n{link}",
    "ok": "{title}\n\n{text}\n\n{hashtags}\n\n{link}",
    # MAX: its HTML format (format: html); with format: markdown, write the template in
    # MAX's Markdown (**bold**, [text](url)) and the values are escaped for it.
    "max": '<b>{title}</b>\n\n{text}\n\n{hashtags}\n\n<a href="{link}">Читать на сайте</a>',
}
DEFAULT_API = {
    "telegram": "https://api.telegram.org",
    "vk": "https://api.vk.com/method",
    "ok": "https://api.ok.ru",
    # dev.max.ru (2026): "send requests to platform-api2.max.ru instead of platform-api.max.ru"
    "max": "https://platform-api2.max.ru",
}
#: Seconds between two posts to one channel: Telegram allows about 20 a minute to one
#: channel; VK and OK publish no per-wall rate but answer "too many requests" (VK 6, OK 8);
#: MAX allows two messages a second to one chat (dev.max.ru, POST /messages).
DEFAULT_INTERVAL = {"telegram": 3.5, "vk": 1.0, "ok": 1.0, "max": 1.0}
#: Plain-text limits are ours (VK accepts about 16 000 characters): a social post is a
#: teaser and a link, not the article. Telegram's are the API's own (text; caption below),
#: and so is MAX's (NewMessageBody.text: at most 4000 characters).
DEFAULT_MAX_LENGTH = {"telegram": 4096, "vk": 4000, "ok": 4000, "max": 4000}
MAX_TEXT_LIMIT = 4000
TELEGRAM_CAPTION_LIMIT = 1024
TEMPLATE_FIELDS = ("title", "text", "teaser", "summary", "link", "hashtags", "date")


#: Settings every channel has, whatever its network (the networks add theirs: poster.py).
GENERIC_KEYS = frozenset({
    "type", "feeds", "template", "max_length", "min_interval", "timeout", "retries", "backoff", "max_wait",
    "max_attempts", "on_timeout", "after_crash", "api_base", "enabled", "token_env", "edit_window", "on_withdraw",
})  # fmt: skip


class ConfigError(Exception):
    """The configuration cannot be used; the message lists every problem."""


@dataclass
class Channel:
    """One social account fed by some of the site's feeds."""

    name: str
    network: str
    feeds: list[str]
    template: str
    max_length: int
    min_interval: float
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 300.0
    max_attempts: int = 5
    on_timeout: str = "report"
    after_crash: str = "resend"
    api_base: str = ""
    #: seconds after posting during which a correction edits the post (None: as long as the network allows)
    edit_window: float | None = None
    #: what a withdrawal from the site does to the post: delete it, reply under it, or nothing
    on_withdraw: str = "reply"
    options: dict[str, Any] = field(default_factory=dict)
    secret_env: dict[str, str] = field(default_factory=dict)
    #: where a generated channel came from ("departments: obrazovanie"), for messages
    origin: str = ""

    def secrets(
        self, environ: Mapping[str, str] | None = None, stored: Callable[[], Mapping[str, str]] | None = None
    ) -> dict[str, str]:
        """Read this channel's secrets (environment first, then the secrets file) and register them for redaction.

        ``stored`` returns the secrets file's variables; it is called only when a variable is
        not in the environment, so a run whose tokens are all exported never reads the file.
        """
        environ = os.environ if environ is None else environ
        values, missing = {}, []
        for key, variable in self.secret_env.items():
            value = environ.get(variable, "")
            if not value and stored is not None:
                value = stored().get(variable, "")
            if not value:
                missing.append(variable)
            values[key] = value
            SECRETS.add(value)
        if missing:
            raise ConfigError(
                f"channel {self.name!r}: variable(s) {', '.join(missing)} not set in the environment "
                f"or the secrets file (export the {self.network} credentials, or store them with "
                f"ratusha-crosspost auth {self.network} --channel {self.name}; --dry-run needs none)"
            )
        return values


@dataclass
class Config:
    """The whole file: where the feeds and the state are, and the channels."""

    path: Path
    feeds: str
    state_dir: Path
    channels: dict[str, Channel]
    #: the journal of started channels and their posts, apart from the state files (None: in state_dir)
    journal: Path | None = None
    #: the one secrets file (YAML, mode 600), read after the environment
    secrets_file: Path | None = None
    #: the ``departments:`` block as written, expanded by ratusha.crosspost.departments once the feeds are known
    departments: dict[str, Any] | None = None
    #: channels written with ``enabled: false`` (kept so that they also switch off a generated channel)
    disabled: set[str] = field(default_factory=set)

    def journal_path(self, state_dir: Path) -> Path:
        """Where the journal is: the configured path, else ``<state_dir>/journal.jsonl``."""
        return self.journal or state_dir / "journal.jsonl"


TOP_LEVEL = ("version", "feeds", "state_dir", "journal", "secrets_file", "channels", "departments")


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Give a command line the --config option (ratusha-crosspost and its auth command take the same)."""
    parser.add_argument(
        "--config",
        default=os.environ.get("RATUSHA_CROSSPOST_CONFIG", "crosspost.yml"),
        help="the YAML configuration (default: crosspost.yml, or $RATUSHA_CROSSPOST_CONFIG)",
    )


def load(path: str | Path) -> Config:
    """Read and check the configuration file; raise ConfigError naming every problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping with 'channels'")
    if raw.get("version", 1) != 1:
        problems.append(f"version: {raw.get('version')!r} is not supported (allowed: 1)")
    for key in raw:
        if key not in TOP_LEVEL:
            problems.append(f"{key}: unknown setting (known: {', '.join(TOP_LEVEL)})")
    departments = raw.get("departments")
    if departments is not None:
        from ratusha.crosspost.departments import check  # noqa: PLC0415 - departments imports this module

        check(departments, problems)
    channels_raw = raw.get("channels", {} if departments else None)
    if not isinstance(channels_raw, dict) or (not channels_raw and not departments):
        problems.append("channels: a mapping of channel name to its settings is required (or a departments: block)")
        channels_raw = {}
    channels = {}
    for name, settings in channels_raw.items():
        channel = channel_from(str(name), settings, problems)
        if channel:
            channels[channel.name] = channel
    if problems:
        raise ConfigError(f"{path}: " + f"\n{path}: ".join(problems))
    base = path.parent

    def local(value: Any) -> Path | None:
        if value in (None, ""):
            return None
        value = Path(str(value)).expanduser()
        return value if value.is_absolute() else base / value

    feeds = str(raw.get("feeds", "output"))
    if "://" not in feeds and not Path(feeds).is_absolute():
        feeds = str(base / feeds)
    return Config(
        path,
        feeds,
        local(raw.get("state_dir", ".crosspost")) or base,
        {name: channel for name, channel in channels.items() if channel.options.get("enabled", True)},
        journal=local(raw.get("journal")),
        secrets_file=local(raw.get("secrets_file")),
        departments=departments,
        disabled={name for name, channel in channels.items() if not channel.options.get("enabled", True)},
    )


def channel_from(name: str, settings: Any, problems: list[str]) -> Channel | None:
    """Check one channel's settings (the generic ones here, the network's by its poster); None if unusable."""
    where = f"channels.{name}"
    if not isinstance(settings, dict):
        problems.append(f"{where}: must be a mapping of settings")
        return None
    network = settings.get("type", name)
    if network not in NETWORKS:
        problems.append(f"{where}.type: {network!r} is not a network (allowed: {', '.join(NETWORKS)})")
        return None
    feeds = settings.get("feeds")
    if isinstance(feeds, str):
        feeds = [feeds]
    if not isinstance(feeds, list) or not feeds or not all(isinstance(f, str) and f for f in feeds):
        problems.append(f"{where}.feeds: {feeds!r} is not a list of feed paths (e.g. [rss.xml])")
        feeds = []
    template = settings.get("template", DEFAULT_TEMPLATES[network])
    _check_template(where, template, network, problems)
    channel = Channel(
        name=name,
        network=network,
        feeds=list(feeds),
        template=str(template),
        max_length=_number(settings, "max_length", DEFAULT_MAX_LENGTH[network], where, problems, 50, 100_000),
        min_interval=_number(settings, "min_interval", DEFAULT_INTERVAL[network], where, problems, 0, 3600),
        timeout=_number(settings, "timeout", 30, where, problems, 0.1, 600),
        retries=int(_number(settings, "retries", 4, where, problems, 1, 20)),
        backoff=_number(settings, "backoff", 1.0, where, problems, 0, 600),
        max_wait=_number(settings, "max_wait", 300, where, problems, 0, 86_400),
        max_attempts=int(_number(settings, "max_attempts", 5, where, problems, 1, 1000)),
        on_timeout=_choice(settings, "on_timeout", "resend" if network == "vk" else "report", where, problems),
        after_crash=_choice(settings, "after_crash", "resend", where, problems),
        api_base=str(settings.get("api_base", DEFAULT_API[network])).rstrip("/"),
    )
    from ratusha.crosspost.poster import poster_class  # noqa: PLC0415 - it imports this module

    poster_class(network).parse_options(channel, settings, where, problems)
    channel.options["enabled"] = bool(settings.get("enabled", True))
    known = _known_keys()
    for key in settings:
        if key not in known:
            problems.append(f"{where}.{key}: unknown setting (known: {', '.join(sorted(known))})")
    channel.on_withdraw = _choice(settings, "on_withdraw", "reply", where, problems, WITHDRAW_POLICIES)
    if settings.get("edit_window") is not None:
        channel.edit_window = _number(settings, "edit_window", 0, where, problems, 0, 10 * 365 * 86_400)
    return channel


@functools.cache
def _known_keys() -> frozenset[str]:
    """Every setting a channel may have: the generic ones and every network's.

    Every network's keys are accepted on every channel (a channel block may be copied from
    another network's); each network reads only its own. Made once: the posters import this
    module, so it cannot be made when this module is.
    """
    from ratusha.crosspost.poster import POSTERS, poster_class  # noqa: PLC0415 - it imports this module

    return GENERIC_KEYS.union(*(poster_class(network).option_keys for network in POSTERS))


def _check_template(where: str, template: Any, network: str, problems: list[str]) -> None:
    import string  # noqa: PLC0415 - only needed here

    if not isinstance(template, str) or not template.strip():
        problems.append(f"{where}.template: must be a non-empty string")
        return
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        problems.append(f"{where}.template: {error} (write a literal brace as {{{{ or }}}})")
        return
    unknown = names - set(TEMPLATE_FIELDS)
    if unknown:
        problems.append(f"{where}.template: unknown field(s) {sorted(unknown)} (allowed: {', '.join(TEMPLATE_FIELDS)})")
    if "link" not in names:
        problems.append(f"{where}.template: must contain {{link}}, so that a cut text leads to the full item")
    if network in ("telegram", "max"):
        from ratusha.crosspost.format import max_html_problem, telegram_html_problem  # noqa: PLC0415

        check = telegram_html_problem if network == "telegram" else max_html_problem
        problem = check(template.replace("{", "").replace("}", ""))
        if problem:
            problems.append(f"{where}.template: {problem}")


def _number(  # noqa: PLR0917 - read as one line per setting in channel_from
    settings: dict, key: str, default: float, where: str, problems: list[str], low: float, high: float
) -> float:
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        problems.append(f"{where}.{key}: {value!r} is not a number from {low:g} to {high:g}")
        return default
    return value


def _choice(  # noqa: PLR0917 - read as one line per setting in channel_from
    settings: dict, key: str, default: str, where: str, problems: list[str], allowed: tuple[str, ...] = POLICIES
) -> str:
    value = settings.get(key, default)
    if value not in allowed:
        problems.append(f"{where}.{key}: {value!r} (allowed: {', '.join(allowed)})")
        return default
    return value


def _require(settings: dict, key: str, where: str, problems: list[str]) -> Any:
    if settings.get(key) in (None, ""):
        problems.append(f"{where}.{key}: required for this network")
        return None
    return settings[key]
