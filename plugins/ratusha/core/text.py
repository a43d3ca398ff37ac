"""Plain text from HTML, for feeds, structured data and meta descriptions."""

from __future__ import annotations

import re

from lxml import html

_SPACES = re.compile(r"\s+")


def plain_text(fragment: str | None) -> str:
    """Return the text of an HTML fragment on one line."""
    if not fragment or not fragment.strip():
        return ""
    text = html.fragment_fromstring(fragment, create_parent="div").text_content()
    return _SPACES.sub(" ", text).strip()
