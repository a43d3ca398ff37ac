"""Lead images: narrower JPEG variants for srcset, a social picture, named by the photo's hash and cached."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from ratusha.testing import build, copy_fixture, edit, page

NEWS_PAGE = "/news/2026/11/kapitalnyj-remont-shkoly-5/"


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture with an 800×500 photo on the school news and the coat of arms (SVG) on the answer."""
    folder = tmp_path_factory.mktemp("images")
    content = copy_fixture(folder)
    Image.new("RGB", (800, 500), "#6699cc").save(content / "images" / "big.jpg", quality=95)
    edit(content / "news" / "2026-11-20-remont.md", "images/school.png", "images/big.jpg")
    edit(
        content / "answers" / "doroga.md",
        "department: zhkh\n",
        "department: zhkh\nimage: images/arms.svg\nimage_alt: Герб\n",
    )
    settings = {"RATUSHA_IMAGE_WIDTHS": (400, 200, 1000), "RATUSHA_SOCIAL_IMAGE_SIZE": (300, 150)}
    return build(content, folder / "output", **settings), content


def srcset(tree) -> list[tuple[str, int]]:
    (img,) = tree.xpath("//figure//img")
    return [(url, int(width[:-1])) for url, width in (part.split() for part in img.get("srcset").split(", "))]


def test_variants_at_the_configured_widths_never_wider_than_the_photo(photo_site: tuple[Path, Path]) -> None:
    output, _ = photo_site
    candidates = srcset(page(output, NEWS_PAGE))
    assert [width for _, width in candidates] == [200, 400, 800]
    assert candidates[-1][0] == "/images/big.jpg"
    for url, width in candidates[:-1]:
        assert re.fullmatch(r"/images/r/big-[0-9a-f]{10}-\d+\.jpg", url), url
        with Image.open(output / url.lstrip("/")) as variant:
            assert variant.size == (width, round(500 * width / 800))
            assert variant.format == "JPEG"


def test_a_photo_narrower_than_every_width_is_used_as_it_is(fixture_site: Path) -> None:
    assert srcset(page(fixture_site, NEWS_PAGE)) == [("/images/school.png", 320)]


def test_the_social_picture_is_cropped_to_the_configured_size(photo_site: tuple[Path, Path]) -> None:
    output, _ = photo_site
    tree = page(output, NEWS_PAGE)
    (social,) = tree.xpath("//meta[@property='og:image']/@content")
    assert re.fullmatch(r"https://test\.example\.ru/images/r/big-[0-9a-f]{10}-social\.jpg", social)
    with Image.open(output / social.removeprefix("https://test.example.ru/")) as picture:
        assert picture.size == (300, 150)
    assert tree.xpath("//meta[@property='og:image:width']/@content") == ["300"]


def test_an_svg_is_its_own_social_picture(photo_site: tuple[Path, Path]) -> None:
    output, _ = photo_site
    (entry,) = feedparser.parse((output / "glava-v-otvete" / "rss.xml").read_bytes()).entries
    assert [(e["href"], e["type"]) for e in entry.enclosures] == [
        ("https://test.example.ru/images/arms.svg", "image/svg+xml")
    ]
    assert not list((output / "images" / "r").glob("arms-*"))


def test_variants_are_kept_in_the_cache_and_not_encoded_again(photo_site: tuple[Path, Path], tmp_path: Path) -> None:
    output, content = photo_site
    cache = output.parent / f"{output.name}-cache" / "images"
    encoded = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert sorted(encoded) == sorted(path.name for path in (output / "images" / "r").iterdir())
    build(content, output, RATUSHA_IMAGE_WIDTHS=(400, 200, 1000), RATUSHA_SOCIAL_IMAGE_SIZE=(300, 150))
    assert {path.name: path.stat().st_mtime_ns for path in cache.iterdir()} == encoded


def test_another_photo_under_the_same_name_gets_new_variants(photo_site: tuple[Path, Path], tmp_path: Path) -> None:
    output, _ = photo_site
    before = {url for url, _ in srcset(page(output, NEWS_PAGE))}
    copy = copy_fixture(tmp_path)
    Image.new("RGB", (800, 500), "#cc6633").save(copy / "images" / "big.jpg", quality=95)
    edit(copy / "news" / "2026-11-20-remont.md", "images/school.png", "images/big.jpg")
    other = build(
        copy, tmp_path / "output", RATUSHA_IMAGE_WIDTHS=(400, 200, 1000), RATUSHA_SOCIAL_IMAGE_SIZE=(300, 150)
    )
    after = {url for url, _ in srcset(page(other, NEWS_PAGE))}
    assert before & after == {"/images/big.jpg"}


