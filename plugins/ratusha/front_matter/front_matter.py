"""A Markdown reader for YAML front matter that remembers where every field is.

Pelican's Markdown reader and pelican-yaml-metadata report a broken header as "Could not
process" and skip the file; editors then have to guess what is wrong. This reader reads
the header with PyYAML's composer, so every field keeps its line number, and raises
:class:`ContentError` naming the file, line and field for any problem it can see. What the
HTML allow-list (:mod:`.sanitize`) removed from the body or summary is kept in the metadata
as ``removed_html`` (tag, iframe host, line), which the content model turns into warnings.
"""

from __future__ import annotations

import logging
from typing import Any

from markdown import Markdown
from pelican import signals
from pelican.readers import BaseReader

from ratusha.core.data import decode_utf8, display_path, parse_yaml_mapping, to_datetime
from ratusha.core.errors import ContentError
from ratusha.core.settings import Setting
from ratusha.core.slugs import slugify

from .sanitize import removed_elements, sanitize, tag_lines

__all__ = ["DEFAULTS", "FrontMatterReader", "register", "split_front_matter"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    "RATUSHA_EMBED_HOSTS": Setting(
        (), "hosts whose `<iframe>` video embeds are kept in Markdown (none: an embed is an external request)"
    ),
}
FENCE = "---"
#: The metadata key under which the reader lists what the sanitizer removed, for the checks.
REMOVED_HTML = "removed_html"
#: Fields whose string values Pelican itself converts; the rest keep their YAML types.
DATE_FIELDS = ("date", "modified")


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Split ``text`` into (front matter, body, line number of the first body line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(
            path,
            "нет заголовка YAML: файл должен начинаться со строки '---' / "
            "no YAML front matter: the file must start with a line '---'",
            line=1,
        )
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FENCE:
            return "".join(lines[1 : number - 1]), "".join(lines[number:]), number + 1
    raise ContentError(
        path,
        "заголовок YAML не закрыт строкой '---' / the front matter has no closing '---'",
        line=1,
    )


class FrontMatterReader(BaseReader):
    """Read Markdown with a YAML header into Pelican content and metadata."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        config = dict(settings["MARKDOWN"])
        config["extensions"] = [ext for ext in config.get("extensions", []) if ext != "markdown.extensions.meta"]
        self._md = Markdown(**config)

    def render(self, text: str, first_line: int = 1, removed: list[dict[str, Any]] | None = None) -> str:
        """Render Markdown to HTML with the site's extensions, reduced to the allow-list.

        What the allow-list removes is appended to ``removed``: each element with its tag,
        the iframe's host and its line (``text`` starts on ``first_line`` of the file). The
        n-th removed ``<tag`` is paired with the n-th one written in the Markdown; one that
        cannot be found there (Markdown made it) is placed on ``first_line``.
        """
        self._md.reset()
        html = self._md.convert(text)
        if removed is not None:
            lines: dict[str, list[int]] = {}
            for tag, host in removed_elements(html, self.settings["RATUSHA_EMBED_HOSTS"]):
                where = lines.setdefault(tag, tag_lines(text, tag, first_line))
                removed.append({"tag": tag, "host": host, "line": where.pop(0) if where else first_line})
        return sanitize(html, self.settings["RATUSHA_EMBED_HOSTS"])

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Return (HTML body, metadata) for one file, or raise ContentError."""
        path = display_path(source_path)
        with open(source_path, "rb") as handle:
            text = decode_utf8(handle.read(), path)
        front, body, body_line = split_front_matter(text, path)
        data, lines = parse_yaml_mapping(front, path)

        metadata: dict[str, Any] = {}
        removed: list[dict[str, Any]] = []
        for key, value in data.items():
            name = str(key).lower()
            line = lines.get(str(key))
            if name in DATE_FIELDS:
                value = to_datetime(value, path, name, line)
            elif name == "summary" and isinstance(value, str):
                value = self.render(value, line or 1, removed)
            elif name in ("tags", "status", "slug"):
                if name != "tags":
                    value = str(value)
                value = self.process_metadata(name, value)
            metadata[name] = value
        if "slug" not in metadata and isinstance(metadata.get("title"), str):
            metadata["slug"] = slugify(metadata["title"])
        metadata["field_lines"] = {k.lower(): v for k, v in lines.items()}
        html = self.render(body, body_line, removed)
        if removed:
            metadata[REMOVED_HTML] = removed
        return html, metadata


def add_reader(readers: Any) -> None:
    """Use this reader for Markdown files."""
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader


def register() -> None:
    """Replace Pelican's Markdown reader with the front-matter reader."""
    signals.readers_init.connect(add_reader)
