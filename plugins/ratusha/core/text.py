"""Plain text from HTML, for feeds, structured data and meta descriptions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from lxml import html

_SPACES = re.compile(r"\s+")


def plain_text(fragment: str | None) -> str:
    """Return the text of an HTML fragment on one line."""
    if not fragment or not fragment.strip():
        return ""
    text = html.fragment_fromstring(fragment, create_parent="div").text_content()
    return _SPACES.sub(" ", text).strip()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a message's hint naming the closest of ``choices`` to ``word``, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; возможно, {close[0]}? / did you mean {close[0]}?" if close else ""
