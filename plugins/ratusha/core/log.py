"""What a build tells the person who runs it: one line per warning, and a true summary at the end.

Pelican logs through rich's handler, which wraps a long message over three or four lines
to fit the terminal and adds the time and the source file on the right; an editor's
``file:line: field: message`` is then hard to read and no editor can jump to it.
:func:`setup_logging` prints each record on one line, as ``invoke check`` prints
problems, labelled as the check labels them.

Pelican's last line, "Done: Processed 0 articles, 0 drafts, … 0 pages", counts only its
own article and page generators, which a Ratusha site does not use. :class:`BuildReport`
counts what the run published instead, from the context every generator shares and
from ``content_written``, and says it in Russian and English.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

from pelican import signals

from .dates import ru_plural

__all__ = ["BuildReport", "OneLineHandler", "label", "quiet_pelican", "setup_logging"]

#: How a problem's severity is shown, by ``invoke check`` and the build alike.
LABELS = {"error": "ошибка / error", "warning": "предупреждение / warning"}

#: What the run published, by the context key that holds it (ratusha.content_model's
#: context), with the Russian forms for 1, 2 and 5 of them, and the English word.
PUBLISHED = (
    ("news", ("новость", "новости", "новостей"), ("news item", "news")),
    ("legal_acts", ("правовой акт", "правовых акта", "правовых актов"), ("legal act", "legal acts")),
    ("announcements", ("анонс", "анонса", "анонсов"), ("announcement", "announcements")),
    ("answers", ("ответ главы", "ответа главы", "ответов главы"), ("answer", "answers")),
    ("departments", ("подразделение", "подразделения", "подразделений"), ("department", "departments")),
    ("static_pages", ("страница", "страницы", "страниц"), ("page", "pages")),
    ("withdrawn_items", ("отозванный", "отозванных", "отозванных"), ("withdrawn", "withdrawn")),
)
NOT_PUBLISHED = (
    ("ratusha_scheduled", ("с датой в будущем",) * 3, ("scheduled", "scheduled")),
    ("ratusha_drafts", ("черновик", "черновика", "черновиков"), ("draft", "drafts")),
)


def label(severity: str) -> str:
    """Return the bracketed label of a problem's severity."""
    return LABELS.get(severity, LABELS["error"])


class OneLineHandler(logging.StreamHandler):
    """Print each record on one line: the message, then the label of warnings and errors."""

    def format(self, record: logging.LogRecord) -> str:
        """Return ``message  [предупреждение / warning]``; a traceback, if any, follows below."""
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            message += f"  [{label('error')}]"
        elif record.levelno >= logging.WARNING:
            message += f"  [{label('warning')}]"
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        return message


def setup_logging(level: int = logging.WARNING, stream: TextIO | None = None) -> None:
    """Log to ``stream`` (stderr) one line per record, keeping Pelican's filters (duplicates, --fatal)."""
    from pelican.log import init  # noqa: PLC0415 (importing it changes the logger class)

    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    init(level=level, handler=OneLineHandler(stream or sys.stderr))


@contextlib.contextmanager
def quiet_pelican() -> Iterator[None]:
    """Silence what Pelican prints itself (its "Done: Processed …" line) while a build runs."""
    from pelican.log import console  # noqa: PLC0415

    before = console.quiet
    console.quiet = True
    try:
        yield
    finally:
        console.quiet = before


class BuildReport:
    """Counts what one run published and wrote, from the signals every build sends.

    Connect it before ``Pelican.run()`` (``with BuildReport() as report:``), read
    :meth:`summary` after. A page that an unchanged earlier page was kept for is announced
    by ``content_written`` too (the sitemap needs it), but nothing was written into the
    new folder: that is how a kept page is told from a written one.
    """

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.seconds = 0.0
        self.context: dict[str, Any] | None = None
        self.written = 0
        self.kept = 0

    def __enter__(self) -> BuildReport:
        signals.all_generators_finalized.connect(self.read_context)
        signals.content_written.connect(self.page_written)
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.started
        signals.all_generators_finalized.disconnect(self.read_context)
        signals.content_written.disconnect(self.page_written)

    def read_context(self, generators: list[Any]) -> None:
        """Keep the context the generators share: it holds every published item."""
        if generators:
            self.context = generators[0].context

    def page_written(self, path: str, context: dict[str, Any] | None = None) -> None:
        """Count a page: written now, or kept as it was because nothing in it changed."""
        if os.path.exists(path):
            self.written += 1
        else:
            self.kept += 1

    def counts(self) -> list[tuple[str, int, tuple[str, str, str], str]]:
        """Return (context key, number, Russian forms, English word) for each kind of item found."""
        context = self.context or {}
        found = []
        for key, forms, english in (*PUBLISHED, *NOT_PUBLISHED):
            items = context.get(key)
            if items:
                found.append((key, len(items), forms, english[len(items) != 1]))
        return found

    def summary(self) -> str:
        """Return two lines, Russian then English: items by type, pages written and kept, seconds."""
        counts = self.counts()
        published = {key for key, *_ in PUBLISHED}
        ru_items = ", ".join(ru_plural(n, *forms) for key, n, forms, _ in counts if key in published)
        en_items = ", ".join(f"{n} {english}" for key, n, _, english in counts if key in published)
        ru_held = ", ".join(ru_plural(n, *forms) for key, n, forms, _ in counts if key not in published)
        en_held = ", ".join(f"{n} {english}" for key, n, _, english in counts if key not in published)
        seconds = f"{self.seconds:.1f}"
        russian = f"Сайт собран за {seconds.replace('.', ',')} с: опубликовано {ru_items or 'ничего'}"
        english = f"Built in {seconds} s: published {en_items or 'nothing'}"
        if ru_held:
            russian += f" (не опубликовано: {ru_held})"
            english += f" (not published: {en_held})"
        russian += (
            f"; {ru_plural(self.written, 'страница записана', 'страницы записаны', 'страниц записано')}, "
            f"{ru_plural(self.kept, 'оставлена', 'оставлены', 'оставлено')} без изменений."
        )
        english += f"; pages: {self.written} written, {self.kept} unchanged and kept."
        return f"{russian}\n{english}"
