"""The open data sets: their structures, and their rows taken from the built site's items.

Each set is a table (one row per act, department or event) whose columns are described
once, here: the CSV header, the JSON keys, the structure files and the test that reads the
sets back all come from :data:`SETS`. A column's ``format`` is what the structure file
states (the methodological recommendations leave the vocabulary free; these are the usual
ones): ``string``, ``integer``, ``date`` (ГГГГ-ММ-ДД), ``datetime`` (ISO 8601 with the
offset), ``url`` (absolute), ``list`` (in CSV the values joined by ``"; "``, in JSON an
array) and, for the acts' versions, ``versions`` (in CSV ``ГГГГ-ММ-ДД URL`` entries joined by
``"; "``, in JSON an array of objects).

The act attributes read here are the ones the legal_acts plugin publishes (versions,
publication, in_force_from, register_number, lost_force); each is read with ``getattr`` and a
default, so an act without them still has its row, with one version: the original.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["LIST_SEPARATOR", "SETS", "Column", "DataSet", "cell"]

#: How a list is written in one CSV cell.
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    """One field of a set: its name, its descriptions (English, Russian) and its format."""

    name: str
    english: str
    russian: str
    format: str = "string"


@dataclass(frozen=True)
class DataSet:
    """One open data set: what it is called, its columns and where its rows come from."""

    name: str  # the identifier's second part ("<ИНН>-<name>")
    title: str
    description: str
    subject: str  # keywords, comma-separated
    #: The day the columns last changed: the structure's version (``structure-YYYYMMDD``).
    #: Change it with the columns, never otherwise.
    structure_date: datetime.date
    columns: tuple[Column, ...]
    rows: Callable[[dict[str, Any], str], list[dict[str, Any]]]
    #: The dates of the set's items, for a data date when no earlier build recorded one.
    dates: Callable[[dict[str, Any]], list[datetime.date]]


def _url(base: str, item: Any) -> str:
    return f"{base}/{item.url}"


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _item_dates(items: list[Any]) -> list[datetime.date]:
    """Return the day each item was last changed (``modified``, else ``date``)."""
    days = []
    for item in items:
        moment = getattr(item, "modified", None) or getattr(item, "date", None)
        if isinstance(moment, datetime.datetime):
            days.append(moment.date())
        elif isinstance(moment, datetime.date):
            days.append(moment)
    return days


def _act_key(act: Any) -> str | None:
    return getattr(act, "act_key", None) if act is not None else None


def _versions(act: Any, base: str) -> list[dict[str, Any]]:
    """Return the act's versions (``act.versions``), or its original alone when it has none."""
    versions = getattr(act, "versions", None)
    if not versions:
        return [
            {
                "date": _date(act.adopted),
                "url": _url(base, act),
                "eli": getattr(act, "eli", None),
                "amendments": [],
                "original": True,
                "current": True,
            }
        ]
    return [
        {
            "date": _date(getattr(version, "date", None)),
            "url": f"{base}/{version.url}",
            "eli": getattr(version, "eli", None),
            "amendments": [_act_key(a) for a in getattr(version, "amendments", None) or []],
            "original": bool(getattr(version, "original", False)),
            "current": bool(getattr(version, "current", False)),
        }
        for version in versions
    ]


def _act_rows(context: dict[str, Any], base: str) -> list[dict[str, Any]]:
    departments = context.get("departments_by_slug", {})
    rows = []
    for act in sorted(context.get("legal_acts", []), key=lambda a: (a.adopted, _act_key(a) or "")):
        publication = getattr(act, "publication", None)
        lost = getattr(act, "lost_force", None)
        issuer = departments.get(getattr(act, "issuer", None) or "")
        rows.append(
            {
                "key": _act_key(act),
                "act_type": act.act_type,
                "number": str(act.number),
                "adopted": _date(act.adopted),
                "title": act.title,
                "status": act.act_status,
                "issuer": issuer.title if issuer is not None else getattr(act, "issuer", None),
                "in_force_from": _date(getattr(act, "in_force_from", None)),
                "publication_source": getattr(publication, "source", None)
                if publication
                else getattr(act, "published_in", None),
                "publication_issue": getattr(publication, "issue", None) if publication else None,
                "publication_date": _date(getattr(publication, "date", None))
                if publication
                else _date(getattr(act, "published_on", None)),
                "register_number": getattr(act, "register_number", None),
                "lost_force_date": _date(getattr(lost, "date", None)) if lost else None,
                "lost_force_by": _act_key(getattr(lost, "by", None)) if lost else None,
                "lost_force_decision": getattr(lost, "decision", None) if lost else None,
                "amends": [_act_key(a) for a in getattr(act, "amends_acts", None) or []],
                "amended_by": [_act_key(a) for a in getattr(act, "amended_by", None) or []],
                "repeals": [_act_key(a) for a in getattr(act, "repeals_acts", None) or []],
                "repealed_by": [_act_key(a) for a in getattr(act, "repealed_by", None) or []],
                "versions": _versions(act, base),
                "eli": getattr(act, "eli", None),
                "url": _url(base, act),
            }
        )
    return rows


def _department_rows(context: dict[str, Any], base: str) -> list[dict[str, Any]]:
    rows = []
    for department in context.get("departments", []):
        head = getattr(department, "head", None) or {}
        contacts = getattr(department, "contacts", None) or {}
        parent = getattr(department, "parent_department", None)
        rows.append(
            {
                "slug": department.slug,
                "title": department.title,
                "short_title": getattr(department, "short_title", None),
                "parent": parent.slug if parent is not None else None,
                "head_name": head.get("name"),
                "head_position": head.get("position"),
                "address": contacts.get("address"),
                "phone": contacts.get("phone"),
                "email": contacts.get("email"),
                "hours": contacts.get("hours"),
                "url": _url(base, department),
            }
        )
    return rows


