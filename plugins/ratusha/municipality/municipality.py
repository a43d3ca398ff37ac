"""The municipality a site belongs to, read from one data file.

Everything that makes a portal one city's rather than another's (name, region, ИНН, coat
of arms, time zone, contacts, social accounts, colours, the address of its form on the
Gosuslugi feedback platform ``feedback_widget``, who answers for open data ``open_data``)
lives in a YAML file named by ``RATUSHA_MUNICIPALITY``, so a second municipality needs no
code change. ``inn`` (10 digits) and ``feedback_widget`` (a web address) are checked here;
``ratusha.open_data`` uses them.

Settings: ``DEFAULTS`` below (the data file's path, and SITEURL from it for publishing).

Filled in for templates and other plugins: MUNICIPALITY (the data as a dict), SITENAME,
TIMEZONE and, with RATUSHA_USE_SITE_URL, SITEURL.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican import signals

from ratusha.core.data import decode_utf8, display_path, parse_yaml_mapping
from ratusha.core.errors import ContentError
from ratusha.core.settings import Setting
from ratusha.core.social import account_problems, normalise_account

__all__ = ["DEFAULTS", "data_file", "load_municipality", "register"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    "RATUSHA_MUNICIPALITY": Setting(
        None,
        "the municipality's data file; a relative path is taken from the folder that holds the content "
        "folder; None: `municipality.yml` in the content folder",
    ),
    "RATUSHA_USE_SITE_URL": Setting(False, "SITEURL is the data file's `site_url` (publishconf.py)"),
}
DEFAULT_NAME = "municipality.yml"
#: Networks the templates have names and icons for.
REQUIRED = ("name", "short_name", "region", "timezone", "site_url", "contacts")
REQUIRED_CONTACTS = ("address", "phone", "email")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_INN = re.compile(r"^\d{10}$")


def _check(data: dict[str, Any], lines: dict[str, int], path: str) -> list[ContentError]:
    """Return every problem in the municipality data, not just the first."""
    problems = []

    def problem(field: str, message: str) -> None:
        line = lines.get(field) or lines.get(field.rsplit(".", 1)[0])
        problems.append(ContentError(path, message, line=line, field=field))

    for field in REQUIRED:
        if not data.get(field):
            problem(field, "обязательное поле не заполнено / required field is missing")
    contacts = data.get("contacts") or {}
    if not isinstance(contacts, dict):
        problem("contacts", "ожидается набор полей address, phone, email / expected a mapping")
    else:
        for field in REQUIRED_CONTACTS:
            if not contacts.get(field):
                problem(f"contacts.{field}", "обязательное поле не заполнено / required")
    if data.get("timezone"):
        try:
            ZoneInfo(str(data["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            problem(
                "timezone",
                f"неизвестный часовой пояс {data['timezone']!r} / unknown time zone (e.g. Asia/Omsk)",
            )
    if data.get("inn") is not None and not _INN.match(str(data["inn"])):
        problem("inn", "ИНН органа — 10 цифр, в кавычках / the body's INN is 10 digits, quoted")
    widget = data.get("feedback_widget")
    if widget is not None and not str(widget).startswith(("https://", "http://")):
        problem(
            "feedback_widget",
            "адрес формы Госуслуг должен начинаться с https:// (https://pos.gosuslugi.ru/form/?opaId=…) / "
            "the feedback widget's address must start with https://",
        )
    if data.get("site_url") and not str(data["site_url"]).startswith(("https://", "http://")):
        problem("site_url", "адрес сайта должен начинаться с https:// / must start with https://")
    for index, account in enumerate(data.get("social") or []):
        for field, message in account_problems(account):
            problem(f"social.{index}" + (f".{field}" if field else ""), message)
    for name, value in (data.get("colors") or {}).items():
        if not _COLOUR.match(str(value)):
            problem(f"colors.{name}", f"цвет {value!r} должен быть вида #0b4a8b / a colour is written #rrggbb")
    return problems


def load_municipality(path: str) -> dict[str, Any]:
    """Read and check the municipality data file; raise ContentError on any problem."""
    shown = display_path(path)
    try:
        with open(path, "rb") as handle:
            text = decode_utf8(handle.read(), shown)
    except FileNotFoundError:
        raise ContentError(
            shown, "файл данных муниципалитета не найден / the municipality data file does not exist"
        ) from None
    data, lines = parse_yaml_mapping(text, shown, offset=1)
    problems = _check(data, lines, shown)
    if problems:
        for problem in problems[1:]:
            logger.error("%s", problem)
        raise problems[0]
    data["site_url"] = str(data["site_url"]).rstrip("/")
    data["social"] = [normalise_account(account) for account in data.get("social") or []]
    data.setdefault("colors", {})
    return data


def data_file(settings: dict[str, Any]) -> str:
    """Return the path of the municipality's data file, the one rule for build, check and ``invoke new``."""
    content = os.path.abspath(settings["PATH"])
    path = settings.get("RATUSHA_MUNICIPALITY") or os.path.join(content, DEFAULT_NAME)
    return path if os.path.isabs(path) else os.path.join(os.path.dirname(content), path)


def apply_municipality(pelican: Any) -> None:
    """Load the data file and fill in the settings that derive from it."""
    settings = pelican.settings
    path = data_file(settings)
    data = load_municipality(path)
    arms = data.get("coat_of_arms")
    if arms and not os.path.isfile(os.path.join(settings["PATH"], arms)):
        raise ContentError(
            display_path(path),
            f"файл герба {arms} не найден в папке content / the coat of arms file does not exist",
            field="coat_of_arms",
        )
    settings["MUNICIPALITY"] = data
    settings["SITENAME"] = data["name"]
    settings["TIMEZONE"] = data["timezone"]
    if settings["RATUSHA_USE_SITE_URL"]:
        settings["SITEURL"] = data["site_url"]


def register() -> None:
    """Load the municipality as soon as Pelican has its settings."""
    signals.initialized.connect(apply_municipality)
