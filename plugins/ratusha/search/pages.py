"""What a built page gives the search index: its title, text, filters and result details.

The theme marks what is searchable, as it did for Pagefind: the element with
``data-search-body`` holds the page's text, elements inside it with ``data-search-ignore``
are left out (a department's latest news, hidden metadata), and hidden elements with
``data-search-filter="Name"`` or ``data-search-meta="Name"`` give a filter value or a
detail shown with the result. The first ``<h1>`` is the title. Our own templates write
valid HTML (checked with vnu in the tests), so a scan of the tags is enough and is
a fraction of the cost of a full HTML parser on tens of thousands of pages.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["Page", "extract"]

_BODY = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\bdata-search-body\b[^>]*>")
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)\b([^>]*)>|<!--.*?-->", re.DOTALL)
_NAMED = re.compile(r'\bdata-search-(filter|meta)="([^"]*)"')
_SPACE = re.compile(r"\s+")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass
class Page:
    """The searchable part of one page."""

    title: str = ""
    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)


def _clean(parts: list[str]) -> str:
    return _SPACE.sub(" ", html.unescape("".join(parts))).strip()


def extract(document: str) -> Page | None:
    """Return the searchable part of an HTML page, or None if it has none."""
    start = _BODY.search(document)
    if start is None:
        return None
    page = Page()
    body_tag, body_depth = start.group(1), 1
    ignored: tuple[str, int] | None = None  # (tag, depth) of the element being left out
    text: list[str] = []
    title: list[str] | None = None  # collecting the first <h1>
    named: tuple[str, str, list[str]] | None = None  # a filter or meta element being read
    position = start.end()
    for tag in _TAG.finditer(document, position):
        between = document[position : tag.start()]
        position = tag.end()
        if named is not None:
            named[2].append(between)
        elif ignored is None:
            text.append(between)
            if title is not None:
                title.append(between)
        closing, name, attributes = tag.group(1), tag.group(2), tag.group(3)
        if name is None or name in _VOID:  # a comment or an element without content
            text.append(" ")
            continue
        step = -1 if closing else 1
        if name == body_tag:
            body_depth += step
            if body_depth == 0:
                break
        if ignored is not None:
            if name == ignored[0]:
                ignored = (name, ignored[1] + step)
                if ignored[1] == 0:
                    ignored = None
                    if named is not None:
                        kind, key, value = named
                        getattr(page, "filters" if kind == "filter" else "meta")[key] = _clean(value)
                        named = None
            continue
        if not closing and "data-search-ignore" in attributes:
            ignored = (name, 1)
            match = _NAMED.search(attributes)
            if match:
                named = (match.group(1), html.unescape(match.group(2)), [])
            continue
        text.append(" ")  # tags separate words: "<li>один</li><li>два</li>"
        if name == "h1" and not page.title:
            if closing and title is not None:
                page.title, title = _clean(title), None
            elif not closing:
                title = []
    page.text = _clean(text)
    return page
