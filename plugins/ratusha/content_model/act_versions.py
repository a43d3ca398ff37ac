"""An act's consolidated versions («редакции»), each a file beside the act.

``content/acts/postanovlenie-245-2025.md`` is the act as adopted; the file
``content/acts/postanovlenie-245-2025.2026-03-01.md`` is its text as amended, applying from
1 March 2026, with a short header::

    ---
    applies_from: 2026-03-01
    amendments: [postanovlenie-318-2025]
    ---
    1. Утвердить …

One file a version keeps each text whole (an editor copies the previous version and edits
it, as the legal department's consolidated text arrives), and the folder listing shows the
versions next to their act. Pelican does not read these files as acts (``IGNORE_FILES``,
see :data:`ratusha.core.acts.VERSION_FILES`): they are read here, with the act, during the
content check, so ``invoke check`` and the build report the same problems.
"""

from __future__ import annotations

import datetime
import fnmatch
import os
import re
from dataclasses import dataclass, field
from typing import Any

from pelican.readers import Readers

from ratusha.core.acts import VERSION_FILES
from ratusha.core.data import display_path
from ratusha.core.errors import ContentError
from ratusha.core.text import did_you_mean

__all__ = ["VersionSource", "read_versions"]

_NAME = re.compile(r"^(?P<stem>.+)\.(?P<date>\d{4}-\d{2}-\d{2})\.md$")
FIELDS = ("applies_from", "amendments")


@dataclass
class VersionSource:
    """A consolidated text as its file says: the date it applies from, what it incorporates, its HTML."""

    date: datetime.date
    amendment_keys: list[str]
    content: str
    source_path: str
    field_lines: dict[str, int] = field(default_factory=dict)


def _version_files(folders: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Map ``folder/stem`` to its version files (path, date text), in date order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for folder in sorted(folders):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            match = _NAME.match(name)
            if match and fnmatch.fnmatch(name, VERSION_FILES):
                key = os.path.join(folder, match["stem"])
                found.setdefault(key, []).append((os.path.join(folder, name), match["date"]))
    return found


class _Reader:
    """Reads one version file with the site's Markdown reader (front matter with line numbers)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.reader = Readers(settings).readers["md"]

    def read(self, path: str, name_date: str) -> tuple[VersionSource | None, list[ContentError]]:
        shown = display_path(path)
        try:
            content, metadata = self.reader.read(path)
        except ContentError as exc:
            return None, [exc]
        lines: dict[str, int] = metadata.get("field_lines", {})
        problems: list[ContentError] = []

        def problem(name: str, message: str, severity: str = "error") -> None:
            problems.append(ContentError(shown, message, line=lines.get(name, 1), field=name, severity=severity))

        for name in metadata:
            if name not in (*FIELDS, "field_lines", "slug"):
                hint = did_you_mean(name, FIELDS)
                problem(name, f"неизвестное поле редакции / unknown field of a version{hint}", "warning")
        date = datetime.date.fromisoformat(name_date)
        applies = metadata.get("applies_from")
        if applies is None:
            problem("applies_from", "укажите дату, с которой действует редакция / required field is missing")
        elif not isinstance(applies, datetime.date) or isinstance(applies, datetime.datetime):
            problem("applies_from", "ожидается дата ГГГГ-ММ-ДД / expected a date YYYY-MM-DD")
        elif applies != date:
            problem(
                "applies_from",
                f"дата {applies:%Y-%m-%d} не совпадает с датой в имени файла ({name_date}) / "
                "the date differs from the one in the file name",
            )
        keys = metadata.get("amendments")
        if isinstance(keys, str):
            keys = [keys]
        if not keys:
            problem("amendments", "укажите акты, изменения которых внесены в редакцию / required field is missing")
            keys = []
        elif not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            problem("amendments", "ожидается список ключей актов / expected a list of act keys")
            keys = []
        if any(p.severity == "error" for p in problems):
            return None, problems
        return VersionSource(date, [k.strip() for k in keys], content, path, lines), problems


def read_versions(acts: list[Any], acts_by_key: dict[str, Any], failed: set[str]) -> list[ContentError]:
    """Read every act's version files into ``act.version_sources``; return the problems.

    ``failed`` holds the file stems of acts with errors of their own: their versions are
    not reported as having no act.
    """
    problems: list[ContentError] = []
    by_stem = {os.path.splitext(os.path.abspath(a.source_path))[0]: a for a in acts}
    folders = {os.path.dirname(stem) for stem in by_stem}
    files = _version_files(folders)
    reader: _Reader | None = None
    for act in acts:
        act.version_sources = []
    for stem, entries in files.items():
        act = by_stem.get(stem)
        if act is None:
            if os.path.basename(stem) not in failed:
                for path, _ in entries:
                    problems.append(
                        ContentError(
                            display_path(path),
                            f"нет акта {os.path.basename(stem)}.md для этой редакции / no act file for this version",
                            line=1,
                        )
                    )
            continue
        reader = reader or _Reader(act.settings)
        for path, date in entries:
            version, found = reader.read(path, date)
            problems += found
            if version is None:
                continue
            shown = display_path(path)
            line = version.field_lines.get("amendments", 1)
            adopted = getattr(act, "adopted", None)
            if isinstance(adopted, datetime.date) and version.date <= adopted:
                problems.append(
                    ContentError(
                        shown,
                        f"редакция не может действовать раньше принятия акта ({adopted:%d.%m.%Y}) / "
                        "a version cannot apply before the act's adoption",
                        line=version.field_lines.get("applies_from", 1),
                        field="applies_from",
                    )
                )
                continue
            for key in version.amendment_keys:
                amending = acts_by_key.get(key)
                if amending is None:
                    hint = did_you_mean(key, list(acts_by_key))
                    problems.append(
                        ContentError(
                            shown, f"нет акта с ключом {key!r} / unknown act{hint}", line=line, field="amendments"
                        )
                    )
                elif act.act_key not in (getattr(amending, "amends", None) or []):
                    problems.append(
                        ContentError(
                            shown,
                            f"акт {key} не вносит изменений в {act.act_key} (нет в его amends) / "
                            f"{key} does not list this act in amends",
                            line=line,
                            field="amendments",
                            severity="warning",
                        )
                    )
            act.version_sources.append(version)
    return problems
