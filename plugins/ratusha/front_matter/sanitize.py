"""The HTML editors may write inside Markdown: a documented allow-list, nothing else.

An official site must not run whatever a copied-and-pasted snippet brings along, so
Markdown's HTML output goes through nh3 (the Rust sanitizer ammonia): no <script> or
<style>, no event-handler attributes, no ``javascript:`` or ``data:`` URLs, no inline
styles. Video embeds (<iframe>) are kept only when their address is on a host listed in
RATUSHA_EMBED_HOSTS, which is empty by default, as an embed is a request to another site.

Allowed: the tags Markdown produces (headings, paragraphs, lists, tables, links,
images, code, quotes, definition lists, footnotes) plus figure/figcaption, abbr, mark,
sub/sup, details/summary; ``id`` on any tag (anchors), ``class`` on code and footnotes.

Nothing is removed silently: :func:`removed_elements` lists what :func:`sanitize` drops,
and the reader records it with its line (``removed_html``) for the content checks to warn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlparse

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "code": {"class"},
    "div": {"class"},
    "sup": {"class"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}
REMOVED_WITH_CONTENT = {"script", "style", "template", "noscript", "object", "embed", "svg", "math"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _embed_allowed(src: str, hosts: set[str]) -> bool:
    """Say whether an ``<iframe src>`` is an https address on one of ``hosts`` (or a subdomain)."""
    url = urlparse(src)
    host = (url.hostname or "").lower()
    return url.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)


def sanitize(html: str, embed_hosts: Iterable[str] = ()) -> str:
    """Return ``html`` reduced to the allow-list; iframes only from ``embed_hosts``."""
    hosts = {host.lower() for host in embed_hosts}
    tags = TAGS | ({"iframe"} if hosts else set())

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src" and not _embed_allowed(value, hosts):
            return None
        return value

    cleaned = nh3.clean(
        html,
        tags=tags,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # An iframe whose address was dropped is an empty box: remove it altogether.
    return cleaned.replace("<iframe></iframe>", "") if hosts else cleaned


class _Removed(HTMLParser):
    """Collects, in document order, the elements of Markdown's HTML that :func:`sanitize` drops."""

    def __init__(self, hosts: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.hosts = hosts
        self.found: list[tuple[str, str]] = []
        self._inside = 0  # within an element removed with its content (a <script>'s text is not HTML)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._inside:
            return
        if tag == "iframe":
            src = dict(attrs).get("src") or ""
            if not _embed_allowed(src, self.hosts):
                host = urlparse(src).hostname or src or "?"
                self.found.append((tag, host))
        elif tag not in TAGS:
            self.found.append((tag, ""))
        if tag in REMOVED_WITH_CONTENT:
            self._inside += 1

    def handle_endtag(self, tag: str) -> None:
        if self._inside and tag in REMOVED_WITH_CONTENT:
            self._inside -= 1


def removed_elements(html: str, embed_hosts: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Return the elements :func:`sanitize` removes from ``html``: (tag, iframe's host or "").

    So that an editor hears of a pasted ``<script>`` or video embed instead of finding it
    silently gone from the page (the content model turns each into a warning with its line).
    """
    hosts = {host.lower() for host in embed_hosts}
    if not {name.lower() for name in _TAG_NAME.findall(html)} - TAGS:
        return []  # the usual case, found without parsing: every tag is allowed
    parser = _Removed(hosts)
    parser.feed(html)
    parser.close()
    return parser.found


_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")


def tag_lines(markdown: str, tag: str, first_line: int) -> list[int]:
    """Return the lines of ``markdown`` (numbered from ``first_line``) that open ``<tag``.

    Lines inside fenced or indented code, and code spans, are skipped: Markdown shows those
    as text, and nothing is removed from them.
    """
    opening = re.compile(rf"<{re.escape(tag)}(?=[\s/>])", re.IGNORECASE)
    lines, fenced = [], False
    for number, line in enumerate(markdown.splitlines(), start=first_line):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue
        lines += [number] * len(opening.findall(_CODE_SPAN.sub("", line)))
    return lines
