"""`ratusha-crosspost auth NETWORK`: how to get a token, then check it and store it.

It prints the steps and the address where the token is issued, reads the token without
echo (or from stdin when it is not a terminal, for scripts), asks the network who the
token is (the poster's ``check_token``: Telegram getMe and the bot's rights in the chat,
VK users.get / groups.getById, OK users.getCurrentUser, MAX GET /me) against the
channel's ``api_base``, and only then writes it into the config's ``secrets_file``
(mode 600, :mod:`ratusha.crosspost.secret_store`). A token of the wrong kind — a VK
community key, a bot that may not post in the channel — is refused with the reason.

Exit codes as the main command's: 0 stored, 1 the network could not be reached (nothing
stored), 2 the token was refused or the configuration is wrong (nothing stored).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import urllib.parse
from pathlib import Path
from typing import TextIO

from ratusha.crosspost import config as config_module
from ratusha.crosspost import secret_store
from ratusha.crosspost.config import NETWORKS, Channel, Config, ConfigError
from ratusha.crosspost.http import SECRETS
from ratusha.crosspost.poster import HardStop, Pause, poster_class

EXIT_OK, EXIT_FAILED, EXIT_STOP = 0, 1, 2
VK_SCOPE = "wall,photos,offline"
VK_REDIRECT = "https://oauth.vk.com/blank.html"
OK_SCOPE = "VALUABLE_ACCESS;GROUP_CONTENT;PHOTO_CONTENT;LONG_ACCESS_TOKEN"
OK_REDIRECT = "https://apiok.ru/oauth_callback"


def vk_authorize_url(client_id: str, api_version: str = "5.199") -> str:
    """Return the Implicit Flow address that issues a user token with the wall, photos and offline rights."""
    query = {
        "client_id": client_id,
        "display": "page",
        "redirect_uri": VK_REDIRECT,
        "scope": VK_SCOPE,
        "response_type": "token",
        "v": api_version,
    }
    return "https://oauth.vk.com/authorize?" + urllib.parse.urlencode(query, safe=",:/")


def ok_authorize_url(client_id: str) -> str:
    """Return the OAuth address that issues an OK token with the permissions posting needs."""
    query = {
        "client_id": client_id,
        "scope": OK_SCOPE,
        "response_type": "token",
        "redirect_uri": OK_REDIRECT,
        "layout": "w",
    }
    return "https://connect.ok.ru/oauth/authorize?" + urllib.parse.urlencode(query, safe=";:/")


def steps(network: str, channel: Channel, client_id: str = "") -> str:
    """Say what a person does to get the token of ``network`` for ``channel``."""
    options = channel.options
    if network == "telegram":
        return (
            "Telegram: the token of a bot that administers the channel.\n"
            "  1. In Telegram open @BotFather, send /newbot (or /mybots → the bot → API Token).\n"
            "  2. Copy the token it shows (123456789:AA…).\n"
            f"  3. In the channel {options.get('chat_id')}: Settings → Administrators → Add administrator → the bot,\n"
            "     with the right «Post messages» (and «Edit messages of others», «Delete messages of others»\n"
            "     for corrections and withdrawals)."
        )
    if network == "vk":
        url = vk_authorize_url(client_id or "<APP_ID>", str(options.get("api_version", "5.199")))
        return (
            f"VK: a user access token of an administrator (or editor) of club{-int(options.get('owner_id') or 0)},\n"
            "with the rights wall, photos, offline. A community key does NOT work: VK refuses wall.post and\n"
            "photo uploads with it (error 27).\n"
            "  1. Create a Standalone application at https://dev.vk.com (or use the municipality's VK ID app);\n"
            "     its id is the APP_ID.\n"
            "  2. Logged in to VK as the community's administrator, open:\n"
            f"     {url}\n"
            "  3. Allow access. The browser lands on\n"
            "     oauth.vk.com/blank.html#access_token=vk1.a.…&expires_in=0&user_id=…\n"
            "     Copy the whole address (or only the access_token value) and paste it below.\n"
            "  expires_in=0 (the offline right) means the token does not expire; it stops working when the\n"
            "  administrator changes the password, ends all sessions or revokes the application."
        )
    if network == "ok":
        url = ok_authorize_url(client_id or "<APP_ID>")
        return (
            f"OK: a long-lived access token of an administrator of group {options.get('group_id')}, and the\n"
            "application's public and secret keys (every request is signed with them).\n"
            "  1. Register an application at https://ok.ru/vitrine/myuploaded («Добавить приложение»,\n"
            "     type «External»); OK e-mails its id, public key (application_key) and secret key.\n"
            "  2. Ask api-support@ok.ru for the permissions VALUABLE_ACCESS, GROUP_CONTENT, PHOTO_CONTENT and\n"
            "     LONG_ACCESS_TOKEN for the application (with a sentence on what they are for).\n"
            "  3. Logged in to OK as the group's administrator, open:\n"
            f"     {url}\n"
            "     Allow access; copy the address you land on (…#access_token=…) or only the access_token.\n"
            "  With LONG_ACCESS_TOKEN the token lives 30 days and every API call (at most once a day) extends it,\n"
            "  so a daily run keeps it alive; it ends when the administrator revokes the application at\n"
            "  https://ok.ru/settings/oauth or changes the password."
        )
    if network == "max":
        return (
            "MAX: the token of the organisation's bot, which administers the channel.\n"
            "  1. On the MAX platform for organisations (https://business.max.ru/self), after the organisation's\n"
            "     profile is verified: «Чат-боты» → create the bot (or choose it) → ⋮ → «Настройки» → copy the token.\n"
            "     (The «MAX для бизнеса» mini-app and bot show the same token.)\n"
            f"  2. In the channel {options.get('chat_id')}: add the bot as an administrator with the right to write\n"
            "     posts (and to edit and delete them, for corrections and withdrawals).\n"
            f"  The API: {channel.api_base} (the token goes in the Authorization header)."
        )
    raise KeyError(network)


def parser() -> argparse.ArgumentParser:
    """Build the command line of `ratusha-crosspost auth`."""
    cli = argparse.ArgumentParser(
        prog="ratusha-crosspost auth",
        description="Show how to get a network's token, check it with the network, store it in secrets_file.",
    )
    cli.add_argument("network", choices=NETWORKS)
    cli.add_argument("--channel", help="the channel whose token this is (default: the network's only channel)")
    config_module.add_config_option(cli)
    cli.add_argument("--secrets-file", help="where to store the token (default: secrets_file in the config)")
    cli.add_argument("--app-id", default="", help="VK, OK: the application id for the authorisation address")
    return cli


def main(argv: list[str] | None = None, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Run the command; return the exit code."""
    args = parser().parse_args(argv)
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    try:
        config = config_module.load(args.config)
        channel = pick(config, args.network, args.channel)
        path = secrets_path(config, args.secrets_file)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_STOP
    print(steps(args.network, channel, args.app_id), file=out)
    print(file=out)
    stored = _stored(path)
    values: dict[str, str] = {}
    for key, variable in channel.secret_env.items():
        if key != "token" and (os.environ.get(variable) or stored.get(variable)):
            values[key] = os.environ.get(variable) or stored[variable]
            continue
        label = "the token" if key == "token" else key.replace("_", " ")
        value = read_secret(f"Paste {label} ({variable}): ", stdin, out)
        if key == "token" and args.network in ("vk", "ok"):
            value = token_from_redirect(value)
        if not value:
            print(f"nothing entered for {variable}; nothing stored", file=sys.stderr)
            return EXIT_STOP
        values[key] = value
    for value in values.values():
        SECRETS.add(value)
    poster = poster_class(args.network)(channel, values)
    try:
        check = poster.check_token()
    except HardStop as stop:
        print(f"refused, nothing stored: {stop}", file=sys.stderr)
        return EXIT_STOP
    except Pause as pause:
        print(f"could not check the token, nothing stored: {pause}", file=sys.stderr)
        return EXIT_FAILED
    written = []
    try:
        for key, variable in channel.secret_env.items():
            if stored.get(variable) != values[key] and (key == "token" or not os.environ.get(variable)):
                secret_store.write(path, variable, values[key])
                written.append(variable)
    except (OSError, secret_store.SecretsFileError) as error:
        print(f"checked, but not stored: {error}", file=sys.stderr)
        return EXIT_STOP
    print(f"checked: {check.show()}", file=out)
    print(f"stored {', '.join(written) or 'nothing new'} in {path} (mode 600)", file=out)
    return EXIT_OK


