"""Resized lead images: a srcset for pages and a 1200×630 picture for social previews.

Editors drop in a photo straight from a camera; residents on phones should not download
it. For every published item with a raster lead image this writes JPEG variants at the
widths in RATUSHA_IMAGE_WIDTHS (never wider than the original) and one crop at
RATUSHA_SOCIAL_IMAGE_SIZE for Open Graph and feed enclosures. Variants are named after a
hash of the original, kept in ``<CACHE_PATH>/images`` and only re-encoded when the
photo changes, so rebuilds stay fast.

Each ``item.image`` gains ``variants`` (list of Variant, narrowest first), ``srcset`` (the
attribute value) and ``social`` (a Variant, or the original when it is an SVG).

Settings: ``DEFAULTS`` below.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from typing import Any

from pelican import signals
from pelican.generators import Generator
from PIL import Image, ImageOps

from ratusha.core.files import by_file_version
from ratusha.core.settings import Setting

__all__ = ["DEFAULTS", "ImagesGenerator", "Variant", "register"]

logger = logging.getLogger(__name__)
OUTPUT_FOLDER = "images/r"
DEFAULTS = {
    "RATUSHA_IMAGE_WIDTHS": Setting((480, 960, 1440), "widths of a lead image's variants (never wider than it)"),
    "RATUSHA_SOCIAL_IMAGE_SIZE": Setting((1200, 630), "(width, height) of the picture for social previews"),
    "RATUSHA_IMAGE_QUALITY": Setting(82, "JPEG quality of the variants"),
}


@by_file_version
def _digest(path: str) -> str:
    """Return the digest that names an image's variants (read once per version of the file)."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:10]


@dataclass(frozen=True)
class Variant:
    """One resized file of a lead image."""

    url: str
    width: int
    height: int
    size: int
    mime: str = "image/jpeg"


class ImagesGenerator(Generator):
    """Make the variants before pages are rendered; copy them into the output after."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_dir = os.path.join(self.settings.get("CACHE_PATH", "cache"), "images")
        self.files: dict[str, str] = {}  # output-relative path → cached file

    def _encode(self, source: str, name: str, operation: str, size: tuple[int, int]) -> Variant:
        """Return the variant ``name``, encoding it into the cache if it is not there yet."""
        cached = os.path.join(self.cache_dir, name)
        if not os.path.exists(cached):
            os.makedirs(self.cache_dir, exist_ok=True)
            with Image.open(source) as original:
                picture = ImageOps.exif_transpose(original).convert("RGB")
                if operation == "fit":
                    picture = picture.resize(size, Image.Resampling.LANCZOS)
                else:
                    picture = ImageOps.fit(picture, size, Image.Resampling.LANCZOS)
                temporary = cached + ".tmp"
                quality = int(self.settings["RATUSHA_IMAGE_QUALITY"])
                picture.save(temporary, "JPEG", quality=quality, optimize=True, progressive=True)
                os.replace(temporary, cached)
        relative = f"{OUTPUT_FOLDER}/{name}"
        self.files[relative] = cached
        return Variant(relative, size[0], size[1], os.path.getsize(cached))

    def _process(self, image: Any) -> None:
        source = os.path.join(self.path, image.file)
        digest = _digest(source)
        stem = os.path.splitext(os.path.basename(image.file))[0]
        variants = []
        for width in sorted(self.settings["RATUSHA_IMAGE_WIDTHS"]):
            if width >= image.width:
                break
            height = round(image.height * width / image.width)
            variants.append(self._encode(source, f"{stem}-{digest}-{width}.jpg", "fit", (width, height)))
        social_size = tuple(self.settings["RATUSHA_SOCIAL_IMAGE_SIZE"])
        social = self._encode(source, f"{stem}-{digest}-social.jpg", "crop", social_size)
        image.variants = variants
        image.social = social
        widths = [f"/{v.url} {v.width}w" for v in variants] + [f"/{image.url} {image.width}w"]
        image.srcset = ", ".join(widths)

    def generate_context(self) -> None:
        """Resize every published lead image (Pillow cannot read SVG: those stay as they are)."""
        keys = ("news", "legal_acts", "announcements", "answers", "static_pages")
        for key in keys:
            for item in self.context.get(key, []):
                image = getattr(item, "image", None)
                if image is None:
                    continue
                if image.mime == "image/svg+xml":
                    image.social = image
                    continue
                self._process(image)

    def generate_output(self, writer: Any) -> None:
        """Copy the variants this site uses into the output."""
        for relative, cached in sorted(self.files.items()):
            target = os.path.join(self.output_path, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(cached, target)


def get_generators(pelican: Any) -> type[ImagesGenerator]:
    """Add the images generator (after the content model, which it reads)."""
    return ImagesGenerator


def register() -> None:
    """Resize lead images as part of the build."""
    signals.get_generators.connect(get_generators)
