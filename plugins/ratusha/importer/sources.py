"""The sources an archive comes from: feeds, a WordPress export, and a crawl with a layout.

Each source is a generator of Items; the importer writes them. Feeds are read by
feedparser (https://feedparser.readthedocs.io/: ``entries``, ``published_parsed`` in UTC,
``content``, ``tags``); the WXR export by lxml with the namespaces WordPress writes
(``wp:``, ``content:encoded``, ``excerpt:encoded``); pages by BeautifulSoup's CSS
selectors (soupsieve).
"""

from __future__ import annotations

import calendar
import datetime
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import yaml
from bs4 import BeautifulSoup, Tag
from lxml import etree
from tqdm import tqdm

from .convert import is_document
from .fetch import Fetcher, Refused
from .model import KINDS, Item, Report
from .text import parse_date

__all__ = ["LAYOUTS", "Layout", "Section", "crawl", "read_feeds", "read_wxr", "sitemap_addresses"]

LAYOUTS = Path(__file__).parent / "layouts"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")


# Feeds ---------------------------------------------------------------------------


def _entry_date(entry: Any) -> datetime.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)


def read_feeds(sources: Iterable[str], kind: str, fetcher: Fetcher | None, report: Report) -> Iterator[Item]:
    """Yield the entries of RSS/Atom feeds: addresses, files, or folders of saved feeds."""
    documents: list[tuple[str, bytes]] = []
    for source in sources:
        path = Path(source)
        if source.startswith(("http://", "https://")):
            if fetcher is None:
                report.not_fetched.append((source, "нет доступа к сети / no fetcher"))
                continue
            try:
                documents.append((source, fetcher.get(source).content))
            except Refused as why:
                report.not_fetched.append((source, str(why)))
        elif path.is_dir():
            documents += [(str(p), p.read_bytes()) for p in sorted(path.iterdir()) if p.suffix.lower() in FEED_SUFFIXES]
        else:
            documents.append((source, path.read_bytes()))
    seen: set[str] = set()
    for name, data in documents:
        feed = feedparser.parse(data)
        if feed.bozo and not feed.entries:
            report.skipped.append((name, f"не лента RSS/Atom / not a feed: {feed.get('bozo_exception')}"))
            continue
        for entry in feed.entries:
            link = entry.get("link") or ""
            if not link or link in seen:  # saved feeds overlap: the first copy wins
                continue
            seen.add(link)
            content = entry.get("content") or []
            body = content[0].get("value", "") if content else entry.get("summary", "")
            terms = [tag.get("term", "") for tag in entry.get("tags") or []]
            yield Item(
                kind=kind,
                source=link,
                title=entry.get("title", ""),
                body=body,
                date=_entry_date(entry),
                departments=terms,
                summary=entry.get("summary", "") if content and entry.get("summary") != body else "",
            )


# WordPress -----------------------------------------------------------------------

WP = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
#: WordPress post types and what they become.
WP_KINDS = {"post": "news", "page": "page"}


def _wp_text(node: Any, path: str, ns: dict[str, str] = WP) -> str:
    found = node.find(path, ns)
    return (found.text or "").strip() if found is not None and found.text else ""


def read_wxr(path: Path, report: Report) -> Iterator[Item]:
    """Yield the published posts and pages of a WordPress export (WXR 1.1 or 1.2)."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    channel = tree.getroot().find("channel")
    ns = {**WP, "wp": tree.getroot().nsmap.get("wp", WP["wp"])}  # WXR 1.1 and 1.2 differ only in it
    attachments = {}
    for node in channel.iterfind("item"):
        if _wp_text(node, "wp:post_type", ns) == "attachment":
            alt = [
                _wp_text(meta, "wp:meta_value", ns)
                for meta in node.iterfind("wp:postmeta", ns)
                if _wp_text(meta, "wp:meta_key", ns) == "_wp_attachment_image_alt"
            ]
            # The text alternative WordPress keeps for the image; without one it is no lead image.
            attachments[_wp_text(node, "wp:post_id", ns)] = (_wp_text(node, "wp:attachment_url", ns), "".join(alt))
    for node in channel.iterfind("item"):
        post_type = _wp_text(node, "wp:post_type", ns)
        link = _wp_text(node, "link", ns)
        if post_type not in WP_KINDS:
            continue
        status = _wp_text(node, "wp:status", ns)
        if status != "publish":
            report.skipped.append((link, f"на старом сайте не опубликовано ({status}) / not published there"))
            continue
        gmt = _wp_text(node, "wp:post_date_gmt", ns)
        date: datetime.datetime | datetime.date | None
        if gmt and not gmt.startswith("0000"):
            date = datetime.datetime.fromisoformat(gmt).replace(tzinfo=datetime.UTC)
        else:  # the site's local time, which is the municipality's
            date = parse_date(_wp_text(node, "wp:post_date", ns))
        categories = [c.text or "" for c in node.iterfind("category") if c.get("domain") == "category"]
        tags = [c.text or "" for c in node.iterfind("category") if c.get("domain") == "post_tag"]
        image = None
        for meta in node.iterfind("wp:postmeta", ns):
            if _wp_text(meta, "wp:meta_key", ns) == "_thumbnail_id":
                image = attachments.get(_wp_text(meta, "wp:meta_value", ns))
        guid = _wp_text(node, "guid", ns)
        yield Item(
            kind=WP_KINDS[post_type],
            source=link,
            title=_wp_text(node, "title", ns),
            body=_wp_paragraphs(_wp_text(node, "content:encoded", ns)),
            date=date,
            departments=categories,
            tags=[t.strip() for t in tags if t.strip()],
            summary=_wp_text(node, "excerpt:encoded", ns),
            image=image,
            other_addresses=[guid] if guid and guid != link else [],
        )


def _wp_paragraphs(text: str) -> str:
    """Return WordPress's stored text as HTML: it keeps paragraphs as blank lines (wpautop)."""
    if re.search(r"<(p|div|ul|ol|table|h[1-6])\b", text):
        return text
    return "".join(f"<p>{part.strip()}</p>" for part in re.split(r"\n\s*\n", text) if part.strip())