def _event_rows(context: dict[str, Any], base: str) -> list[dict[str, Any]]:
    departments = context.get("departments_by_slug", {})
    rows = []
    for event in sorted(context.get("announcements", []), key=lambda e: (e.starts, e.url)):
        department = departments.get(getattr(event, "department", None) or "")
        rows.append(
            {
                "id": str(event.id),
                "title": event.title,
                "starts": _date(event.starts),
                "ends": _date(getattr(event, "ends", None)),
                "place": event.place,
                "department": department.title if department is not None else None,
                "summary": getattr(event, "summary_text", None) or None,
                "url": _url(base, event),
            }
        )
    return rows


SETS: tuple[DataSet, ...] = (
    DataSet(
        "legal-acts",
        "Реестр муниципальных правовых актов",
        "Муниципальные правовые акты, опубликованные на официальном сайте: реквизиты, статус, "
        "официальное опубликование, вступление в силу, редакции, связи с изменяющими и отменяющими актами.",
        "правовые акты, постановления, решения, распоряжения, редакции",
        datetime.date(2026, 12, 1),
        (
            Column("key", "Act key: type, number and year", "Ключ акта: вид, номер и год"),
            Column("act_type", "Type of act", "Вид акта"),
            Column("number", "Number", "Номер"),
            Column("adopted", "Date of adoption", "Дата принятия", "date"),
            Column("title", "Title", "Наименование"),
            Column("status", "Legal status", "Статус"),
            Column("issuer", "Issuing body", "Орган, принявший акт"),
            Column("in_force_from", "Date of entry into force", "Дата вступления в силу", "date"),
            Column("publication_source", "Official publication: source", "Источник официального опубликования"),
            Column("publication_issue", "Official publication: issue", "Номер выпуска"),
            Column("publication_date", "Official publication: date", "Дата официального опубликования", "date"),
            Column(
                "register_number",
                "Number in the federal register of municipal normative acts",
                "Номер в федеральном регистре муниципальных нормативных правовых актов",
            ),
            Column("lost_force_date", "Date the act lost force", "Дата утраты силы", "date"),
            Column("lost_force_by", "Key of the act that repealed it", "Ключ акта, которым признан утратившим силу"),
            Column("lost_force_decision", "Court decision", "Решение суда о признании недействующим"),
            Column("amends", "Keys of the acts it amends", "Ключи изменяемых актов", "list"),
            Column("amended_by", "Keys of the acts that amend it", "Ключи изменяющих актов", "list"),
            Column("repeals", "Keys of the acts it repeals", "Ключи отменяемых актов", "list"),
            Column("repealed_by", "Keys of the acts that repeal it", "Ключи отменяющих актов", "list"),
            Column(
                "versions",
                "Versions: the date from which each applies and its address",
                "Редакции: дата, с которой применяется, и адрес",
                "versions",
            ),
            Column("eli", "ELI path of the act", "Идентификатор ELI", "string"),
            Column("url", "Page of the act", "Адрес страницы акта", "url"),
        ),
        _act_rows,
        lambda context: _item_dates(context.get("legal_acts", [])),
    ),
    DataSet(
        "departments",
        "Структурные подразделения: контакты и часы приёма",
        "Подразделения Администрации: руководитель, адрес, телефон, электронная почта, часы приёма, "
        "вышестоящее подразделение.",
        "структура, подразделения, контакты, часы приёма",
        datetime.date(2026, 12, 1),
        (
            Column("slug", "Identifier", "Идентификатор"),
            Column("title", "Name", "Наименование"),
            Column("short_title", "Short name", "Краткое наименование"),
            Column("parent", "Identifier of the parent department", "Идентификатор вышестоящего подразделения"),
            Column("head_name", "Head: full name", "Руководитель: фамилия, имя, отчество"),
            Column("head_position", "Head: position", "Руководитель: должность"),
            Column("address", "Postal address", "Почтовый адрес"),
            Column("phone", "Phone", "Телефон"),
            Column("email", "E-mail", "Адрес электронной почты"),
            Column("hours", "Reception hours", "Часы приёма"),
            Column("url", "Page of the department", "Адрес страницы подразделения", "url"),
        ),
        _department_rows,
        lambda context: _item_dates(context.get("departments", [])),
    ),
    DataSet(
        "events",
        "Мероприятия",
        "Анонсы мероприятий, публичных слушаний и приёмов граждан: время начала и окончания, место, "
        "ответственное подразделение.",
        "мероприятия, анонсы, публичные слушания, приём граждан",
        datetime.date(2026, 12, 1),
        (
            Column("id", "Stable identifier", "Постоянный идентификатор"),
            Column("title", "Title", "Наименование"),
            Column("starts", "Start", "Начало", "datetime"),
            Column("ends", "End", "Окончание", "datetime"),
            Column("place", "Place", "Место проведения"),
            Column("department", "Responsible department", "Ответственное подразделение"),
            Column("summary", "Summary", "Краткое описание"),
            Column("url", "Page of the event", "Адрес страницы мероприятия", "url"),
        ),
        _event_rows,
        lambda context: _item_dates(context.get("announcements", [])),
    ),
)


def cell(value: Any, column: Column) -> str:
    """Return a value as its CSV cell (see the module's docstring for lists and versions)."""
    if value is None:
        return ""
    if column.format == "versions":
        return LIST_SEPARATOR.join(f"{v['date']} {v['url']}" for v in value)
    if column.format == "list":
        return LIST_SEPARATOR.join(str(v) for v in value if v is not None)
    return str(value)
