"""Items to Ratusha Markdown files, their files to content/, their old addresses to the ledger.

Everything is written whole or not at all (a temporary file, then ``os.replace``), and
nothing that is already there is written again, so an interrupted import is simply run
again, and a second import of the same source changes nothing.
"""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import tempfile
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from bs4 import BeautifulSoup

from ratusha.core.acts import ACT_TYPES, IN_FORCE
from ratusha.core.slugs import slugify

from .convert import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS, to_markdown
from .fetch import Fetcher, Refused
from .model import FOLDERS, Item, Report
from .text import local_datetime, name_key, old_address, parse_act_title, parse_date, source_id

__all__ = ["DepartmentTable", "Importer", "atomic_write", "update_ledger"]

#: Where downloaded files go, under content/ (both are in STATIC_PATHS).
IMAGES = "images/imported"
FILES = "files/imported"
LEDGER_HEADER = (
    "# Every address each item has had, for redirects from old addresses (ratusha.redirects).\n"
    "# Written by the build: commit it with the content. Lines: <id><TAB><address>, or\n"
    "# <old address><TAB><new address> for a fixed redirect (an importer's).\n"
)
_CONTENT_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
    "application/pdf": ".pdf",
}


class Skip(Exception):
    """An item that cannot be written as the content model asks: the report says why."""


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole (a temporary file, then a rename); False if it was already so."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return True


def update_ledger(path: Path, entries: Iterable[tuple[str, str]]) -> int:
    """Add ``(id, old address)`` entries to the address ledger; return how many were new.

    The file keeps the build's own form (ratusha.redirects: a header, then the entries
    sorted), so that the next build does not rewrite it for the order alone.
    """
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    comments = [line for line in lines if line.startswith("#")]
    existing = {tuple(line.split("\t", 1)) for line in lines if "\t" in line and not line.startswith("#")}
    new = {(key, address) for key, address in entries if (key, address) not in existing}
    if not new:
        return 0
    header = "\n".join(comments) + "\n" if comments else LEDGER_HEADER
    body = "".join(f"{key}\t{address}\n" for key, address in sorted(existing | new))
    atomic_write(path, (header + body).encode())
    return len(new)


def scalar(value: Any) -> str:
    """Return ``value`` as a YAML scalar that reads back as the same string (quoted only when needed)."""
    text = " ".join(str(value).split())
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain = False
    if plain and text and not text.startswith(("[", "{", "*", "&", "!", "|", ">", "%", "@", "`", "'", '"')):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


@dataclass
class DepartmentTable:
    """Names of departments as the old site printed them → slugs of content/departments/.

    ``ignore`` names categories that are not departments (WordPress «Новости»); ``default``
    is the department of items whose source names none. Nothing else is guessed.
    """

    names: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    ignore: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None) -> DepartmentTable:
        """Read the mapping table (YAML: ``departments: {name: slug}``, ``default``, ``ignore``)."""
        if path is None:
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names = {name_key(name): str(slug) for name, slug in (data.get("departments") or {}).items()}
        ignore = frozenset(name_key(name) for name in data.get("ignore") or ())
        return cls(names, data.get("default"), ignore)

    def slugs(self) -> set[str]:
        """Return every slug the table points to."""
        return set(self.names.values()) | ({self.default} if self.default else set())

    def find(self, candidates: Iterable[str]) -> tuple[str | None, str | None]:
        """Return (slug, None), or (None, the first unknown name), or (default, None) when none is named."""
        unknown = None
        for name in candidates:
            key = name_key(name)
            if not key or key in self.ignore:
                continue
            if key in self.names:
                return self.names[key], None
            unknown = unknown or " ".join(str(name).split())
        if unknown:
            return None, unknown
        return self.default, None


