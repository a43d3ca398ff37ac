"""HTML of an old page to clean Markdown, with its images and files brought in locally.

markdownify (MIT, on BeautifulSoup) does the conversion: its converter is a class whose
per-tag methods can be overridden (https://github.com/matthew-dean/markdownify#readme:
``MarkdownConverter`` subclasses, ``heading_style``, ``bullets``, ``strip``), which is
what rewriting each image and document link to its downloaded copy needs. html2text was
the other candidate; it is GPL-3.0 and rewrites links only through global options.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import ATX, MarkdownConverter

__all__ = ["DOCUMENT_EXTENSIONS", "IMAGE_EXTENSIONS", "clean_fragment", "to_markdown"]

#: What the content model accepts as images and as attachments (docs/content-model.md).
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".ods", ".rtf", ".zip")
#: Never part of an item's text.
NOISE = ("script", "style", "noscript", "iframe", "form", "button", "input", "select", "textarea", "svg", "nav")
#: A function from (absolute address, "image" or "file") to the local path under content/, or None.
Localise = Callable[[str, str], str | None]


def is_document(address: str) -> bool:
    """Whether ``address`` names a document an item may attach (by its extension)."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(address).path).lower()
    return path.endswith(DOCUMENT_EXTENSIONS)


def clean_fragment(fragment: Tag | str, remove: Iterable[str] = ()) -> Tag:
    """Return a copy of ``fragment`` without scripts, styles, forms, comments and ``remove`` selectors."""
    soup = BeautifulSoup(str(fragment), "html.parser")
    for selector in remove:
        for element in soup.select(selector):
            element.decompose()
    for element in soup.find_all(NOISE):
        element.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for element in soup.find_all(["span", "font", "o:p", "center"]):
        element.unwrap()  # Word's and old editors' wrappers carry nothing but style
    return soup


class _Converter(MarkdownConverter):
    """markdownify's converter, with links and images pointed at their local copies."""

    def __init__(self, base: str, localise: Localise, hosts: frozenset[str], **options: Any) -> None:
        super().__init__(**options)
        self.base = base
        self.localise = localise
        self.hosts = hosts

    def _page(self, absolute: str) -> str:
        """Return a link to another page of the old site as its old address (which redirects)."""
        parts = urllib.parse.urlsplit(absolute)
        if (parts.hostname or "").lower() not in self.hosts:
            return absolute
        return (
            (parts.path or "/")
            + (f"?{parts.query}" if parts.query else "")
            + (f"#{parts.fragment}" if parts.fragment else "")
        )

    def _local(self, address: str, kind: str) -> str:
        absolute = urllib.parse.urljoin(self.base, address.strip())
        if urllib.parse.urlsplit(absolute).scheme not in ("http", "https"):
            return address
        local = self.localise(absolute, kind)
        return "{static}/" + local if local else absolute

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = el.attrs.get("src") or ""
        if not src or src.startswith("data:"):
            return ""
        el.attrs["src"] = self._local(src, "image")
        return super().convert_img(el, text, parent_tags)

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = el.attrs.get("href") or ""
        if href and not href.startswith(("#", "mailto:", "tel:")):
            absolute = urllib.parse.urljoin(self.base, href.strip())
            el.attrs["href"] = self._local(href, "file") if is_document(absolute) else self._page(absolute)
        el.attrs.pop("title", None)
        return super().convert_a(el, text, parent_tags)


_BLANK_LINES = re.compile(r"\n{3,}")
#: A hard line break (``\`` at a line's end) that ends a paragraph or stands alone: Bitrix's <br />.
_LOOSE_BREAKS = re.compile(r"(?m)^\\\n|\\\n(?=\s*\n|\Z)|\\\Z")
_TRAILING = re.compile(r"[ \t]+\n")


def to_markdown(fragment: Tag | str, base: str, localise: Localise, remove: Iterable[str] = ()) -> str:
    """Return the Markdown of an HTML fragment found at ``base`` (its relative links resolved).

    Links to other pages of the old site (its host, ``base``'s) keep their old address, which
    the ledger redirects to the imported item; images and documents point at local copies.
    """
    soup = clean_fragment(fragment, remove)
    host = (urllib.parse.urlsplit(base).hostname or "").lower()
    converter = _Converter(
        base,
        localise,
        frozenset({host, host.removeprefix("www."), "www." + host.removeprefix("www.")}),
        heading_style=ATX,
        bullets="-",
        strip=["div", "section", "article"],
        escape_underscores=False,
        newline_style="backslash",
        table_infer_header=True,
    )
    text = converter.convert_soup(soup).replace("\xa0", " ")
    text = _TRAILING.sub("\n", text)
    while _LOOSE_BREAKS.search(text):
        text = _LOOSE_BREAKS.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"
