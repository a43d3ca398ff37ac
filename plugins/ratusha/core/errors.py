"""Errors in content: one type for a problem in a file, one for a build stopped by them.

Every message has the same shape, ``file:line: field: message``, whoever finds it.
"""

from __future__ import annotations

from typing import Any

from .dates import ru_plural

__all__ = ["BuildStopped", "ContentError"]


class ContentError(Exception):
    """A problem in a content file, located by file, line and field.

    Printed as ``file:line: field: message`` so that editors, terminals and editors'
    "jump to error" features all understand it.
    """

    def __init__(
        self,
        path: str,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        severity: str = "error",
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        self.severity = severity
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the fields (items are read in worker processes, ``ratusha.core.workers``)."""
        fields = {"line": self.line, "field": self.field, "severity": self.severity}
        return (_content_error, (self.path, self.message, fields))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


def _content_error(path: str, message: str, fields: dict[str, Any]) -> ContentError:
    return ContentError(path, message, **fields)


class BuildStopped(Exception):
    """Content errors were found; nothing has been written."""

    exitcode = 1

    def __init__(self, problems: list[ContentError]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        found = ru_plural(len(problems), "ошибка", "ошибки", "ошибок")
        super().__init__(
            f"сборка остановлена: {found}; сайт не изменён / "
            f"build stopped, {len(problems)} error(s); the site was not changed\n{lines}"
        )
