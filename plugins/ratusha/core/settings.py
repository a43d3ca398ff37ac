"""Settings with their defaults in one dict per plugin, as Pelican's DEFAULT_CONFIG.

Each plugin declares ``DEFAULTS`` (exported by its package): every setting it reads, with
its default and what it does. The core fills them in at ``initialized`` for every plugin
in PLUGINS, and the plugin then reads ``settings[KEY]``. The README's settings table is generated from these dicts
(``settings_table()``, ``invoke settings-table``) and a test checks that it is current.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

__all__ = ["DEFAULTS", "Setting", "apply_defaults", "settings_table"]


class Setting(NamedTuple):
    """A setting's default and a line on what it does (for the README)."""

    default: Any
    doc: str


#: The core's own settings.
DEFAULTS: dict[str, Setting] = {
    "RATUSHA_INCREMENTAL": Setting(
        True,
        "reuse the pages, feeds and list pages whose fingerprints did not change; the record is in "
        "`<CACHE_PATH>/incremental/`, deleting it forces a full render",
    ),
    "RATUSHA_BUILD_TIME": Setting(
        None,
        "the moment that decides what is scheduled and which events are past (ISO date-time); "
        "None: the time of the build. Tests and reproducible builds set it",
    ),
    "RATUSHA_SECTIONS": Setting(
        {},
        'overrides of the sections\' addresses and titles (`ratusha.core.sections`), e.g. `{"news": {"url": '
        '"novosti/"}}`: item pages, lists, feeds and links follow',
    ),
    "RATUSHA_PUBLIC_URL": Setting(
        None,
        "the public address for feeds, the sitemap and structured data; None: an absolute `SITEURL`, "
        "else the municipality's `site_url`",
    ),
}


def apply_defaults(settings: dict[str, Any], defaults: dict[str, Setting] = DEFAULTS) -> None:
    """Fill in every default the site's configuration did not set."""
    for key, setting in defaults.items():
        settings.setdefault(key, setting.default)


def settings_table(plugins: list[str]) -> str:
    """Return the Markdown table of the settings the given plugins declare in ``DEFAULTS``."""
    rows = ["| setting | plugin | default | what it does |", "| --- | --- | --- | --- |"]
    for name in plugins:
        module = importlib.import_module(name)
        for key, setting in getattr(module, "DEFAULTS", {}).items():
            rows.append(f"| `{key}` | `{name}` | `{setting.default!r}` | {setting.doc} |")
    return "\n".join(rows) + "\n"
