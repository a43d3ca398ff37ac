"""The one error type for bad content, so every message has the same shape."""

from __future__ import annotations


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

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"
