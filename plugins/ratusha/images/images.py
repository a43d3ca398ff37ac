"""Resized lead images: a srcset for pages and a 1200×630 picture for social previews.

Editors drop in a photo straight from a camera; residents on phones should not download
it. For every published item with a raster lead image this writes JPEG variants at the
widths in RATUSHA_IMAGE_WIDTHS (never wider than the original) and one crop at
RATUSHA_SOCIAL_IMAGE_SIZE for Open Graph and feed enclosures. Variants are named after a
hash of the original, kept in ``<CACHE_PATH>/images`` and only re-encoded when the
photo changes, so rebuilds stay fast.

Editors' photos come named ``Фото катка 1.JPG`` and weigh 55 MB. A name with anything but
lower-case Latin letters, digits and hyphens is published under a transliterated one (by
ГОСТ Р 7.0.34, as slugs are: :mod:`ratusha.core.slugs`), so no raw name reaches HTML, a
srcset, og:image or a feed enclosure. An original above RATUSHA_IMAGE_MAX_BYTES or
RATUSHA_IMAGE_MAX_SIDE is not copied: a copy resized to fit is published in its place, with
a warning naming the file. Every JPEG variant has a WebP twin (Pillow), offered in a
``<picture>`` by the theme.

Each ``item.image`` gains ``variants`` (list of Variant, narrowest first), ``srcset`` (the
attribute value), ``webp_srcset`` and ``social`` (a Variant, or the original when it is an
SVG); ``published`` when the original itself is republished (its ``url`` then points there,
and ``width``/``height``/``size`` describe that file).

Settings: ``DEFAULTS`` below.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import os
import re
import shutil
import threading
from dataclasses import dataclass
from typing import Any

from pelican import signals
from pelican.generators import Generator
from PIL import Image, ImageOps

from ratusha.core.files import by_file_version
from ratusha.core.settings import Setting
from ratusha.core.slugs import slugify

__all__ = ["DEFAULTS", "ImagesGenerator", "Variant", "register"]

logger = logging.getLogger(__name__)
OUTPUT_FOLDER = "images/r"
DEFAULTS = {
    "RATUSHA_IMAGE_WIDTHS": Setting((480, 960, 1440), "widths of a lead image's variants (never wider than it)"),
    "RATUSHA_SOCIAL_IMAGE_SIZE": Setting((1200, 630), "(width, height) of the picture for social previews"),
    "RATUSHA_IMAGE_QUALITY": Setting(82, "JPEG quality of the variants"),
    "RATUSHA_IMAGE_WEBP": Setting(True, "write a WebP twin of every JPEG variant (offered in <picture>)"),
    "RATUSHA_IMAGE_MAX_BYTES": Setting(
        20 * 1024 * 1024, "a lead image's original above this size is published resized, with a warning"
    ),
    "RATUSHA_IMAGE_MAX_SIDE": Setting(
        4000, "an original with a longer side (px) is published resized to it, with a warning"
    ),
}
#: A file name fit for a URL as it is.
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.[a-z0-9]+$")
#: What ``_process`` sets on an image, the same for every image of one file at one size.
PROCESSED = ("width", "height", "size", "mime", "published", "variants", "srcset", "social", "webp_srcset")
#: Context key of the originals that must not be copied as they are (the static generator's files).
NOT_COPIED = "ratusha_images_not_copied"


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
        """Return the variant ``name``, encoding it into the cache if it is not there yet.

        The format follows the name: ``.webp`` is WebP, ``.png`` PNG, anything else JPEG.
        """
        cached = os.path.join(self.cache_dir, name)
        extension = os.path.splitext(name)[1]
        if not os.path.exists(cached):
            os.makedirs(self.cache_dir, exist_ok=True)
            with Image.open(source) as original:
                picture = ImageOps.exif_transpose(original)
                picture = picture.convert("RGBA" if extension == ".png" else "RGB")
                if operation == "fit":
                    picture = picture.resize(size, Image.Resampling.LANCZOS)
                else:
                    picture = ImageOps.fit(picture, size, Image.Resampling.LANCZOS)
                temporary = f"{cached}.{threading.get_ident()}.tmp"  # two files of equal bytes and name
                quality = int(self.settings["RATUSHA_IMAGE_QUALITY"])
                if extension == ".webp":
                    picture.save(temporary, "WEBP", quality=quality, method=4)
                elif extension == ".png":
                    picture.save(temporary, "PNG", optimize=True)
                else:
                    picture.save(temporary, "JPEG", quality=quality, optimize=True, progressive=True)
                os.replace(temporary, cached)
        relative = f"{OUTPUT_FOLDER}/{name}"
        self.files[relative] = cached
        mime = {".webp": "image/webp", ".png": "image/png"}.get(extension, "image/jpeg")
        return Variant(relative, size[0], size[1], os.path.getsize(cached), mime)

    def _publish_original(self, image: Any, source: str, stem: str, digest: str) -> None:
        """Publish an original with an unsafe name or size under a safe name, resized if too big."""
        name = os.path.basename(image.file)
        extension = os.path.splitext(name)[1].lower().replace(".jpeg", ".jpg")
        too_big = image.size > int(self.settings["RATUSHA_IMAGE_MAX_BYTES"])
        side = int(self.settings["RATUSHA_IMAGE_MAX_SIDE"])
        too_wide = max(image.width, image.height) > side
        if not (too_big or too_wide) and SAFE_NAME.match(name):
            return
        if too_big or too_wide:
            scale = min(1.0, side / max(image.width, image.height))
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            out_extension = ".png" if extension == ".png" and not too_big else ".jpg"
            published = self._encode(source, f"{stem}-{digest}-{size[0]}{out_extension}", "fit", size)
            self.context.setdefault(NOT_COPIED, set()).add(image.file.replace(os.sep, "/"))
            logger.warning(
                "%s: фото %d×%d, %.1f МБ — опубликована уменьшенная копия %d×%d / "
                "the original is too large; a resized copy is published",
                image.file,
                image.width,
                image.height,
                image.size / 1024 / 1024,
                size[0],
                size[1],
            )
            image.width, image.height, image.size, image.mime = size[0], size[1], published.size, published.mime
        else:
            relative = f"{OUTPUT_FOLDER}/{stem}-{digest}{extension}"
            self.files[relative] = source
            published = Variant(relative, image.width, image.height, image.size, image.mime)
        image.published = published.url

    def _process(self, image: Any) -> None:
        source = os.path.join(self.path, image.file)
        digest = _digest(source)
        stem = slugify(os.path.splitext(os.path.basename(image.file))[0], max_length=60) or "image"
        self._publish_original(image, source, stem, digest)
        webp = bool(self.settings["RATUSHA_IMAGE_WEBP"])
        variants, twins = [], []
        for width in sorted(self.settings["RATUSHA_IMAGE_WIDTHS"]):
            if width >= image.width:
                break
            height = round(image.height * width / image.width)
            variants.append(self._encode(source, f"{stem}-{digest}-{width}.jpg", "fit", (width, height)))
            if webp:
                twins.append(self._encode(source, f"{stem}-{digest}-{width}.webp", "fit", (width, height)))
        social_size = tuple(self.settings["RATUSHA_SOCIAL_IMAGE_SIZE"])
        social = self._encode(source, f"{stem}-{digest}-social.jpg", "crop", social_size)
        image.variants = variants
        image.social = social
        widths = [f"/{v.url} {v.width}w" for v in variants] + [f"/{image.url} {image.width}w"]
        image.srcset = ", ".join(widths)
        if webp:
            full = self._encode(source, f"{stem}-{digest}-{image.width}.webp", "fit", (image.width, image.height))
            image.webp_srcset = ", ".join(f"/{v.url} {v.width}w" for v in [*twins, full])

    def generate_context(self) -> None:
        """Resize every published lead image (Pillow cannot read SVG: those stay as they are).

        Images are grouped by their file (and size) and the groups processed by one thread per
        core: Pillow releases the GIL while it resizes and encodes, and a full build of a site
        whose items share a few dozen photos spent seconds encoding them one after another.
        Within a group the first image encodes the variants and the others take them from it;
        ``self.files`` is a dict keyed by path, so the output does not depend on the order in
        which the groups finish.
        """
        keys = ("news", "legal_acts", "announcements", "answers", "static_pages")
        groups: dict[tuple[str, int, int, int, str], list[Any]] = {}
        for key in keys:
            for item in self.context.get(key, []):
                image = getattr(item, "image", None)
                if image is None:
                    continue
                if image.mime == "image/svg+xml":
                    image.social = image
                    continue
                same = (image.file, image.width, image.height, image.size, image.mime)
                groups.setdefault(same, []).append(image)
        threads = min(len(groups), os.cpu_count() or 1)
        if threads < 2:
            for group in groups.values():
                self._process_all(group)
            return
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            for _ in pool.map(self._process_all, groups.values()):  # re-raises the first error
                pass

    def _process_all(self, images: list[Any]) -> None:
        """Process the first image of a group; the others, the same file at the same size, get what it got.

        Thousands of items may show a few dozen photos: each reference looked up every variant
        in the cache, a second of an edit's rebuild at 10,000 items.
        """
        first, *others = images
        self._process(first)
        for image in others:
            for name in PROCESSED:
                if hasattr(first, name):
                    value = getattr(first, name)
                    setattr(image, name, list(value) if isinstance(value, list) else value)

    def generate_output(self, writer: Any) -> None:
        """Copy the variants this site uses into the output."""
        for relative, cached in sorted(self.files.items()):
            target = os.path.join(self.output_path, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(cached, target)


def skip_oversized(generator: Any) -> None:
    """Keep the static generator from copying originals published resized instead."""
    skipped = generator.context.get(NOT_COPIED)
    if not skipped:
        return
    kept = [
        s
        for s in generator.context.get("staticfiles", [])
        if s.relative_source_path.replace(os.sep, "/") not in skipped
    ]
    generator.staticfiles[:] = [s for s in generator.staticfiles if s in kept]
    generator.context["staticfiles"] = kept


def get_generators(pelican: Any) -> type[ImagesGenerator]:
    """Add the images generator (after the content model, which it reads)."""
    return ImagesGenerator


def register() -> None:
    """Resize lead images as part of the build."""
    signals.get_generators.connect(get_generators)
    signals.static_generator_finalized.connect(skip_oversized)
