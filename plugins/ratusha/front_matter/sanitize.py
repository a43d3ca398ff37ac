"""The HTML editors may write inside Markdown: a documented allow-list, nothing else.

An official site must not run whatever a copied-and-pasted snippet brings along, so
Markdown's HTML output goes through nh3 (the Rust sanitizer ammonia): no <script> or
<style>, no event-handler attributes, no ``javascript:`` or ``data:`` URLs, no inline
styles. Video embeds (<iframe>) are kept only when their address is on a host listed in
RATUSHA_EMBED_HOSTS, which is empty by default, as an embed is a request to another site.

Allowed: the tags Markdown produces (headings, paragraphs, lists, tables, links,
images, code, quotes, definition lists, footnotes) plus figure/figcaption, abbr, mark,
sub/sup, details/summary; ``id`` on any tag (anchors), ``class`` on code and footnotes.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def sanitize(html: str, embed_hosts: Iterable[str] = ()) -> str:
    """Return ``html`` reduced to the allow-list; iframes only from ``embed_hosts``."""
    hosts = {host.lower() for host in embed_hosts}
    tags = TAGS | ({"iframe"} if hosts else set())

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            host = (urlparse(value).hostname or "").lower()
            if urlparse(value).scheme != "https" or not any(host == h or host.endswith("." + h) for h in hosts):
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
