"""Default settings of the content model; a site's pelicanconf.py may override any."""

from __future__ import annotations

from typing import Any

from ratusha.core.acts import VERSION_FILES

__all__ = ["apply_defaults"]


def apply_defaults(settings: dict[str, Any]) -> None:
    """Give each type's ``<PREFIX>_URL`` / ``_SAVE_AS`` its section's address unless the site set them.

    ``{slug}`` and ``{date}`` work as in Pelican's ARTICLE_URL. The sections
    (``RATUSHA_SECTIONS``, resolved by ``ratusha.core``) say where each type lives.
    """
    # An act's consolidated versions are read with the act (act_versions), not as acts.
    ignored = list(settings.get("IGNORE_FILES") or [])
    if VERSION_FILES not in ignored:
        settings["IGNORE_FILES"] = [*ignored, VERSION_FILES]
    for section in settings["RATUSHA_SECTIONS"].values():
        if section.name == "page":  # Pelican's own PAGE_URL, set in pelicanconf.py
            continue
        url = settings.setdefault(f"{section.settings_prefix}_URL", section.item_url)
        settings.setdefault(f"{section.settings_prefix}_SAVE_AS", f"{url}index.html")
