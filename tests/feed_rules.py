"""RSS 2.0 and Atom (RFC 4287) rules that feedparser does not enforce.

feedparser reads almost anything, so it cannot tell a valid feed from an invalid one.
These checks follow the RSS 2.0 specification (rssboard.org) and RFC 4287 closely
enough to catch what validators reject: missing required elements, dates that are not
RFC 822 / RFC 3339, relative URLs, enclosures without length or type, ids that are not
IRIs, duplicate ids and duplicate alternate links.
"""

from __future__ import annotations

import datetime
import email.utils
import re
from urllib.parse import urlparse

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
NS = {"atom": ATOM, "content": CONTENT, "media": MEDIA}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
EMAIL_AUTHOR = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+( \(.+\))?$")


def is_absolute(url: str | None) -> bool:
    parsed = urlparse(url or "")
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def is_iri(value: str | None) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", value or ""))


def rss_problems(data: bytes) -> list[str]:
    """Return every violation of RSS 2.0 found in ``data``."""
    problems = []
    root = etree.fromstring(data)
    if root.tag != "rss" or root.get("version") != "2.0":
        return ["root element is not <rss version='2.0'>"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return ["there must be exactly one <channel>"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel has no <{name}>")
    if not is_absolute(channel.findtext("link")):
        problems.append("channel <link> is not absolute")
    selves = channel.findall("atom:link[@rel='self']", NS)
    if len(selves) != 1 or not is_absolute(selves[0].get("href")):
        problems.append("channel needs one atom:link rel=self with an absolute href")
    for name in ("lastBuildDate", "pubDate"):
        value = channel.findtext(name)
        if value is not None and not RFC822.match(value):
            problems.append(f"channel <{name}> {value!r} is not RFC 822 with a numeric zone")
    guids = set()
    for index, item in enumerate(channel.findall("item")):
        where = f"item {index}"
        if not (item.findtext("title") or item.findtext("description")):
            problems.append(f"{where}: needs a title or a description")
        if not is_absolute(item.findtext("link")):
            problems.append(f"{where}: <link> is not absolute")
        guid = item.find("guid")
        if guid is None or not (guid.text or "").strip():
            problems.append(f"{where}: no <guid>")
        else:
            if guid.text in guids:
                problems.append(f"{where}: duplicate guid {guid.text}")
            guids.add(guid.text)
            if guid.get("isPermaLink", "true") == "true" and not is_absolute(guid.text):
                problems.append(f"{where}: a permalink guid must be an absolute URL")
        date = item.findtext("pubDate")
        if date is None or not RFC822.match(date) or email.utils.parsedate_tz(date) is None:
            problems.append(f"{where}: <pubDate> {date!r} is not RFC 822 with a numeric zone")
        author = item.findtext("author")
        if author is not None and not EMAIL_AUTHOR.match(author):
            problems.append(f"{where}: <author> must be an e-mail address, got {author!r}")
        for enclosure in item.findall("enclosure"):
            if not is_absolute(enclosure.get("url")):
                problems.append(f"{where}: enclosure url is not absolute")
            if not (enclosure.get("length") or "").isdigit() or int(enclosure.get("length")) <= 0:
                problems.append(f"{where}: enclosure length must be a positive number of bytes")
            if "/" not in (enclosure.get("type") or ""):
                problems.append(f"{where}: enclosure has no MIME type")
        if len(item.findall("enclosure")) > 1:
            problems.append(f"{where}: RSS allows one enclosure per item")
        problems += _html_url_problems(item.findtext("content:encoded", namespaces=NS) or "", where)
    return problems


def atom_problems(data: bytes) -> list[str]:
    """Return every violation of RFC 4287 found in ``data``."""
    problems = []
    feed = etree.fromstring(data)
    if feed.tag != f"{{{ATOM}}}feed":
        return ["root element is not atom:feed"]
    for name in ("id", "title", "updated"):
        if len(feed.findall(f"atom:{name}", NS)) != 1:
            problems.append(f"feed needs exactly one atom:{name}")
    if not is_iri(feed.findtext("atom:id", namespaces=NS)):
        problems.append("feed atom:id is not an IRI")
    if not RFC3339.match(feed.findtext("atom:updated", namespaces=NS) or ""):
        problems.append("feed atom:updated is not RFC 3339")
    selves = feed.findall("atom:link[@rel='self']", NS)
    if len(selves) != 1 or not is_absolute(selves[0].get("href")):
        problems.append("feed needs one atom:link rel=self with an absolute href")
    feed_author = feed.find("atom:author/atom:name", NS) is not None
    ids = set()
    for index, entry in enumerate(feed.findall("atom:entry", NS)):
        where = f"entry {index}"
        for name in ("id", "title", "updated"):
            if len(entry.findall(f"atom:{name}", NS)) != 1:
                problems.append(f"{where}: needs exactly one atom:{name}")
        entry_id = entry.findtext("atom:id", namespaces=NS)
        if not is_iri(entry_id):
            problems.append(f"{where}: atom:id {entry_id!r} is not an IRI")
        if entry_id in ids:
            problems.append(f"{where}: duplicate atom:id {entry_id}")
        ids.add(entry_id)
        for name in ("updated", "published"):
            value = entry.findtext(f"atom:{name}", namespaces=NS)
            if value is not None and not RFC3339.match(value):
                problems.append(f"{where}: atom:{name} {value!r} is not RFC 3339")
        if not feed_author and entry.find("atom:author/atom:name", NS) is None:
            problems.append(f"{where}: no atom:author in the entry or the feed")
        alternates = {}
        for link in entry.findall("atom:link", NS):
            rel = link.get("rel", "alternate")
            if not link.get("href"):
                problems.append(f"{where}: atom:link without href")
            if rel == "alternate":
                key = (link.get("type"), link.get("hreflang"))
                if key in alternates:
                    problems.append(f"{where}: two alternate links with the same type and hreflang")
                alternates[key] = link
                if not is_absolute(link.get("href")):
                    problems.append(f"{where}: alternate link is not absolute")
            if rel == "enclosure" and not (link.get("length") and link.get("type")):
                problems.append(f"{where}: enclosure link without length or type")
        content = entry.find("atom:content", NS)
        if content is None and not alternates:
            problems.append(f"{where}: needs atom:content or an alternate link")
        if content is not None:
            if content.get("type") not in (None, "text", "html", "xhtml"):
                problems.append(f"{where}: atom:content type {content.get('type')!r} is not text, html or xhtml")
            if content.get("type") == "html":
                problems += _html_url_problems(content.text or "", where)
        for media in entry.findall("media:content", NS):
            if not is_absolute(media.get("url")):
                problems.append(f"{where}: media:content url is not absolute")
    return problems


def _html_url_problems(fragment: str, where: str) -> list[str]:
    if not fragment.strip():
        return []
    root = etree.fromstring(f"<div>{fragment}</div>", etree.HTMLParser())
    problems = []
    for attribute in root.xpath("//@href | //@src"):
        if not attribute.startswith(("mailto:", "tel:")) and not is_absolute(attribute):
            problems.append(f"{where}: relative URL {attribute!r} in the HTML content")
    return problems


def parse_rfc3339(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
