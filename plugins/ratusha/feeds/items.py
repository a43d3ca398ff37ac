"""What each kind of item says in a feed: its title, plain summary and full HTML.

Feeds are read outside the site (feed readers, Telegram bots, aggregators), so the
HTML carries what the page shows around the body (when and where an event is, the
question a resident asked, an act's files), and every link and image URL is absolute.
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html

from ratusha.core.dates import ru_date, ru_datetime
from ratusha.core.text import plain_text


def absolute_html(fragment: str, base: str) -> str:
    """Return ``fragment`` with every link and image URL made absolute against ``base``."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    return "".join(
        lxml_html.tostring(child, encoding="unicode") if not isinstance(child, str) else child
        for child in [root.text or "", *root]
    )


def withdrawal_notice(item: Any) -> str:
    """Return the sentence that tells a reader the item was withdrawn, or ''."""
    withdrawn = getattr(item, "withdrawn", None)
    if not withdrawn:
        return ""
    return f"Материал отозван {ru_date(withdrawn['date'])}: {withdrawn['reason']}"


def revision(item: Any, summary: str, body: str) -> str:
    """Return a digest of what a correction changes: it changes when, and only when, the item does."""
    image = getattr(item, "image", None)
    withdrawn = getattr(item, "withdrawn", None) or {}
    parts = [
        feed_title(item),
        summary,
        (item.metadata.get("teaser") or "").strip(),
        item.metadata.get("hashtags") or [],
        body,
        image.url if image is not None else "",
        withdrawn.get("date").isoformat() if withdrawn else "",
        withdrawn.get("reason", ""),
    ]
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def act_life(act: Any) -> list[str]:
    """Return the facts of an act's life, one sentence each, in order (loss of force last)."""
    facts = []
    publication = getattr(act, "publication", None)
    if publication is not None:
        where = ", ".join(p for p in (publication.source, publication.issue) if p)
        when = f" {ru_date(publication.date)}" if publication.date else ""
        facts.append(f"Официально опубликован{when}" + (f": {where}" if where else ""))
    if getattr(act, "in_force_from", None):
        facts.append(f"Вступил в силу {ru_date(act.in_force_from)}")
    if getattr(act, "register_number", None):
        facts.append(f"Номер в федеральном регистре муниципальных нормативных правовых актов: {act.register_number}")
    lost = getattr(act, "lost_force", None)
    if lost is not None:
        reason = []
        if lost.by is not None:
            reason.append(f"на основании: {lost.by.label}")
        if lost.decision:
            reason.append(lost.decision)
        facts.append(f"Утратил силу {ru_date(lost.date)}" + (f" ({'; '.join(reason)})" if reason else ""))
    return facts


def feed_title(item: Any) -> str:
    """Return the entry title; an act is named by its type, date and number first."""
    if item.type_name == "legal_act":
        return f"{item.label} «{item.title}»"
    return item.title


def feed_summary(item: Any) -> str:
    """Return a plain-text summary of one or two sentences (after the withdrawal notice, if any)."""
    notice = withdrawal_notice(item)
    summary = _summary(item)
    return f"{notice}. {summary}".strip() if notice else summary


def _summary(item: Any) -> str:
    if item.type_name == "announcement":
        when = ru_datetime(item.starts)
        return f"{when}, {item.place}. {plain_text(item.summary)}".strip()
    if item.type_name == "answer" and not item.metadata.get("summary"):
        return item.question
    if item.type_name == "legal_act" and not item.metadata.get("summary"):
        lost = act_life(item)[-1:] if getattr(item, "lost_force", None) else []
        return " ".join([f"{item.label}. {item.title}. Статус: {item.act_status}.", *(f"{f}." for f in lost)])
    return plain_text(item.summary)


def feed_html(item: Any, site_url: str) -> str:
    """Return the full HTML of the entry, with absolute URLs."""
    parts = []
    notice = withdrawal_notice(item)
    if notice:
        parts.append(f"<p><strong>{html.escape(notice)}</strong></p>")
    if item.type_name == "announcement":
        when = ru_datetime(item.starts) + (f" — {ru_datetime(item.ends)}" if getattr(item, "ends", None) else "")
        parts.append(
            f"<p><strong>Когда:</strong> {html.escape(when)}<br><strong>Где:</strong> {html.escape(item.place)}</p>"
        )
    elif item.type_name == "answer":
        asked = getattr(item, "asked_by", None) or {}
        who = ", ".join(v for v in (asked.get("name"), asked.get("district")) if v)
        parts.append(f"<blockquote><p>{html.escape(item.question)}</p></blockquote>")
        if who:
            parts.append(f"<p>Спрашивает: {html.escape(who)}</p>")
    elif item.type_name == "legal_act":
        life = "".join(f" {html.escape(fact)}." for fact in act_life(item))
        parts.append(
            f"<p>{html.escape(item.label)}. Статус: {html.escape(item.act_status)}. "
            f"Дата принятия: {ru_date(item.adopted)}.{life}</p>"
        )
    parts.append(item.content)
    attachments = getattr(item, "attachments", None) or []
    if attachments:
        links = "".join(
            f'<li><a href="/{html.escape(a.url)}">{html.escape(a.title)}</a> ({a.label}, {a.human_size})</li>'
            for a in attachments
        )
        parts.append(f"<ul>{links}</ul>")
    return absolute_html("\n".join(parts), urljoin(site_url + "/", item.url))
