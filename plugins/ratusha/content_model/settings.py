"""Default settings of the content model; a site's pelicanconf.py may override any."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # Where each type's pages go. {slug} and {date} work as in Pelican's ARTICLE_URL.
    "NEWS_URL": "news/{date:%Y}/{date:%m}/{slug}/",
    "NEWS_SAVE_AS": "news/{date:%Y}/{date:%m}/{slug}/index.html",
    "LEGAL_ACT_URL": "documents/{slug}/",
    "LEGAL_ACT_SAVE_AS": "documents/{slug}/index.html",
    "ANNOUNCEMENT_URL": "announcements/{date:%Y}/{slug}/",
    "ANNOUNCEMENT_SAVE_AS": "announcements/{date:%Y}/{slug}/index.html",
    "ANSWER_URL": "glava-v-otvete/{slug}/",
    "ANSWER_SAVE_AS": "glava-v-otvete/{slug}/index.html",
    "DEPARTMENT_URL": "departments/{slug}/",
    "DEPARTMENT_SAVE_AS": "departments/{slug}/index.html",
}


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in every default the site's configuration did not set."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
