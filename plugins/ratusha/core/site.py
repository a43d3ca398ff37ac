"""The public address of the site, worked out in one place.

Feeds, the sitemap, structured data and Open Graph need absolute URLs even when the site
is built for a local preview (relative SITEURL); all of them take them from here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["public_url"]


def public_url(settings: dict[str, Any]) -> str:
    """Return the site's public base URL, without a trailing slash.

    ``RATUSHA_PUBLIC_URL`` when set; else SITEURL when it is absolute (publishconf.py);
    else the municipality's ``site_url``.
    """
    for candidate in (settings.get("RATUSHA_PUBLIC_URL"), settings.get("SITEURL")):
        if candidate and str(candidate).startswith(("http://", "https://")):
            return str(candidate).rstrip("/")
    return settings["MUNICIPALITY"]["site_url"]
