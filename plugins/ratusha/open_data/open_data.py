"""Open data (decree 583): the acts registry, the departments and the events as CSV and JSON.

The layout is that of the methodological recommendations for publishing open data, version
3.0 (Минэкономразвития; ``http://opendata.gosmonitor.ru/standard/3.0``), under one folder,
``/opendata/`` (``RATUSHA_OPEN_DATA_PATH``)::

    opendata/list.csv, list.json              the register of every set
    opendata/<ИНН>-<set>/meta.csv, meta.json  the set's passport
    opendata/<ИНН>-<set>/data-YYYYMMDD-structure-YYYYMMDD.csv (and .json)
    opendata/<ИНН>-<set>/structure-YYYYMMDD.csv (and .json, a JSON Schema)

A data file is named after the day its data last changed and the day its structure last
changed. Both come from the content and the code alone, so every build of the same content
gives the same files, byte for byte, wherever it runs (a rebuild equals a fresh build, as
``ratusha.core.fingerprints`` requires): the structure's day is declared with its columns
(:mod:`.datasets`); the data's day is the latest day an item of the set was changed, its
``modified`` field, else its ``date`` (the structure's day for a set whose items carry
neither, such as departments without ``modified``).

The «Открытые данные» page is any page with ``template: open_data``: it gets the sets as
``item.open_data`` (so its fingerprint changes with them) and lists what is there.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
from dataclasses import dataclass
from typing import Any

from pelican import signals

from ratusha.core.build import Build
from ratusha.core.listing import ListingGenerator
from ratusha.core.settings import Setting
from ratusha.core.site import public_url

from .appeals import feedback_widget
from .datasets import SETS, DataSet, cell

__all__ = ["DEFAULTS", "STANDARD", "OpenDataGenerator", "PublishedSet", "register"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    "RATUSHA_OPEN_DATA": Setting(True, "publish the open data sets (acts, departments, events) as CSV and JSON"),
    "RATUSHA_OPEN_DATA_PATH": Setting("opendata/", "the folder of the open data sets and their register"),
    "RATUSHA_FEEDBACK_WIDGET_SCRIPT": Setting(
        "/bin/script.min.js",
        "the path of the Gosuslugi feedback widget's script on the host of the data file's `feedback_widget`",
    ),
    "RATUSHA_OPEN_DATA_SETS": Setting(
        ("legal-acts", "departments", "events"), "which of the sets (`ratusha.open_data.datasets`) are published"
    ),
}
#: The version of the methodological recommendations the layout follows.
STANDARD = "http://opendata.gosmonitor.ru/standard/3.0"
PAGE_TEMPLATE = "open_data"
PLUGIN = "open_data"


@dataclass
class PublishedSet:
    """One set as this build publishes it: the files, their names and its rows."""

    dataset: DataSet
    identifier: str
    folder: str  # site-relative, ending in "/"
    created: datetime.date
    modified: datetime.date
    rows: list[dict[str, Any]]

    @property
    def data_name(self) -> str:
        """The data file's name without the extension."""
        return f"data-{self.modified:%Y%m%d}-structure-{self.dataset.structure_date:%Y%m%d}"

    @property
    def structure_name(self) -> str:
        """The structure file's name without the extension."""
        return f"structure-{self.dataset.structure_date:%Y%m%d}"

    def summary(self) -> dict[str, Any]:
        """Return what the «Открытые данные» page shows of the set (plain data, for its fingerprint)."""
        return {
            "identifier": self.identifier,
            "title": self.dataset.title,
            "description": self.dataset.description,
            "modified": self.modified,
            "rows": len(self.rows),
            "meta": f"{self.folder}meta",
            "data": f"{self.folder}{self.data_name}",
            "structure": f"{self.folder}{self.structure_name}",
        }


