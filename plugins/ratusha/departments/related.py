"""What an item page shows beside its text: more from its department, and related acts.

A news item, an act and an event lead the reader on (issue 18): to other items of the same
department and to the acts the item is about. Both lists are set on the item itself
(``item.department_more``, ``item.related_acts``), not computed in the template from
``department.news``: the fingerprint of a page (:mod:`ratusha.core.fingerprints`) counts the
items an item's attributes hold, with their own data, so an edit of a neighbour's title
re-renders the pages that show it, and only those.

Both lists are chosen so that one new item changes few other pages:

* **more from the department** is the item's neighbours in its department's list (by date;
  events by their start), up to ``RATUSHA_RELATED_MORE`` of them, nearest first. A new item
  enters the lists of its few neighbours, not of every item of a large department.
* **related acts** are the acts the item's text links to (by their address, or by Pelican's
  ``{filename}`` link to their source), then, for news and events, the acts of the same
  department adopted last on or before the item's date, up to ``RATUSHA_RELATED_ACTS``. A
  newly adopted act therefore joins only the pages of items dated after its adoption.
"""

from __future__ import annotations

import bisect
import datetime
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from ratusha.core.settings import Setting

__all__ = ["DEFAULTS", "link_related", "neighbours"]

DEFAULTS = {
    "RATUSHA_RELATED_MORE": Setting(3, "other items of the same department beside a news item, act or event"),
    "RATUSHA_RELATED_ACTS": Setting(3, "related acts beside a news item, act or event"),
}

#: Links in an item's HTML body: the address Pelican writes, or its ``{filename}`` form.
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_FILENAME = re.compile(r"^\{(?:filename|static)\}")


def neighbours(items: Sequence[Any], index: int, count: int) -> list[Any]:
    """Return up to ``count`` items nearest to position ``index`` of ``items``, the nearest first.

    Ties (one before, one after) go to the one before it in the list (the newer).
    """
    found: list[Any] = []
    step = 1
    while len(found) < count and (index - step >= 0 or index + step < len(items)):
        for other in (index - step, index + step):
            if 0 <= other < len(items) and len(found) < count:
                found.append(items[other])
        step += 1
    return found


def _day(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _linked_acts(item: Any, by_url: dict[str, Any], by_source: dict[str, Any]) -> list[Any]:
    """Return the acts the item's body links to, in the order of the text, each once."""
    body = getattr(item, "_content", None) or ""
    if "href" not in body:
        return []
    found: list[Any] = []
    folder = os.path.dirname(getattr(item, "source_path", "") or "")
    for href in _HREF.findall(body):
        target = None
        if _FILENAME.match(href):
            path = _FILENAME.sub("", href).split("#")[0]
            target = by_source.get(os.path.normpath(os.path.join(folder, path)))
        else:
            path = re.sub(r"^[a-z]+://[^/]+", "", href).split("#")[0].split("?")[0].lstrip("/")
            target = by_url.get(path) or by_url.get(path + "/")
        if target is not None and target is not item and target not in found:
            found.append(target)
    return found


def _links_between_acts(context: dict[str, Any]) -> dict[int, set[int]]:
    """Return, for each act (by id), the acts its page lists already: what it amends or repeals, and back."""
    by_key = context.get("acts_by_key", {})
    shown: dict[int, set[int]] = {}
    for act in context.get("legal_acts", []):
        for key in (*(getattr(act, "amends", None) or []), *(getattr(act, "repeals", None) or [])):
            if (target := by_key.get(key)) is not None:
                shown.setdefault(id(act), set()).add(id(target))
                shown.setdefault(id(target), set()).add(id(act))
    return shown


def _acts_before(
    acts: list[Any], dates: list[datetime.date], day: datetime.date, skip: list[Any], count: int
) -> list[Any]:
    """Return up to ``count`` of ``acts`` (by adoption) adopted last on or before ``day``, less ``skip``."""
    found: list[Any] = []
    index = bisect.bisect_right(dates, day) - 1
    while index >= 0 and len(found) < count:
        if all(acts[index] is not s for s in skip):
            found.append(acts[index])
        index -= 1
    return found


def link_related(context: dict[str, Any], settings: dict[str, Any]) -> None:
    """Set ``department_more`` and ``related_acts`` on every news item, act and event."""
    more, limit = settings["RATUSHA_RELATED_MORE"], settings["RATUSHA_RELATED_ACTS"]
    acts = context.get("legal_acts", [])
    by_url = {act.url: act for act in acts}
    by_source = {os.path.normpath(act.source_path): act for act in acts if getattr(act, "source_path", None)}
    between = _links_between_acts(context)
    kinds: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
        ("news", "news", lambda i: i.date),
        ("legal_acts", "acts", lambda a: (a.adopted, a.date)),
        ("announcements", "announcements", lambda e: e.starts),
    )
    # Per department: its items of each kind, newest first, with each item's place; its acts by adoption.
    ordered: dict[tuple[str, int], tuple[list[Any], dict[int, int]]] = {}
    adopted: dict[int, tuple[list[Any], list[datetime.date]]] = {}
    for key, attribute, when in kinds:
        for item in context.get(key, []):
            department = getattr(item, "department_obj", None)
            if department is None:
                item.department_more = []
            else:
                if (attribute, id(department)) not in ordered:
                    items = sorted(getattr(department, attribute), key=when, reverse=True)
                    ordered[attribute, id(department)] = (items, {id(other): i for i, other in enumerate(items)})
                items, places = ordered[attribute, id(department)]
                place = places.get(id(item))
                item.department_more = [] if place is None else neighbours(items, place, more)
                if key == "legal_acts" and id(item) in between:  # not the acts its page lists already
                    listed = between[id(item)]
                    others = [a for a in items if id(a) not in listed]
                    at = next((i for i, a in enumerate(others) if a is item), None)
                    item.department_more = [] if at is None else neighbours(others, at, more)
            related = _linked_acts(item, by_url, by_source)
            if key == "legal_acts":  # what it amends or repeals, and what amended it, is listed already
                listed = between.get(id(item), set())
                related = [a for a in related if id(a) not in listed]
            elif department is not None and len(related) < limit:
                if id(department) not in adopted:
                    own = sorted(department.acts, key=lambda a: (a.adopted, a.date))
                    adopted[id(department)] = (own, [a.adopted for a in own])
                own, dates = adopted[id(department)]
                day = _day(getattr(item, "starts", None) or item.date)
                related += _acts_before(own, dates, day, related, limit - len(related))
            item.related_acts = related[:limit]
