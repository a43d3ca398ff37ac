"""Each plugin's settings live in one DEFAULTS dict; the README's table is made from them."""

from __future__ import annotations

import importlib
import re

import pytest
from pelican import Pelican
from pelican.settings import read_settings

from ratusha.core.settings import settings_table
from support import ROOT

PLUGINS = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]


def test_the_readme_settings_table_is_generated_from_the_plugins_defaults():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- settings-table -->\n(.*?)<!-- /settings-table -->", readme, re.S)
    assert found, "README.md has no settings table between its markers"
    assert found.group(1) == settings_table(PLUGINS), "run: invoke settings-table, and paste it into README"


def test_every_plugin_that_reads_a_ratusha_setting_declares_it():
    declared = {key for name in PLUGINS for key in getattr(importlib.import_module(name), "DEFAULTS", {})}
    read: set[str] = set()
    for path in (ROOT / "plugins" / "ratusha").rglob("*.py"):
        if "crosspost" in path.parts or "publish" in path.parts or path.name.startswith("test_"):
            continue
        read |= set(re.findall(r"settings(?:\.get\(|\[)\"(RATUSHA_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    for path in (ROOT / "theme" / "templates").rglob("*.html"):
        read |= set(re.findall(r"\b(RATUSHA_[A-Z_]+)\b", path.read_text(encoding="utf-8")))
    assert read, "no setting found: the pattern no longer matches the code"
    assert read <= declared, f"read but not declared in any DEFAULTS: {sorted(read - declared)}"


def test_defaults_are_filled_in_and_a_site_may_override_them(tmp_path):
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"RATUSHA_FEED_LIMIT": 7})
    Pelican(settings)  # registers the plugins and sends `initialized`
    assert settings["RATUSHA_FEED_LIMIT"] == 7
    assert settings["RATUSHA_HOME_LATEST"] == 6
    assert settings["NEWS_URL"] == "news/{date:%Y}/{date:%m}/{slug}/"


@pytest.mark.parametrize("setting", ["RATUSHA_FEED_SITE_URL"])
def test_the_old_feed_url_setting_becomes_the_public_url(setting, caplog):
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={setting: "https://example.ru"})
    Pelican(settings)
    assert settings["RATUSHA_PUBLIC_URL"] == "https://example.ru"
    assert "RATUSHA_PUBLIC_URL" in caplog.text
