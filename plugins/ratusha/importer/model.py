"""What every source yields (an Item) and what an import tells at its end (a Report)."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FOLDERS", "KINDS", "Item", "Report"]

#: The kinds an importer writes and the content folder of each (docs/content-model.md).
FOLDERS = {"news": "news", "act": "acts", "announcement": "announcements", "page": "pages"}
KINDS = tuple(FOLDERS)


@dataclass
class Item:
    """One item read from a source, before it is written: raw values as the old site had them."""

    kind: str
    source: str  # its absolute address on the old site
    title: str
    body: Any = ""  # an HTML fragment (a string or a BeautifulSoup tag)
    date: datetime.datetime | datetime.date | None = None
    departments: list[str] = field(default_factory=list)  # names as printed, first match wins
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    image: tuple[str, str] | None = None  # (address, alt)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (address, title)
    other_addresses: list[str] = field(default_factory=list)  # more old addresses (WordPress ?p=12)
    fields: dict[str, Any] = field(default_factory=dict)  # act_type, number, adopted, starts, place …
    remove: tuple[str, ...] = ()  # CSS selectors to drop from the body


@dataclass
class Report:
    """The account of one import, printed at its end (and written as JSON on request)."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (address, why)
    unknown_departments: Counter[str] = field(default_factory=Counter)
    not_fetched: list[tuple[str, str]] = field(default_factory=list)  # (address, why)
    not_matched: int = 0  # crawled addresses no section of the layout claims
    redirects_added: int = 0
    files_downloaded: int = 0

    def skip(self, item: Item, why: str) -> None:
        """Record that ``item`` was not written, and why."""
        self.skipped.append((item.source, why))

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (``--report FILE``)."""
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": [{"address": a, "why": w} for a, w in self.skipped],
            "unknown_departments": dict(self.unknown_departments),
            "not_fetched": [{"address": a, "why": w} for a, w in self.not_fetched],
            "not_matched": self.not_matched,
            "redirects_added": self.redirects_added,
            "files_downloaded": self.files_downloaded,
        }

    def text(self) -> str:
        """Return the report as people read it (Russian first, as every message of Ratusha)."""
        lines = ["Импорт завершён / Import finished"]
        for kind in KINDS:
            counts = (self.created[kind], self.updated[kind], self.unchanged[kind])
            if any(counts):
                new, updated, same = counts
                lines.append(
                    f"  {kind}: новых / new {new}, обновлено / updated {updated}, без изменений / unchanged {same}"
                )
        lines.append(f"  старых адресов в журнале / old addresses added to the ledger: {self.redirects_added}")
        lines.append(f"  файлов загружено / files downloaded: {self.files_downloaded}")
        if self.not_matched:
            lines.append(f"  адресов вне разделов конфигурации / addresses no section matched: {self.not_matched}")
        if self.unknown_departments:
            lines.append("Подразделения не найдены в таблице соответствия / departments not in the mapping table:")
            lines += [f"  «{name}»: {count}" for name, count in sorted(self.unknown_departments.items())]
        if self.skipped:
            lines.append(f"Не импортировано / not imported ({len(self.skipped)}):")
            lines += [f"  {address}: {why}" for address, why in self.skipped]
        if self.not_fetched:
            lines.append(f"Файлы не загружены / files not fetched ({len(self.not_fetched)}):")
            lines += [f"  {address}: {why}" for address, why in self.not_fetched]
        return "\n".join(lines)

    def json(self) -> str:
        """Return the report as JSON."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