def _index(folder: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """Return {id: file} and {slug: id} of the Markdown files in ``folder`` (from their front matter)."""
    found: dict[str, Path] = {}
    slugs: dict[str, str] = {}
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        try:
            meta = yaml.safe_load(text[4:].split("\n---", 1)[0]) or {}
        except yaml.YAMLError:
            continue
        if not isinstance(meta, dict):
            continue
        key = str(meta.get("id") or path)
        if meta.get("id"):
            found.setdefault(key, path)
        slug = str(meta.get("slug") or slugify(str(meta.get("title") or "")))
        slugs.setdefault(slug, key)
    return found, slugs


class Importer:
    """Writes items into a content folder: front matter, body, files and ledger entries."""

    def __init__(
        self,
        content: Path,
        *,
        timezone: ZoneInfo,
        departments: DepartmentTable,
        fetcher: Fetcher | None = None,
        act_status: str = IN_FORCE,
        report: Report | None = None,
        ledger: str = "addresses.txt",
    ) -> None:
        self.ledger_name = ledger
        self.content = content
        self.timezone = timezone
        self.departments = departments
        self.fetcher = fetcher
        self.act_status = act_status
        self.report = report or Report()
        self.known_departments = {p.stem for p in (content / "departments").glob("*.md")}
        indexes = {kind: _index(content / folder) for kind, folder in FOLDERS.items()}
        self.ids = {kind: index[0] for kind, index in indexes.items()}
        #: The slugs each dated type has, with their items' ids: two items never get one address.
        self.slugs = {kind: index[1] for kind, index in indexes.items()}
        self.taken: set[Path] = {p for ids in self.ids.values() for p in ids.values()}
        self.act_keys: dict[str, str] = {}  # key → id, for this run
        self.ledger: list[tuple[str, str]] = []
        self._fetched: dict[str, str | None] = {}

    def missing_departments(self) -> list[str]:
        """Return the slugs of the table that content/departments/ does not have."""
        return sorted(self.departments.slugs() - self.known_departments)

    # Files ---------------------------------------------------------------------

    def localise(self, address: str, kind: str) -> str | None:
        """Download ``address`` into content/ once; return its path there, or None (reported)."""
        if address in self._fetched:
            return self._fetched[address]
        self._fetched[address] = None
        parts = urllib.parse.urlsplit(address)
        name = posixpath.basename(urllib.parse.unquote(parts.path))
        stem, extension = posixpath.splitext(name)
        extension = extension.lower()
        allowed = IMAGE_EXTENSIONS if kind == "image" else DOCUMENT_EXTENSIONS
        digest = source_id(address).removeprefix("import-")[:8]  # the same file over http or https
        safe = f"{slugify(stem, 60) or 'file'}-{digest}"
        folder = IMAGES if kind == "image" else FILES
        if extension in allowed:  # already downloaded by an earlier (perhaps interrupted) run?
            local = f"{folder}/{safe}{extension}"
            if (self.content / local).exists():
                self._fetched[address] = local
                return local
        if self.fetcher is None:
            self.report.not_fetched.append((address, "нет доступа к сети / no fetcher"))
            return None
        try:
            response = self.fetcher.get(address)
        except Refused as why:
            self.report.not_fetched.append((address, str(why)))
            return None
        if extension not in allowed:
            extension = _CONTENT_TYPES.get(response.headers.get("content-type", "").split(";")[0].strip(), "")
            if extension not in allowed:
                self.report.not_fetched.append(
                    (address, f"не {'изображение' if kind == 'image' else 'документ'} / unsupported type")
                )
                return None
        local = f"{folder}/{safe}{extension}"
        if atomic_write(self.content / local, response.content):
            self.report.files_downloaded += 1
        self._fetched[address] = local
        return local

    # Items ---------------------------------------------------------------------

    def write(self, item: Item) -> Path | None:
        """Write ``item`` (or report why not); return its file."""
        item.title = " ".join(str(item.title or "").split())
        try:
            if not item.title:
                raise Skip("нет заголовка / no title")
            meta, date = self._meta(item, self._department(item))
            text = self._text(item, meta)
            path = self._path(item, date)
        except Skip as why:
            self.report.skip(item, str(why))
            return None
        existed = path.exists()
        changed = atomic_write(path, text.encode())
        counter = self.report.unchanged if not changed else self.report.updated if existed else self.report.created
        counter[item.kind] += 1
        identifier = source_id(item.source)
        self.ids[item.kind][identifier] = path
        self.taken.add(path)
        for address in (item.source, *item.other_addresses):
            old = old_address(address)
            if old:
                self.ledger.append((identifier, old))
        if len(self.ledger) >= 200:  # a long import keeps its redirects as it goes
            self.finish()
        return path

    def _department(self, item: Item) -> str | None:
        """Return the item's department slug through the table; an unknown name is reported, never guessed."""
        department, unknown = self.departments.find(item.departments)
        if unknown:
            self.report.unknown_departments[unknown] += 1
            if item.kind in ("news", "act"):
                raise Skip(f"подразделение «{unknown}» не в таблице соответствия / department not mapped")
        if department and department not in self.known_departments:
            raise Skip(f"подразделения {department} нет в content/departments / no such department")
        if item.kind in ("news", "act") and not department:
            raise Skip("подразделение не указано, в таблице нет default / no department, no default")
        return department

    def _meta(self, item: Item, department: str | None) -> tuple[list[tuple[str, str]], Any]:
        """Return the front matter's fields, in the documented order, and the item's date."""
        meta: list[tuple[str, str]] = [("title", scalar(item.title))]
        fields = item.fields
        date = item.date
        if item.kind == "act":
            act_type, number, adopted, title = self._act(item, fields)
            meta[0] = ("title", scalar(title))
            date = date or adopted
        if item.kind != "page":
            if date is None:
                raise Skip("нет даты / no date")
            meta.append(("date", local_datetime(date, self.timezone)))
        meta.append(("id", source_id(item.source)))
        if item.kind in ("news", "announcement"):
            slug = self._slug(item)
            if slug != slugify(item.title):
                meta.append(("slug", slug))
        summary = BeautifulSoup(item.summary or "", "html.parser").get_text(" ")  # feeds' summaries are HTML
        if summary.strip():
            meta.append(("summary", scalar(summary)))
        if item.tags:
            meta.append(("tags", "[" + ", ".join(json.dumps(t, ensure_ascii=False) for t in item.tags) + "]"))
        if item.kind == "news":
            meta.append(("department", str(department)))
        elif item.kind == "announcement":
            starts = fields.get("starts")
            starts = parse_date(starts) if isinstance(starts, str) else starts
            place = " ".join(str(fields.get("place") or "").split())
            if starts is None or not place:
                raise Skip("нет начала (starts) или места (place) / no start or place")
            meta += [("starts", local_datetime(starts, self.timezone)), ("place", scalar(place))]
            if department:
                meta.append(("department", department))
        elif item.kind == "act":
            meta += [
                ("act_type", act_type),
                ("number", json.dumps(number, ensure_ascii=False)),
                ("adopted", adopted.isoformat()),
                ("act_status", scalar(fields.get("act_status") or self.act_status)),
                ("issuer", str(department)),
            ]
        image = self._lead_image(item)
        if image:
            meta += [("image", image[0]), ("image_alt", scalar(image[1]))]
        return meta, date

    def _slug(self, item: Item) -> str:
        """Return the item's slug: its title's, or with -2, -3 … when another item has that one."""
        identifier, base = source_id(item.source), slugify(item.title)
        taken = self.slugs[item.kind]
        slug, n = base, 1
        while taken.get(slug, identifier) != identifier:
            n += 1
            slug = f"{base}-{n}"
        taken[slug] = identifier
        return slug

    def _text(self, item: Item, meta: list[tuple[str, str]]) -> str:
        """Return the whole file: the front matter, the body in Markdown, the attachments."""
        body = to_markdown(item.body, item.source, self.localise, item.remove) if item.body else ""
        attachments = [
            (local, title) for address, title in item.attachments if (local := self.localise(address, "file"))
        ]
        lines = ["---", *(f"{key}: {value}" for key, value in meta)]
        body = body.strip() or item.title
        if attachments and item.kind == "act":  # the registry lists them: attachments
            lines.append("attachments:")
            lines += [f"  - file: {local}\n    title: {scalar(title)}" for local, title in attachments]
        elif attachments:  # files the page offered outside its text: a list after it
            body += "\n\n" + "\n".join(f"- [{title}]({{static}}/{local})" for local, title in attachments)
        return "\n".join([*lines, "---"]) + "\n" + body.strip() + "\n"

    def _act(self, item: Item, fields: dict[str, Any]) -> tuple[str, str, datetime.date, str]:
        """Return an act's type, number, adoption date and title: its fields, else its title's words."""
        parsed = parse_act_title(item.title)
        act_type = str(fields.get("act_type") or (parsed.act_type if parsed else "")).strip().lower()
        number = " ".join(str(fields.get("number") or (parsed.number if parsed else "")).split()).lstrip("№N ").strip()
        adopted = fields.get("adopted") or (parsed.adopted if parsed else None)
        adopted = parse_date(adopted) if isinstance(adopted, str) else adopted
        if isinstance(adopted, datetime.datetime):
            adopted = adopted.date()
        if act_type not in ACT_TYPES or not number or adopted is None:
            raise Skip("вид, номер или дата акта не найдены / act type, number or date not found")
        title = item.title if fields.get("number") else (parsed.title if parsed else item.title)
        key = slugify(f"{act_type} {number} {adopted.year}")
        identifier = source_id(item.source)
        if self.act_keys.setdefault(key, identifier) != identifier:
            raise Skip(f"акт {key} уже импортирован с другого адреса / the same act from another address")
        return act_type, number, adopted, title

    def _lead_image(self, item: Item) -> tuple[str, str] | None:
        if not item.image:
            return None
        address, alt = item.image
        alt = " ".join(str(alt or "").split())
        if not alt:  # no text alternative: not a lead image (it needs one); it stays in the body
            return None
        local = self.localise(address, "image")
        return (local, alt) if local else None

    def _path(self, item: Item, date: Any) -> Path:
        """Return the file of ``item``: the one with its id already, else a new free name."""
        identifier = source_id(item.source)
        existing = self.ids[item.kind].get(identifier)
        if existing is not None:
            return existing
        folder = self.content / FOLDERS[item.kind]
        if item.kind == "act":  # named by its key, as the registry's own files are
            key = next(k for k, v in self.act_keys.items() if v == identifier)
            candidate = folder / f"{key}.md"
            if candidate.exists():
                raise Skip(f"файл {candidate.name} уже есть (другой акт) / the act exists already")
            return candidate
        stem = slugify(item.title, 60) or "material"
        if item.kind == "news":  # the day in the municipality's time zone, as the front matter's
            stem = f"{local_datetime(date, self.timezone)[:10]}-{stem}"
        candidate, n = folder / f"{stem}.md", 1
        while candidate.exists() or candidate in self.taken:
            n += 1
            candidate = folder / f"{stem}-{n}.md"
        return candidate

    def finish(self) -> None:
        """Write the ledger entries gathered so far (one atomic rewrite of the ledger)."""
        self.report.redirects_added += update_ledger(self.content / self.ledger_name, self.ledger)
        self.ledger = []
