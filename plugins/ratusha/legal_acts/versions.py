"""An act's life and texts: its versions («редакции»), publication, entry into force, loss of force.

What an act carries once the registry has linked it (the attributes other plugins read,
docs/content-model.md):

* ``act.versions``: oldest first, each an :class:`ActVersion`; the first is the act as
  adopted (``original``), the one that applies on the day of the build is ``current``. An act
  without consolidated versions has one, the original, at the act's own address; an act with
  them has every version at ``<act>/redakciya/<YYYY-MM-DD>/`` (the canonical address of that
  text) and, from the second on, a comparison with the one before at ``…/sravnenie/``.
  The act's own page, ``/documents/<act>/``, always shows the current text.
* ``act.not_incorporated``: amending acts in force whose changes no version up to the
  current one includes («изменения … не внесены в текст»).
* ``act.publication`` (:class:`Publication`), ``act.in_force_from``, ``act.register_number``,
  ``act.lost_force`` (:class:`LostForce`: by a repealing act, recorded either way, or by a
  court decision).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ratusha.core.acts import ACT_STATUSES

__all__ = ["ActVersion", "LostForce", "Publication", "link_life", "link_versions", "version_path"]

#: The folder of an act's versions under its address: «редакция», transliterated.
VERSIONS_FOLDER = "redakciya"
DIFF_FOLDER = "sravnenie"


@dataclass
class Publication:
    """Where and when the act was officially published."""

    source: str
    issue: str | None
    date: datetime.date | None


@dataclass
class LostForce:
    """When the act stopped applying, and by which act or court decision."""

    date: datetime.date
    by: Any | None = None
    decision: str | None = None


@dataclass
class ActVersion:
    """One text of an act: as adopted, or consolidated with the amendments it incorporates."""

    date: datetime.date
    url: str
    eli: str
    amendments: list[Any]
    original: bool
    current: bool = False
    content: str = ""
    #: The day the next version applies from (this one applies until the day before), or None.
    until: datetime.date | None = None
    #: The comparison with the version before (None for the first).
    diff_url: str | None = None
    future: bool = False
    incorporated: list[Any] = field(default_factory=list)  # every amendment up to this version

    @property
    def label(self) -> str:
        """How the version is named on the page."""
        if self.original:
            return f"Первоначальная редакция от {self.date:%d.%m.%Y}"
        return f"Редакция от {self.date:%d.%m.%Y}"


def version_path(act_url: str, date: datetime.date) -> str:
    """Return the canonical address of the act's version applying from ``date``."""
    return f"{act_url}{VERSIONS_FOLDER}/{date.isoformat()}/"


def _applies(act: Any) -> datetime.date:
    """Return the day an act's provisions apply from: its entry into force, or else its adoption."""
    return getattr(act, "in_force_from", None) or act.adopted


def link_versions(act: Any, today: datetime.date) -> None:
    """Give ``act`` its versions, the current one and the amendments not yet in its text."""
    sources = sorted(getattr(act, "version_sources", None) or [], key=lambda v: v.date)
    by_key = {a.act_key: a for a in act.amended_by}
    versioned = bool(sources)
    original = ActVersion(
        date=act.adopted,
        url=version_path(act.url, act.adopted) if versioned else act.url,
        eli=f"{act.eli}{act.adopted.isoformat()}/",
        amendments=[],
        original=True,
        content=act.content,
    )
    versions = [original]
    for source in sources:
        amendments = [by_key[k] for k in source.amendment_keys if k in by_key]
        versions.append(
            ActVersion(
                date=source.date,
                url=version_path(act.url, source.date),
                eli=f"{act.eli}{source.date.isoformat()}/",
                amendments=amendments,
                original=False,
                content=source.content,
            )
        )
    seen: list[Any] = []
    for before, version in zip([None, *versions], versions, strict=False):
        for amending in version.amendments:
            if amending not in seen:
                seen.append(amending)
        version.incorporated = list(seen)
        version.future = version.date > today
        if before is not None:
            before.until = version.date
            version.diff_url = f"{version.url}{DIFF_FOLDER}/"
    current = next((v for v in reversed(versions) if not v.future), original)
    current.current = True
    act.versions = versions
    act.current_version = current
    act.not_incorporated = [
        a
        for a in act.amended_by
        if ACT_STATUSES[a.act_status].in_force and _applies(a) <= today and a not in current.incorporated
    ]


def link_life(act: Any, by_key: dict[str, Any]) -> None:
    """Turn the act's life fields into objects: its publication and loss of force."""
    source = getattr(act, "published_in", None)
    when = getattr(act, "published_on", None)
    act.publication = (
        Publication(source or "", getattr(act, "published_issue", None) or None, when) if source or when else None
    )
    act.in_force_from = getattr(act, "in_force_from", None) if "in_force_from" in act.metadata else None
    act.register_number = getattr(act, "register_number", None) if "register_number" in act.metadata else None
    lost = act.metadata.get("lost_force") and getattr(act, "lost_force", None)
    if isinstance(lost, LostForce):
        return
    if isinstance(lost, dict):
        decision = lost.get("decision") or getattr(act, "invalidated_by", None) or None
        act.lost_force = LostForce(lost["date"], by_key.get(lost.get("by") or ""), decision)
    elif act.repealed_by and ACT_STATUSES[act.act_status].ended:
        repealing = act.repealed_by[0]
        act.lost_force = LostForce(_applies(repealing), repealing, None)
    else:
        act.lost_force = None