def pick(config: Config, network: str, name: str | None) -> Channel:
    """Return the channel named, or the network's only one."""
    if name:
        channel = config.channels.get(name)
        if channel is None or channel.network != network:
            known = ", ".join(n for n, c in config.channels.items() if c.network == network) or "none"
            raise ConfigError(f"--channel {name}: not a {network} channel in {config.path} (known: {known})")
        return channel
    found = [channel for channel in config.channels.values() if channel.network == network]
    if len(found) != 1:
        names = ", ".join(channel.name for channel in found) or "none"
        raise ConfigError(f"{config.path}: {len(found)} {network} channels ({names}); name one with --channel")
    return found[0]


def secrets_path(config: Config, override: str | None) -> Path:
    """Return where tokens are stored: --secrets-file, else the config's secrets_file."""
    if override:
        return Path(override)
    if not config.secrets_file:
        raise ConfigError(
            f"{config.path}: set secrets_file (e.g. secrets_file: /etc/ratusha/crosspost-secrets.yml) "
            "or pass --secrets-file, so that the checked token can be stored"
        )
    return config.secrets_file


def _stored(path: Path) -> dict[str, str]:
    try:
        return secret_store.read(path)
    except secret_store.SecretsFileError:
        return {}


def read_secret(prompt: str, stdin: TextIO, out: TextIO) -> str:
    """Read a secret without echo from a terminal, or one line from a pipe."""
    if stdin.isatty():
        return getpass.getpass(prompt).strip()
    print(prompt, file=out)
    return stdin.readline().strip()


def token_from_redirect(text: str) -> str:
    """Return the access_token of a pasted redirect address (…blank.html#access_token=…), or the text itself."""
    if "access_token=" not in text:
        return text
    fragment = urllib.parse.urlsplit(text).fragment or text.split("#", 1)[-1]
    return urllib.parse.parse_qs(fragment).get("access_token", [text])[0]