@pytest.fixture(scope="module")
def editors_photo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The school news with a camera's photo: a Cyrillic name with a space and capitals, too large."""
    folder = tmp_path_factory.mktemp("editors-photo")
    content = copy_fixture(folder)
    Image.new("RGB", (3000, 2000), "#336699").save(content / "images" / "Фото катка 1.JPG", quality=90)
    edit(content / "news" / "2026-11-20-remont.md", "images/school.png", "images/Фото катка 1.JPG")
    import logging  # noqa: PLC0415

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logging.getLogger("ratusha.images.images").addHandler(handler)
    try:
        output = build(
            content,
            folder / "output",
            RATUSHA_IMAGE_WIDTHS=(480, 960, 1440, 4000),
            RATUSHA_SOCIAL_IMAGE_SIZE=(300, 150),
            RATUSHA_IMAGE_MAX_SIDE=2000,
        )
    finally:
        logging.getLogger("ratusha.images.images").removeHandler(handler)
    return output, content, records


def test_no_raw_image_name_reaches_pages_srcset_og_image_or_feeds(editors_photo: tuple[Path, Path, list[str]]) -> None:
    output, _, _ = editors_photo
    texts = [
        (output / NEWS_PAGE.strip("/") / "index.html").read_text(encoding="utf-8"),
        (output / "index.html").read_text(encoding="utf-8"),
        (output / "news" / "rss.xml").read_text(encoding="utf-8"),
        (output / "news" / "atom.xml").read_text(encoding="utf-8"),
    ]
    for text in texts:
        assert "Фото" not in text and "%D0%A4" not in text and ".JPG" not in text
    tree = page(output, NEWS_PAGE)
    urls = [url for url, _ in srcset(tree)]
    urls += [u.split()[0] for u in tree.xpath("//figure//source/@srcset")[0].split(", ")]
    urls += tree.xpath("//meta[@property='og:image']/@content")
    (entry, *_) = feedparser.parse((output / "news" / "rss.xml").read_bytes()).entries
    urls += [e["href"] for e in entry.enclosures]
    for url in urls:
        assert re.fullmatch(
            r"(https://test\.example\.ru)?/images/r/foto-katka-1-[0-9a-f]{10}-[a-z0-9]+\.(jpg|webp)", url
        )
        assert (output / url.removeprefix("https://test.example.ru").lstrip("/")).is_file(), url


def test_an_oversized_original_is_published_resized_with_a_warning(editors_photo: tuple[Path, Path, list[str]]) -> None:
    output, _, warnings = editors_photo
    assert not (output / "images" / "Фото катка 1.JPG").exists(), "the original is not copied as it is"
    candidates = srcset(page(output, NEWS_PAGE))
    assert [width for _, width in candidates] == [480, 960, 1440, 2000], "never wider than the published original"
    with Image.open(output / candidates[-1][0].lstrip("/")) as largest:
        assert largest.size == (2000, 1333)
    (img,) = page(output, NEWS_PAGE).xpath("//figure//img")
    assert (img.get("width"), img.get("height")) == ("2000", "1333")
    assert any("images/Фото катка 1.JPG" in message and "3000×2000" in message for message in warnings), warnings


def test_webp_twins_in_a_picture(editors_photo: tuple[Path, Path, list[str]]) -> None:
    output, _, _ = editors_photo
    tree = page(output, NEWS_PAGE)
    (source,) = tree.xpath("//figure/picture/source[@type='image/webp']")
    offered = [(url, int(width[:-1])) for url, width in (part.split() for part in source.get("srcset").split(", "))]
    assert [width for _, width in offered] == [480, 960, 1440, 2000]
    for url, width in offered:
        with Image.open(output / url.lstrip("/")) as twin:
            assert twin.format == "WEBP" and twin.width == width


def test_the_first_image_of_the_home_page_is_not_lazy(editors_photo: tuple[Path, Path, list[str]]) -> None:
    output, _, _ = editors_photo
    images = page(output, "/").xpath("//img[contains(@class, 'r-card__image')]")
    assert images, "the home page shows the school news with its photo"
    assert images[0].get("loading") is None and images[0].get("fetchpriority") == "high"
    assert all(img.get("loading") == "lazy" for img in images[1:])
    assert page(output, "/").xpath("//picture[@class='r-card__picture']/source[@type='image/webp']")