def published_sets(context: dict[str, Any], settings: dict[str, Any]) -> list[PublishedSet]:
    """Return the sets this build publishes, each dated as the module's docstring says."""
    base = public_url(settings)
    inn = str(settings["MUNICIPALITY"].get("inn") or "").strip()
    folder = settings["RATUSHA_OPEN_DATA_PATH"]
    wanted = settings["RATUSHA_OPEN_DATA_SETS"]
    unknown = set(wanted) - {d.name for d in SETS}
    if unknown:
        raise ValueError(f"RATUSHA_OPEN_DATA_SETS: unknown sets {', '.join(sorted(unknown))}")
    result = []
    for dataset in SETS:
        if dataset.name not in wanted:
            continue
        identifier = f"{inn}-{dataset.name}" if inn else dataset.name
        rows = dataset.rows(context, base)
        days = dataset.dates(context)
        modified = max(days, default=dataset.structure_date)
        created = min(days, default=dataset.structure_date)
        result.append(PublishedSet(dataset, identifier, f"{folder}{identifier}/", created, modified, rows))
    return result


def prepare(generators: list[Any]) -> None:
    """Make the sets once every item is read and linked, and give them to the open data page.

    Also puts the feedback widget's parts (:mod:`.appeals`) into the context for the appeals
    page and the footer.
    """
    context = generators[0].context
    settings = generators[0].settings
    context["feedback_widget"] = feedback_widget(
        settings["MUNICIPALITY"].get("feedback_widget"), settings["RATUSHA_FEEDBACK_WIDGET_SCRIPT"]
    )
    if not settings["RATUSHA_OPEN_DATA"]:
        return
    build = Build.of(context)
    sets = published_sets(context, settings)
    build.state(PLUGIN)["sets"] = sets
    context["open_data_sets"] = [s.summary() for s in sets]
    context["open_data_folder"] = settings["RATUSHA_OPEN_DATA_PATH"]
    for page in context.get("static_pages", []):
        if getattr(page, "template", None) == PAGE_TEMPLATE:
            page.open_data = context["open_data_sets"]


