"""Files that content points at: lead images and attached documents.

Sizes and dimensions are read at build time from the files themselves, so an act page
can say "PDF, 240 КБ" and an <img> can carry width and height (no layout shift).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from PIL import Image as PILImage

from ratusha.core.files import by_file_version

#: Types editors may attach, with the MIME type and the label residents see.
DOCUMENT_TYPES = {
    ".pdf": ("application/pdf", "PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    ".doc": ("application/msword", "DOC"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    ".xls": ("application/vnd.ms-excel", "XLS"),
    ".odt": ("application/vnd.oasis.opendocument.text", "ODT"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    ".rtf": ("application/rtf", "RTF"),
    ".zip": ("application/zip", "ZIP"),
}
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
}
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def human_size(size: int) -> str:
    """Return a size the way Russian sites print it: '240 КБ', '1,4 МБ'."""
    if size < 1024:
        return f"{size} Б"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} КБ"
    return f"{size / 1024 / 1024:.1f} МБ".replace(".", ",")


@dataclass(frozen=True)
class Attachment:
    """A document attached to an item, with what a resident needs before opening it."""

    file: str
    title: str
    size: int
    mime: str
    label: str

    @property
    def url(self) -> str:
        """Return the URL path of the file (it is copied as is)."""
        return self.file

    @property
    def human_size(self) -> str:
        """Return the size as residents read it ('240 КБ')."""
        return human_size(self.size)


@dataclass
class Image:
    """A lead image with its text alternative and intrinsic size.

    The images plugin adds resized ``variants``, their ``srcset`` and a ``social`` picture.
    """

    file: str
    alt: str
    width: int
    height: int
    size: int
    mime: str
    variants: list[Any] = field(default_factory=list)
    srcset: str = ""
    social: Any = None
    #: Where the images plugin publishes the original when its name or size is unfit for the web.
    published: str = ""

    @property
    def url(self) -> str:
        """Return the URL path of the image (its own file, unless published under another name)."""
        return self.published or self.file


def svg_size(path: str) -> tuple[int, int]:
    """Read an SVG's width and height, falling back to its viewBox."""
    root = ElementTree.parse(path).getroot()
    width, height = root.get("width", ""), root.get("height", "")
    if _LENGTH.match(width) and _LENGTH.match(height):
        return round(float(_LENGTH.match(width)[1])), round(float(_LENGTH.match(height)[1]))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        return round(float(box[2])), round(float(box[3]))
    raise ValueError("the SVG has neither width/height nor a viewBox")


def image_size(path: str) -> tuple[int, int]:
    """Return (width, height) of a raster or SVG image; ValueError if unreadable."""
    if path.lower().endswith(".svg"):
        return svg_size(path)
    try:
        with PILImage.open(path) as image:
            return image.size
    except OSError as exc:
        raise ValueError(str(exc)) from None


_image_size = by_file_version(image_size)


def read_image(content_path: str, file: str, alt: str) -> Image:
    """Describe the image at ``file`` (relative to the content folder)."""
    full = os.path.join(content_path, file)
    width, height = _image_size(full)
    extension = os.path.splitext(file)[1].lower()
    return Image(file, alt, width, height, os.path.getsize(full), IMAGE_TYPES[extension])


def read_attachment(content_path: str, file: str, title: str) -> Attachment:
    """Describe the document at ``file`` (relative to the content folder)."""
    full = os.path.join(content_path, file)
    mime, label = DOCUMENT_TYPES[os.path.splitext(file)[1].lower()]
    return Attachment(file, title, os.path.getsize(full), mime, label)