# Crawl ---------------------------------------------------------------------------


def _selectors(value: Any) -> tuple[str, ...]:
    """Return a field's ways to find it: CSS selectors, or ``label:Текст`` (a printed «Текст: value»)."""
    if not value:
        return ()
    if isinstance(value, dict) and "label" in value:
        return (LABEL + str(value["label"]),)
    if isinstance(value, str):
        return (value,)
    return tuple(LABEL + str(v["label"]) if isinstance(v, dict) else str(v) for v in value)


#: A "selector" that finds a value printed after a label, as Bitrix's default templates print
#: an element's properties: ``Подразделение:&nbsp;Управление ЖКХ<br />``.
LABEL = "label:"


@dataclass
class Section:
    """One kind of page of the old site: which addresses, and where each field is on the page."""

    kind: str
    match: re.Pattern[str]
    selectors: dict[str, tuple[str, ...]]
    remove: tuple[str, ...] = ()
    values: dict[str, str] = field(default_factory=dict)  # fixed values (act_type: постановление)


@dataclass
class Layout:
    """A site's page layout: its sections, tried in order (docs/import.md)."""

    name: str
    sections: list[Section]

    @classmethod
    def load(cls, name_or_path: str) -> Layout:
        """Read a shipped layout by name (gosweb, bitrix) or any layout file."""
        path = LAYOUTS / f"{name_or_path}.yml"
        if not path.exists():
            path = Path(name_or_path)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sections = []
        for number, raw in enumerate(data.get("sections") or [], 1):
            kind = raw.get("type")
            if kind not in KINDS:
                raise ValueError(f"{path}: раздел {number}: type {kind!r} не из {', '.join(KINDS)} / unknown type")
            keys = ("title", "date", "body", "department", "image", "attachments", "starts", "place")
            keys += ("act_type", "number", "adopted")
            sections.append(
                Section(
                    kind=kind,
                    match=re.compile(raw["match"]),
                    selectors={key: _selectors(raw.get(key)) for key in keys},
                    remove=_selectors(raw.get("remove")),
                    values={str(k): str(v) for k, v in (raw.get("values") or {}).items()},
                )
            )
        return cls(str(data.get("name") or path.stem), sections)

    def section(self, address: str) -> Section | None:
        """Return the section whose ``match`` claims ``address`` (its path and query)."""
        parts = urllib.parse.urlsplit(address)
        target = urllib.parse.unquote(parts.path) + (f"?{parts.query}" if parts.query else "")
        return next((s for s in self.sections if s.match.search(target)), None)


def _labelled(page: Tag, label: str, value: bool = True) -> Tag | None:
    """Return the value printed after ``label`` (as a tag of its own), taking both off the page.

    With ``value=False`` only the label goes (``remove``: «Файлы:» before the files' links).
    """
    wanted = label.casefold().rstrip(":")
    for text in page.find_all(string=True):
        line = " ".join(str(text).replace("\xa0", " ").split())
        if not line.casefold().startswith(wanted):
            continue
        rest = line[len(wanted) :].lstrip(" :")
        parts = [text]
        sibling = text.next_sibling
        if not value:
            text.replace_with(rest)
            return None
        if not rest and isinstance(sibling, Tag) and sibling.name != "br":
            rest, parts = " ".join(sibling.get_text(" ").split()), [text, sibling]
            sibling = sibling.next_sibling
        if isinstance(sibling, Tag) and sibling.name == "br":
            parts.append(sibling)
        for part in parts:
            part.extract()
        found = BeautifulSoup("<span></span>", "html.parser").span
        found.string = rest
        return found
    return None


