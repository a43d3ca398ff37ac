"""Every rule content must follow, as functions that return problems.

The build and ``invoke check`` both call these, so they never disagree. Each check runs to
the end and returns every problem it finds (as Pelican's ``is_valid`` does), so an editor
fixes a file in one pass instead of one error per build.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from ratusha.core.acts import ACT_STATUSES, IN_FORCE, NORMATIVE_TYPES
from ratusha.core.data import display_path, localise, to_datetime
from ratusha.core.dates import ru_plural
from ratusha.core.errors import ContentError
from ratusha.core.law import CATEGORIES
from ratusha.core.slugs import slugify
from ratusha.core.social import account_problems, normalise_account
from ratusha.core.text import did_you_mean

from .act_versions import read_versions
from .assets import DOCUMENT_TYPES, IMAGE_TYPES, read_attachment, read_image
from .contents import Department, LegalAct
from .schema import ContentType, Field

#: Fields Pelican or the reader handle themselves, valid on every type.
PELICAN_FIELDS = {"status", "slug", "tags", "modified", "lang", "field_lines", "template", "save_as", "url"}
#: What the reader (``ratusha.front_matter``) removed from the body: ``[{tag, host, line}]``.
REMOVED_HTML = "removed_html"
#: Further fields other Ratusha plugins read (social teasers, pinning, …).
EXTRA_FIELDS: set[str] = set()
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{3,99}$")
#: The federal register's number of a municipal normative act: RU, the municipality's
#: 8-digit code, the year and a 6-digit number (RU + 18 digits); older entries are shorter.
_REGISTER_NUMBER = re.compile(r"^RU\d{12,20}$")

REQUIRED = "обязательное поле не заполнено / required field is missing"


def act_key(act_type: str, number: str, adopted: datetime.date) -> str:
    """Return the stable key of an act: type, number and year of adoption, transliterated."""
    return slugify(f"{act_type} {number} {adopted.year}")


class ItemChecker:
    """Checks one item against its type and normalises its fields in place."""

    def __init__(self, item: Any, ctype: ContentType, settings: dict[str, Any]) -> None:
        self.item = item
        self.ctype = ctype
        self.settings = settings
        self.path = display_path(item.source_path)
        self.content_path = settings["PATH"]
        self.timezone = ZoneInfo(settings["TIMEZONE"])
        self.problems: list[ContentError] = []

    def problem(self, field: str | None, message: str, severity: str = "error") -> None:
        """Record a problem with ``field``, at the line where the field is written."""
        line = self.item.line_of(field.split(".")[0] if field else "") if field else None
        if field and "." in field:
            line = self.item.line_of(field) or line
        self.problems.append(ContentError(self.path, message, line=line or 1, field=field, severity=severity))

    def run(self) -> list[ContentError]:
        """Check and normalise every field; return the problems found."""
        metadata = self.item.metadata
        known = {f.name for f in self.ctype.all_fields} | PELICAN_FIELDS | EXTRA_FIELDS
        for name in metadata:
            if name not in known and name not in ("reader", "path", REMOVED_HTML):
                hint = did_you_mean(name, sorted(known))
                self.problem(name, f"неизвестное поле / unknown field{hint}", "warning")
        for spec in self.ctype.all_fields:
            if spec.kind == "image":
                continue  # checked with its alt text by _image()
            value = metadata.get(spec.name)
            if value is None or value in ("", [], {}):
                if spec.required:
                    self.problem(spec.name, REQUIRED)
                continue
            normalised = getattr(self, f"_{spec.kind}")(spec, value)
            if normalised is not None:
                setattr(self.item, spec.name, normalised)
        self._status()
        self._image()
        self._removed_html()
        getattr(self, f"_type_{self.ctype.name}", lambda: None)()
        return self.problems

    # Field kinds ---------------------------------------------------------------

    def _text(self, spec: Field, value: Any) -> str | None:
        if isinstance(value, (dict, list)):
            self.problem(spec.name, "ожидается текст / expected text")
            return None
        text = str(value).strip()
        if spec.name == "title":
            self.item.title = text
        return text

    def _number(self, spec: Field, value: Any) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(spec.name, f"ожидается число, а не {value!r} / expected a number")
            return None
        return value

    def _date(self, spec: Field, value: Any) -> datetime.date | None:
        try:
            return to_datetime(value, self.path, spec.name, self.item.line_of(spec.name)).date()
        except ContentError as exc:
            self.problems.append(exc)
            return None

    def _datetime(self, spec: Field, value: Any) -> datetime.datetime | None:
        if spec.name == "date":  # converted by the reader, localised by Pelican
            if not isinstance(value, datetime.datetime):
                self.problem("date", "не удаётся прочитать дату / cannot read the date")
            return None
        try:
            moment = to_datetime(value, self.path, spec.name, self.item.line_of(spec.name))
        except ContentError as exc:
            self.problems.append(exc)
            return None
        return localise(moment, self.timezone)

    def _choice(self, spec: Field, value: Any) -> str | None:
        text = str(value).strip().lower().replace("отменен", "отменён")
        if text not in spec.choices:
            allowed = ", ".join(spec.choices)
            self.problem(spec.name, f"значение {value!r} не из списка: {allowed} / must be one of: {allowed}")
            return None
        return text

    def _id(self, spec: Field, value: Any) -> str | None:
        text = str(value).strip()
        if not _ID.match(text):
            self.problem(
                spec.name,
                f"id {value!r} не подходит: нужны от 4 до 100 латинских букв, цифр и знаков - . _ : "
                "(например, UUID, как его пишет invoke new) / "
                "use 4-100 Latin letters, digits and - . _ : (e.g. a UUID)",
            )
            return None
        return text

    def _flag(self, spec: Field, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.problem(spec.name, f"ожидается true или false, а не {value!r} / expected true or false")
            return None
        return value

    def _hashtags(self, spec: Field, value: Any) -> list[str] | None:
        values = value.split() if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, (str, int)) for v in values):
            self.problem(spec.name, "ожидается список хештегов: [дороги, ремонт] / expected a list of hashtags")
            return None
        return [str(v) for v in values]

    def _department(self, spec: Field, value: Any) -> str | None:
        if not isinstance(value, str):
            self.problem(spec.name, "укажите имя файла подразделения, например obrazovanie / give a department slug")
            return None
        return value.strip()

    def _acts(self, spec: Field, value: Any) -> list[str] | None:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.problem(
                spec.name,
                "ожидается список ключей актов, например [postanovlenie-12-2026] / expected a list of act keys",
            )
            return None
        return [v.strip() for v in values]

    def _covers(self, spec: Field, value: Any) -> list[str] | None:
        """Keep the 8-FZ art. 13 categories a page publishes; an unknown key is an error (a typo covers nothing)."""
        keys = value if isinstance(value, list) else [value]
        known = []
        for key in keys:
            key = str(key).strip()
            if key in CATEGORIES:
                known.append(key)
                continue
            hint = did_you_mean(key, list(CATEGORIES))
            self.problem(spec.name, f"неизвестная категория ст. 13 8-ФЗ {key!r} / unknown category{hint}")
        return known

    def _mapping(
        self, spec: Field, value: Any, fields: Iterable[str], required: Iterable[str]
    ) -> dict[str, str] | None:
        if not isinstance(value, dict):
            self.problem(spec.name, f"ожидаются поля {', '.join(fields)} / expected the fields {', '.join(fields)}")
            return None
        result = {key: str(value[key]).strip() for key in fields if value.get(key) not in (None, "")}
        for key in required:
            if key not in result:
                self.problem(f"{spec.name}.{key}", REQUIRED)
        for key in value:
            if key not in fields:
                self.problem(
                    f"{spec.name}.{key}",
                    f"неизвестное поле; допустимы: {', '.join(fields)} / unknown field",
                    "warning",
                )
        return result

    def _person(self, spec: Field, value: Any) -> dict[str, str] | None:
        return self._mapping(spec, value, ("name", "position", "photo"), ("name",))

    def _contacts(self, spec: Field, value: Any) -> dict[str, str] | None:
        result = self._mapping(spec, value, ("phone", "email", "address", "hours", "fax"), ())
        if result is not None and not {"phone", "email", "address"} & set(result):
            self.problem(
                spec.name,
                "нужен хотя бы телефон, e-mail или адрес / give at least a phone, e-mail or address",
            )
        return result

    def _asked_by(self, spec: Field, value: Any) -> dict[str, str] | None:
        if isinstance(value, str):
            return {"name": value.strip()}
        return self._mapping(spec, value, ("name", "district"), ())

    def _withdrawn(self, spec: Field, value: Any) -> dict[str, Any] | None:
        result = self._mapping(spec, value, ("date", "reason"), ("date", "reason"))
        if result is None or "date" not in result or "reason" not in result:
            return None
        moment = self._datetime(Field(f"{spec.name}.date", "datetime"), value["date"])
        return {"date": moment, "reason": result["reason"]} if moment is not None else None

    def _social(self, spec: Field, value: Any) -> list[dict[str, str]] | None:
        if not isinstance(value, list):
            self.problem(spec.name, "ожидается список: - network: telegram, url: https://… / expected a list")
            return None
        accounts = []
        for index, account in enumerate(value):
            found = account_problems(account)
            for field, message in found:
                self.problem(f"{spec.name}.{index}" + (f".{field}" if field else ""), message)
            if not found:
                accounts.append(normalise_account(account))
        return accounts

    def _register_number(self, spec: Field, value: Any) -> str | None:
        text = str(value).strip().upper().replace(" ", "")
        if not _REGISTER_NUMBER.match(text):
            self.problem(
                spec.name,
                f"номер в регистре {value!r} не похож на настоящий: RU и от 12 до 20 цифр / "
                "not like RU and 12-20 digits",
                "warning",
            )
        return text

    def _lost_force(self, spec: Field, value: Any) -> dict[str, Any] | None:
        result = self._mapping(spec, value, ("date", "by", "decision"), ("date",))
        if result is None or "date" not in result:
            return None
        date = self._date(Field(f"{spec.name}.date", "date"), value["date"])
        if date is None:
            return None
        if "by" not in result and "decision" not in result:
            self.problem(
                spec.name,
                "укажите, каким актом (by) или решением суда (decision) / give the act (by) or the decision",
            )
        return {"date": date, "by": result.get("by"), "decision": result.get("decision")}

    def _file(self, field: str, file: Any, types: dict[str, Any]) -> str | None:
        if not isinstance(file, str) or not file.strip():
            self.problem(field, "укажите путь к файлу / give the file's path")
            return None
        file = file.strip().lstrip("/")
        extension = os.path.splitext(file)[1].lower()
        if extension not in types:
            self.problem(
                field,
                (f"тип файла {extension} не поддерживается" if extension else "у файла нет расширения")
                + f"; допустимы: {', '.join(types)} / "
                "unsupported file type",
            )
            return None
        if not os.path.isfile(os.path.join(self.content_path, file)):
            self.problem(field, f"файл {file} не найден в папке content / the file does not exist")
            return None
        return file

    def _image(self) -> None:
        file = self.item.metadata.get("image")
        if not file:
            return
        file = self._file("image", file, IMAGE_TYPES)
        alt = str(self.item.metadata.get("image_alt") or "").strip()
        if not alt:
            self.problem(
                "image_alt",
                "у изображения нет описания (alt): в image_alt опишите, что на снимке / "
                "the image has no text alternative",
                "error",
            )
        if file:
            try:
                self.item.image = read_image(self.content_path, file, alt)
            except ValueError as exc:
                self.problem("image", f"не удаётся прочитать изображение / unreadable image: {exc}")
                self.item.image = None
        else:
            self.item.image = None

    def _attachments(self, spec: Field, value: Any) -> list[Any] | None:
        if not isinstance(value, list):
            self.problem(spec.name, "ожидается список: - file: …, title: … / expected a list")
            return None
        attachments = []
        for index, entry in enumerate(value):
            field = f"{spec.name}.{index}"
            entry = {"file": entry} if isinstance(entry, str) else entry
            if not isinstance(entry, dict):
                self.problem(field, "ожидаются поля file и title / expected file and title")
                continue
            file = self._file(f"{field}.file", entry.get("file"), DOCUMENT_TYPES)
            if file:
                title = str(entry.get("title") or os.path.basename(file))
                attachments.append(read_attachment(self.content_path, file, title))
        return attachments

    def _removed_html(self) -> None:
        """Warn about each element the sanitizer removed, at its line: a pasted embed must not vanish unseen."""
        for entry in self.item.metadata.get(REMOVED_HTML) or ():
            tag, host = entry["tag"], entry["host"]
            if tag == "iframe":
                message = (
                    f"<iframe> с {host} удалён: встраивать можно только с сайтов из RATUSHA_EMBED_HOSTS; "
                    "дайте вместо него ссылку / "
                    f"<iframe> from {host} removed (not in RATUSHA_EMBED_HOSTS); link to it instead"
                )
            elif tag in ("script", "style", "noscript", "template", "object", "embed"):
                message = (
                    f"<{tag}> удалён вместе с содержимым: скрипты, стили и вставки на страницах не разрешены / "
                    f"<{tag}> removed with its content: not allowed in content"
                )
            else:
                message = (
                    f"тег <{tag}> удалён, его текст оставлен: в тексте допустима только разметка из "
                    f"руководства редактора / <{tag}> removed, its text kept: not on the allow-list"
                )
            self.problems.append(ContentError(self.path, message, line=entry["line"], field=None, severity="warning"))

    def _status(self) -> None:
        status = getattr(self.item, "status", "published")
        if status not in self.item.allowed_statuses:
            self.problem(
                "status",
                f"статус {status!r} не из списка: published, review, draft / must be published, review or draft",
            )

    # Type-specific rules -------------------------------------------------------

    def _stem_slug(self) -> None:
        if "slug" not in self.item.field_lines:
            self.item.slug = os.path.splitext(os.path.basename(self.item.source_path))[0]

    def _type_department(self) -> None:
        self._stem_slug()

    def _type_page(self) -> None:
        self._stem_slug()

    def _type_legal_act(self) -> None:
        act = self.item
        if (
            isinstance(getattr(act, "act_type", None), str)
            and isinstance(getattr(act, "number", None), str)
            and isinstance(getattr(act, "adopted", None), datetime.date)
        ):
            act.act_key = act_key(act.act_type, act.number, act.adopted)
            if "slug" not in act.field_lines:
                act.slug = act.act_key
        status = ACT_STATUSES.get(getattr(act, "act_status", None) or "")
        if "normative" not in act.metadata:
            act.normative = getattr(act, "act_type", None) in NORMATIVE_TYPES
        if status is not None and status.in_force and act.normative and not act.metadata.get("published_on"):
            self.problem(
                "published_in" if "published_in" in act.metadata else "act_status",
                "нормативный акт действует, но нет сведений об официальном опубликовании (published_in, "
                "published_on) / a normative act in force with no record of its official publication",
                "warning",
            )
        lost = getattr(act, "lost_force", None) if "lost_force" in act.metadata else None
        if isinstance(lost, dict) and status is not None and status.in_force:
            self.problem(
                "act_status",
                f"акт утратил силу {lost['date']:%d.%m.%Y} (lost_force), но его статус «действует» / "
                "lost force but still marked in force",
                "warning",
            )
        court = lost.get("decision") if isinstance(lost, dict) else None
        if getattr(act, "act_status", None) == "отменён судом" and not (act.metadata.get("invalidated_by") or court):
            self.problem(
                "invalidated_by",
                "укажите в invalidated_by решение суда или протест прокурора / name the court decision",
                "warning",
            )

    def _type_news(self) -> None:
        self._promotion()

    def _promotion(self) -> None:
        if getattr(self.item, "urgent", False) is True and not self.item.metadata.get("urgent_until"):
            self.problem(
                "urgent_until", "у срочного сообщения укажите, до какого момента его показывать / required with urgent"
            )

    def _type_announcement(self) -> None:
        self._promotion()
        starts, ends = getattr(self.item, "starts", None), getattr(self.item, "ends", None)
        if isinstance(starts, datetime.datetime) and isinstance(ends, datetime.datetime) and ends < starts:
            self.problem("ends", "окончание раньше начала (starts) / the event ends before it starts")


def _changed_in_git(paths: list[str]) -> set[str]:
    """Return those of ``paths`` that git sees as new or changed (not committed), or none without git.

    Run only when two files clash, so a build pays nothing for it otherwise.
    """
    if not paths:
        return set()
    folder = os.path.commonpath([os.path.dirname(os.path.abspath(path)) for path in paths])
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", "."],
            cwd=folder,
            capture_output=True,
            timeout=30,
            check=False,
        )
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode or top.returncode:
        return set()
    root = os.fsdecode(top.stdout.strip())
    changed, entries = set(), iter(os.fsdecode(entry) for entry in done.stdout.split(b"\0") if entry)
    for entry in entries:  # "XY path"; a rename or copy is followed by its old path
        changed.add(os.path.realpath(os.path.join(root, entry[3:])))
        if entry[:2].strip()[:1] in ("R", "C"):
            next(entries, None)
    return changed


def newest_last(items: list[Any], changed: set[str] | None = None) -> list[Any]:
    """Order items that clash from the one that was there first to the one added or changed last.

    A file git sees as new or changed (not yet committed) is newer than a committed one;
    otherwise the later modification time is newer (a fresh clone gives every file about
    the same one, then the path decides). The clash is reported on the newer files: that
    is where the editor has just been working (copied a file and forgot the number).
    """
    if changed is None:
        changed = _changed_in_git([item.source_path for item in items])

    def age(item: Any) -> tuple[bool, int, str]:
        path = item.source_path
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            mtime = 0
        return (os.path.realpath(path) in changed, mtime, path)

    return sorted(items, key=age)


def _duplicates(
    items: Iterable[Any], key: Any, field: str | Any, what: tuple[str, str], shown: Any = repr
) -> list[ContentError]:
    """Report every item whose ``key`` an older item already has (see ``newest_last``), naming both files.

    ``field`` is the field to point at, or a function of the item that returns it;
    ``shown`` turns the key into the text of the message.
    """
    groups: dict[Any, list[Any]] = {}
    for item in items:
        value = key(item)
        if value is not None:
            groups.setdefault(value, []).append(item)
    clashes = {value: group for value, group in groups.items() if len(group) > 1}
    problems: list[ContentError] = []
    if not clashes:
        return problems
    changed = _changed_in_git([item.source_path for group in clashes.values() for item in group])  # git once
    for value, group in clashes.items():
        first, *later = newest_last(group, changed)
        other = display_path(first.source_path)
        for item in later:
            name = field(item) if callable(field) else field
            problems.append(
                ContentError(
                    display_path(item.source_path),
                    f"{what[0]} {shown(value)} уже есть в {other} / {other} has the same {what[1]}",
                    line=item.line_of(name) or 1,
                    field=name,
                )
            )
    return problems


def _lost_force_references(acts: list[Any], acts_by_key: dict[str, Any], failed: set[str]) -> list[ContentError]:
    """Report a ``lost_force.by`` that names no act."""
    problems = []
    for act in acts:
        lost = getattr(act, "lost_force", None) if "lost_force" in act.metadata else None
        key = lost.get("by") if isinstance(lost, dict) else None
        if not key or key in failed:
            continue
        target = acts_by_key.get(key)
        if target is None:
            hint = did_you_mean(key, list(acts_by_key))
            problems.append(
                ContentError(
                    display_path(act.source_path),
                    f"нет акта с ключом {key!r} / unknown act{hint}",
                    line=act.line_of("lost_force.by") or act.line_of("lost_force") or 1,
                    field="lost_force.by",
                )
            )
    return problems


def _department_cycles(departments: dict[str, Any]) -> list[ContentError]:
    """Report a department that is its own parent, or whose chain of parents comes back to it."""
    problems = []

    def problem(item: Any, field: str, message: str) -> None:
        problems.append(
            ContentError(display_path(item.source_path), message, line=item.line_of(field) or 1, field=field)
        )

    for department in departments.values():
        chain = [department.slug]
        parent = departments.get(getattr(department, "parent", None) or "")
        while parent is not None:
            if parent.slug == department.slug and len(chain) == 1:
                problem(
                    department,
                    "parent",
                    "подразделение указано вышестоящим для самого себя / the department is its own parent",
                )
                break
            if parent.slug in chain:
                circle = " → ".join([*chain[chain.index(parent.slug) :], parent.slug])
                problem(
                    department,
                    "parent",
                    f"вышестоящие подразделения замыкаются в круг: {circle}; у верхнего parent не указывается / "
                    f"the parent chain is a cycle: {circle}",
                )
                break
            chain.append(parent.slug)
            parent = departments.get(getattr(parent, "parent", None) or "")

    return problems


def check_catalog(items: list[Any], failed: dict[str, set[str]] | None = None) -> list[ContentError]:
    """Check what involves more than one item: references, hierarchy, uniqueness.

    ``failed`` maps a type to the file stems of its items that had errors of their own;
    references to them are not reported again.
    """
    failed = failed or {}
    problems: list[ContentError] = []
    departments = {d.slug: d for d in items if isinstance(d, Department)}
    published_departments = {slug for slug, d in departments.items() if d.status == "published"}
    acts = [a for a in items if isinstance(a, LegalAct) and hasattr(a, "act_key")]
    acts_by_key = {a.act_key: a for a in acts}

    def problem(item: Any, field: str, message: str) -> None:
        problems.append(
            ContentError(display_path(item.source_path), message, line=item.line_of(field) or 1, field=field)
        )

    for item in items:
        for field in ("department", "issuer", "parent"):
            slug = getattr(item, field, None) if field in item.metadata else None
            if not isinstance(slug, str):
                continue
            if slug in failed.get("department", ()):
                continue
            if slug not in departments:
                hint = did_you_mean(slug, list(departments))
                problem(
                    item,
                    field,
                    f"нет подразделения {slug!r} в content/departments/ / unknown department{hint}",
                )
            elif slug not in published_departments and item.status == "published":
                problem(
                    item,
                    field,
                    f"подразделение {slug!r} не опубликовано (черновик) / the department is a draft",
                )
        if isinstance(item, LegalAct):
            for field in ("amends", "repeals"):
                for key in getattr(item, field, None) or []:
                    target = acts_by_key.get(key)
                    if target is None and key in failed.get("legal_act", ()):
                        continue
                    if target is None:
                        hint = did_you_mean(key, list(acts_by_key))
                        problem(item, field, f"нет акта с ключом {key!r} / unknown act{hint}")
                    elif target is item:
                        problem(item, field, "акт ссылается сам на себя / the act refers to itself")
                    elif item.status == "published" and target.status != "published":
                        problem(item, field, f"акт {key!r} не опубликован / the act {key!r} is not published")
                    elif field == "repeals" and getattr(target, "act_status", None) == IN_FORCE:
                        problems.append(
                            ContentError(
                                display_path(target.source_path),
                                f"акт отменён актом {item.act_key}, но его статус «действует» / "
                                f"repealed by {item.act_key} but still marked in force",
                                line=target.line_of("act_status") or 1,
                                field="act_status",
                                severity="warning",
                            )
                        )

    problems += _lost_force_references(acts, acts_by_key, failed.get("legal_act", set()))
    problems += read_versions(acts, acts_by_key, failed.get("legal_act", set()))

    problems += _department_cycles(departments)
    clashing_acts = _duplicates(
        acts, lambda a: a.act_key, "number", ("акт с тем же видом, номером и годом", "act type, number and year")
    )
    problems += clashing_acts
    problems += _duplicates(items, lambda i: getattr(i, "id", None), "id", ("id", "id"))
    # An act that clashes by its number clashes by its address too: said once, above.
    said = {p.path for p in clashing_acts}
    published = [
        i for i in items if i.status == "published" and _has_url(i) and display_path(i.source_path) not in said
    ]
    urls = {i.save_as: i.url for i in published}
    problems += _duplicates(
        published,
        lambda i: i.save_as,
        lambda i: "slug" if "slug" in i.field_lines else "title",
        ("адрес страницы", "page address"),
        lambda save_as: "/" + str(urls[save_as]).lstrip("/"),
    )
    return problems


def _has_url(item: Any) -> bool:
    """Whether the item is complete enough to have a URL (its date may be missing)."""
    return not ("date" in item.mandatory_properties and not isinstance(getattr(item, "date", None), datetime.datetime))


#: Teasers are read in a feed reader or a social post: past this they are cut.
TEASER_WARN = 280
TEASER_MAX = 1000
OLDEST_PLAUSIBLE = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)


def check_dates(items: list[Any], now: datetime.datetime) -> list[ContentError]:
    """Warn about dates that are probably typos, and teasers too long for social posts."""
    problems = []

    def warn(item: Any, field: str, message: str, severity: str = "warning") -> None:
        problems.append(
            ContentError(
                display_path(item.source_path), message, line=item.line_of(field) or 1, field=field, severity=severity
            )
        )

    for item in items:
        date = getattr(item, "date", None)
        if isinstance(date, datetime.datetime):
            if date < OLDEST_PLAUSIBLE:
                warn(
                    item,
                    "date",
                    f"дата {date:%d.%m.%Y} раньше 1990 года: нет ли ошибки в годе? / a date before 1990: a typo?",
                )
            elif date > now + datetime.timedelta(days=366):
                warn(
                    item,
                    "date",
                    f"дата {date:%d.%m.%Y} наступит больше чем через год: нет ли ошибки в годе? / "
                    "over a year ahead: a typo in the year?",
                )
        adopted = getattr(item, "adopted", None)
        if isinstance(adopted, datetime.date) and isinstance(date, datetime.datetime) and adopted > date.date():
            warn(item, "adopted", "акт принят позже, чем размещён на сайте (date) / adopted after it was posted")
        published_on = getattr(item, "published_on", None)
        if isinstance(adopted, datetime.date) and isinstance(published_on, datetime.date) and published_on < adopted:
            warn(item, "published_on", "опубликован раньше, чем принят / officially published before adoption")
        starts = getattr(item, "starts", None)
        if (
            isinstance(starts, datetime.datetime)
            and isinstance(date, datetime.datetime)
            and starts > date + datetime.timedelta(days=730)
        ):
            warn(
                item,
                "starts",
                "мероприятие начнётся больше чем через два года после анонса: нет ли ошибки в годе? / "
                "over two years after the announcement: a typo?",
            )
        teaser = item.metadata.get("teaser")
        if isinstance(teaser, str):
            length = len(teaser.strip())
            if length > TEASER_MAX:
                warn(
                    item,
                    "teaser",
                    f"тизер {ru_plural(length, 'знак', 'знака', 'знаков')}, больше {TEASER_MAX}: "
                    "не поместится в пост / too long",
                    "error",
                )
            elif length > TEASER_WARN:
                warn(
                    item,
                    "teaser",
                    f"тизер {ru_plural(length, 'знак', 'знака', 'знаков')}; для соцсетей лучше до {TEASER_WARN} / "
                    "long for a teaser",
                )
    return problems
