"""Post text per network: templates, Telegram HTML escaping, lengths and cuts at a word.

Telegram counts its limits (4096 for a message, 1024 for a photo caption) "after entities
parsing": tags do not count, ``&amp;`` is one character. We measure the same way, and in
UTF-16 code units (how Telegram measures entity offsets), which is never less than the
number of characters, so a text we accept is never rejected as too long. VK and OK are
plain text. MAX takes its own HTML (or Markdown) and counts at most 4000 characters of
text; it does not say whether markup counts, so the whole string, tags included, is
measured (never less than what MAX counts). A text over the limit loses words from the
end of ``{text}`` (then of the other long fields), gets an ellipsis and keeps ``{link}``,
which every template must have.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from ratusha.crosspost.config import TELEGRAM_CAPTION_LIMIT, Channel
from ratusha.crosspost.feeds import Item

#: What Telegram's HTML parse mode accepts (Bot API, "HTML style").
TELEGRAM_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji",
    "code", "pre", "blockquote",
}  # fmt: skip
#: What MAX's HTML format keeps (dev.max.ru, "Text formatting"; others are stripped).
MAX_TAGS = {"b", "strong", "i", "em", "del", "s", "ins", "u", "a", "pre", "code", "mark", "blockquote", "h1", "br"}
#: MAX Markdown follows CommonMark (dev.max.ru cites spec 0.29), where a backslash escapes
#: ASCII punctuation; these are the characters MAX gives a meaning.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_~+\[\]()^>#])")
ELLIPSIS = "…"
#: The fields that may be shortened, in the order they give way.
CUTTABLE = ("text", "teaser", "summary", "hashtags", "title")


def escape_html(text: str) -> str:
    """Escape for Telegram HTML: & < > (and " for attribute values), nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class _Visible(HTMLParser):
    def __init__(self, allowed: set[str] = TELEGRAM_TAGS, network: str = "Telegram") -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.problem = ""
        self.allowed = allowed
        self.network = network

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.allowed and not self.problem:
            self.problem = f"<{tag}> is not allowed in {self.network} HTML (allowed: {', '.join(sorted(self.allowed))})"
        if tag != "br":
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if (not self.stack or self.stack.pop() != tag) and not self.problem:
            self.problem = f"</{tag}> does not close the tag opened last"


def telegram_visible(text: str) -> str:
    """Return the text as Telegram shows it: without tags, entities decoded."""
    parser = _Visible()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def telegram_html_problem(text: str) -> str:
    """Why Telegram would refuse this HTML ('' if it would not): unknown or unbalanced tags."""
    return _html_problem(text, _Visible())


def max_html_problem(text: str) -> str:
    """Why MAX would mangle this HTML ('' if it would not): tags it strips, or unbalanced ones."""
    return _html_problem(text, _Visible(MAX_TAGS, "MAX"))


def _html_problem(text: str, parser: _Visible) -> str:
    parser.feed(text)
    parser.close()
    if not parser.problem and parser.stack:
        return f"<{parser.stack[-1]}> is not closed"
    return parser.problem


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: what Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def telegram_length(text: str) -> int:
    """Length of a Telegram HTML text after entity parsing."""
    return utf16_length(telegram_visible(text))


def cut_words(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its first words and an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ""
    head = text[: limit - len(ELLIPSIS)]
    if not text[len(head)].isspace():  # the cut falls inside a word: drop that word
        space = max(head.rfind(" "), head.rfind("\n"))
        if space > 0:
            head = head[:space]
    head = head.rstrip(" \n\t,;:—–-.")
    return head + ELLIPSIS if head else ""


def russian_date(value: str) -> str:
    """Format the item's date as 24.11.2026, in the municipality's offset as the feed gives it."""
    try:
        stamp = datetime.fromisoformat(value) if "T" in value else parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return ""
    return stamp.strftime("%d.%m.%Y")


def fields_for(item: Item) -> dict[str, str]:
    """Return the template's fields for one item: the teaser for social networks wins over the summary."""
    return {
        "title": item.title,
        "text": item.teaser or item.summary,
        "teaser": item.teaser,
        "summary": item.summary,
        "link": item.link,
        "hashtags": item.hashtags,
        "date": russian_date(item.date),
    }


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"<(b|strong|i|em)>\s*</\1>", "", text)  # a title cut to nothing leaves no empty tag
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def fit(
    template: str,
    fields: dict[str, str],
    limit: int,
    measure: Callable[[str], int] = len,
    escape: Callable[[str], str] = str,
) -> tuple[str, bool]:
    """Fill ``template``; shorten fields at a word boundary until it fits. Return (text, was_cut)."""

    def fill(values: dict[str, str]) -> str:
        return _tidy(template.format_map({key: escape(value) for key, value in values.items()}))

    text = fill(fields)
    if measure(text) <= limit:
        return text, False
    values = dict(fields)
    for key in CUTTABLE:
        original = values.get(key, "")
        if not original:
            continue
        values[key] = ""
        room = limit - measure(fill(values))
        while room > 0:
            values[key] = cut_words(original, room)
            text = fill(values)
            excess = measure(text) - limit
            if excess <= 0:
                return text, True
            room -= excess
        values[key] = ""
    text = fill(values)
    if measure(text) > limit:
        raise ValueError(f"the template without its text is longer than {limit} characters")
    return text, True


def telegram_text(channel: Channel, item: Item, caption: bool) -> tuple[str, bool]:
    """Telegram HTML for the item: a photo caption (1024) or a message (4096)."""
    limit = min(channel.max_length, TELEGRAM_CAPTION_LIMIT) if caption else channel.max_length
    return fit(channel.template, fields_for(item), limit, telegram_length, escape_html)


def plain_text(channel: Channel, item: Item) -> tuple[str, bool]:
    """Plain text for VK and OK, within the channel's max_length."""
    return fit(channel.template, fields_for(item), channel.max_length)


def escape_markdown(text: str) -> str:
    """Escape for MAX Markdown: a backslash before every character with a meaning there."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def max_text(channel: Channel, item: Item) -> tuple[str, bool]:
    """MAX text for the item in the channel's format (html or markdown), within max_length (at most 4000: config)."""
    escape = escape_markdown if channel.options.get("format") == "markdown" else escape_html
    return fit(channel.template, fields_for(item), channel.max_length, len, escape)