def _first(page: Tag, selectors: tuple[str, ...]) -> Tag | None:
    for selector in selectors:
        found = _labelled(page, selector[len(LABEL) :]) if selector.startswith(LABEL) else page.select_one(selector)
        if found is not None:
            return found
    return None


def _value(element: Tag | None) -> str:
    """Return the value an element carries: a machine-readable attribute first, else its text."""
    if element is None:
        return ""
    for attribute in ("datetime", "content"):
        if element.get(attribute):
            return str(element[attribute])
    return " ".join(element.get_text(" ").split())


def read_page(address: str, html: str, section: Section) -> Item:
    """Return the item a page of the old site shows, read by ``section``'s selectors."""
    page = BeautifulSoup(html, "html.parser")
    get = section.selectors
    values: dict[str, Any] = {
        key: _value(_first(page, get[key])) for key in ("starts", "place", "act_type", "number", "adopted")
    }
    values = {key: value for key, value in values.items() if value}
    values.update(section.values)
    title = _value(_first(page, get["title"]))
    date = parse_date(_value(_first(page, get["date"])))
    department = _value(_first(page, get["department"]))
    image = None
    picture = _first(page, get["image"])
    if picture is not None and picture.get("src"):
        image = (urllib.parse.urljoin(address, picture["src"]), picture.get("alt") or "")
    for selector in section.remove:  # printed labels to drop («Файлы:» before the files)
        if selector.startswith(LABEL):
            _labelled(page, selector[len(LABEL) :], value=False)
    body = _first(page, get["body"])
    attachments = []
    for selector in get["attachments"]:
        for link in page.select(selector):
            href = urllib.parse.urljoin(address, link.get("href") or "")
            if section.kind != "act" and body is not None and body in link.parents:
                continue  # a document linked from the text stays a link there (to its local copy)
            if link.name == "a" and is_document(href) and href not in (a for a, _ in attachments):
                attachments.append((href, " ".join(link.get_text(" ").split()) or href.rsplit("/", 1)[-1]))
    remove = [selector for selector in section.remove if not selector.startswith(LABEL)]
    # What was read into fields is not repeated in the text (Bitrix prints the date and title inside it).
    for key in ("title", "date", "department", "image", "attachments", "starts", "place", "number", "adopted"):
        if key == "attachments" and section.kind != "act":
            continue
        if key == "image" and not (image and image[1].strip()):
            continue  # an image without a text alternative is no lead image: it stays in the text
        remove += [selector for selector in get[key] if not selector.startswith(LABEL)]
    return Item(
        kind=section.kind,
        source=address,
        title=title,
        body=body if body is not None else "",
        date=date,
        departments=[department] if department else [],
        image=image,
        attachments=attachments,
        fields=values,
        remove=tuple(remove),
    )


def sitemap_addresses(address: str, fetcher: Fetcher, report: Report, depth: int = 0) -> list[str]:
    """Return the page addresses of a sitemap (following a sitemap index, sitemaps.org 0.9)."""
    try:
        data = fetcher.get(address).content
    except Refused as why:
        report.not_fetched.append((address, str(why)))
        return []
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    locs = [(loc.text or "").strip() for loc in root.iter("{*}loc")]
    if etree.QName(root).localname == "sitemapindex" and depth < 3:
        return [page for loc in locs for page in sitemap_addresses(loc, fetcher, report, depth + 1)]
    return [loc for loc in locs if loc]


def crawl(
    addresses: Iterable[str], layout: Layout, fetcher: Fetcher, report: Report, *, max_pages: int, progress: bool = True
) -> Iterator[Item]:
    """Yield the items of the old site's pages that the layout claims, at most ``max_pages`` fetched."""
    claimed = []
    for address in dict.fromkeys(addresses):
        section = layout.section(address)
        if section is None:
            report.not_matched += 1
        else:
            claimed.append((address, section))
    if len(claimed) > max_pages:
        for address, _ in claimed[max_pages:]:
            report.skipped.append((address, f"сверх предела страниц ({max_pages}) / beyond the page bound"))
        claimed = claimed[:max_pages]
    for address, section in tqdm(claimed, desc="страницы / pages", unit="стр.", disable=not progress):
        try:
            response = fetcher.get(address)
        except Refused as why:
            report.skipped.append((address, f"страница не получена / page not fetched: {why}"))
            continue
        yield read_page(address, response.text, section)
