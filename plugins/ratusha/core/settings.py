"""Settings with their defaults in one dict per plugin, as Pelican's DEFAULT_CONFIG.

Each plugin declares ``DEFAULTS`` (every setting it reads, with its default and a comment)
and applies them at ``initialized``; the README's settings table is tested against them
(``tests/test_settings.py``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULTS", "apply_defaults"]

#: The core's own settings.
DEFAULTS: dict[str, Any] = {
    # Reuse the pages, feeds and list pages whose fingerprints did not change (the record
    # is in <CACHE_PATH>/incremental/; delete it to force a full render).
    "RATUSHA_INCREMENTAL": True,
    # The moment that decides what is scheduled and which events are past: an ISO
    # date-time, or None for the time of the build. Tests and reproducible builds set it.
    "RATUSHA_BUILD_TIME": None,
    # Overrides of the sections' addresses and titles (ratusha.core.sections), e.g.
    # {"news": {"url": "novosti/"}}; replaced at start-up by the resolved table.
    "RATUSHA_SECTIONS": {},
    # The site's public address for feeds, the sitemap and structured data; None: an
    # absolute SITEURL, else the municipality's site_url (ratusha.core.site).
    "RATUSHA_PUBLIC_URL": None,
}


def apply_defaults(settings: dict[str, Any], defaults: dict[str, Any] = DEFAULTS) -> None:
    """Fill in every default the site's configuration did not set."""
    for key, value in defaults.items():
        settings.setdefault(key, value)