# Writing ---------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> bytes:
    """Return rows as CSV: UTF-8 without a BOM, comma-separated, quoted where needed, CRLF (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


#: JSON Schema of each column format (the structure file of the JSON data).
_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": ["string", "null"]},
    "integer": {"type": ["integer", "null"]},
    "date": {"type": ["string", "null"], "format": "date"},
    "datetime": {"type": ["string", "null"], "format": "date-time"},
    "url": {"type": "string", "format": "uri"},
    "list": {"type": "array", "items": {"type": "string"}},
    "versions": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["date", "url", "eli", "amendments", "original", "current"],
            "properties": {
                "date": {"type": "string", "format": "date"},
                "url": {"type": "string", "format": "uri"},
                "eli": {"type": ["string", "null"]},
                "amendments": {"type": "array", "items": {"type": "string"}},
                "original": {"type": "boolean"},
                "current": {"type": "boolean"},
            },
        },
    },
}


def _publisher(settings: dict[str, Any]) -> dict[str, str]:
    """Who answers for the sets: the data file's ``open_data`` block, else the municipality's contacts."""
    municipality = settings["MUNICIPALITY"]
    block = municipality.get("open_data") or {}
    contacts = municipality.get("contacts") or {}
    return {
        "name": str(block.get("publisher") or municipality["name"]),
        "phone": str(block.get("phone") or contacts.get("phone") or ""),
        "mbox": str(block.get("email") or contacts.get("email") or ""),
    }


def set_files(published: PublishedSet, settings: dict[str, Any]) -> dict[str, bytes]:
    """Return every file of one set, by its site-relative path."""
    base = public_url(settings)
    dataset, folder = published.dataset, published.folder
    columns = dataset.columns
    data_url = f"{base}/{folder}{published.data_name}"
    structure_url = f"{base}/{folder}{published.structure_name}"
    publisher = _publisher(settings)
    creator = settings["MUNICIPALITY"]["name"]
    provenance = "Формируется автоматически при каждой сборке официального сайта из опубликованных на нём материалов."
    passport = [
        ("standardversion", STANDARD),
        ("identifier", published.identifier),
        ("title", dataset.title),
        ("description", dataset.description),
        ("creator", creator),
        ("created", f"{published.created:%Y%m%d}"),
        ("modified", f"{published.modified:%Y%m%d}"),
        ("subject", dataset.subject),
        ("format", "csv"),
        (f"{published.data_name}", f"{data_url}.csv"),
        (f"{published.structure_name}", f"{structure_url}.csv"),
        ("publishername", publisher["name"]),
        ("publisherphone", publisher["phone"]),
        ("publishermbox", publisher["mbox"]),
        ("provenance", provenance),
    ]
    meta_json = {
        "standardversion": STANDARD,
        "identifier": published.identifier,
        "title": dataset.title,
        "description": dataset.description,
        "creator": creator,
        "created": f"{published.created:%Y%m%d}",
        "modified": f"{published.modified:%Y%m%d}",
        "subject": dataset.subject,
        "format": "json",
        "data": [
            {
                "source": f"{data_url}.json",
                "created": f"{published.modified:%Y%m%d}",
                "provenance": provenance,
                "structure": f"{dataset.structure_date:%Y%m%d}",
            }
        ],
        "structure": [{"created": f"{dataset.structure_date:%Y%m%d}", "source": f"{structure_url}.json"}],
        "publisher": publisher,
    }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": dataset.title,
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": [c.name for c in columns],
            "properties": {c.name: {**_JSON_TYPES[c.format], "description": c.russian} for c in columns},
        },
    }
    return {
        f"{folder}meta.csv": _csv([["property", "value"], *map(list, passport)]),
        f"{folder}meta.json": _json(meta_json),
        f"{folder}{published.structure_name}.csv": _csv(
            [["field name", "english description", "russian description", "format"]]
            + [[c.name, c.english, c.russian, c.format] for c in columns]
        ),
        f"{folder}{published.structure_name}.json": _json(schema),
        f"{folder}{published.data_name}.csv": _csv(
            [[c.name for c in columns]] + [[cell(row[c.name], c) for c in columns] for row in published.rows]
        ),
        f"{folder}{published.data_name}.json": _json(
            [{c.name: row[c.name] for c in columns} for row in published.rows]
        ),
    }


def register_files(sets: list[PublishedSet], settings: dict[str, Any]) -> dict[str, bytes]:
    """Return the register of every set (``list.csv`` and ``list.json``)."""
    base = public_url(settings)
    folder = settings["RATUSHA_OPEN_DATA_PATH"]
    rows = [
        ["property", "title", "value", "format"],
        ["standardversion", "Версия методических рекомендаций", STANDARD, ""],
    ]
    rows += [[s.identifier, s.dataset.title, f"{base}/{s.folder}meta.csv", "csv"] for s in sets]
    listing = {
        "standardversion": STANDARD,
        "meta": [
            {
                "identifier": s.identifier,
                "title": s.dataset.title,
                "link": f"{base}/{s.folder}meta.json",
                "format": "json",
            }
            for s in sets
        ],
    }
    return {f"{folder}list.csv": _csv(rows), f"{folder}list.json": _json(listing)}


class OpenDataGenerator(ListingGenerator):
    """Write the open data sets and their register."""

    def generate_output(self, writer: Any) -> None:
        """Write every file of every set and the register."""
        build = Build.of(self.context)
        sets = build.state(PLUGIN).get("sets")
        if not self.settings["RATUSHA_OPEN_DATA"] or sets is None:
            return
        for published in sets:
            for relative, data in set_files(published, self.settings).items():
                self.write_data(relative, data)
        for relative, data in register_files(sets, self.settings).items():
            self.write_data(relative, data)


def get_generators(pelican: Any) -> type[OpenDataGenerator]:
    """Add the open data writer."""
    return OpenDataGenerator


def register() -> None:
    """Make the sets once content is linked (after departments and legal_acts), write them with the pages."""
    signals.all_generators_finalized.connect(prepare)
    signals.get_generators.connect(get_generators)
