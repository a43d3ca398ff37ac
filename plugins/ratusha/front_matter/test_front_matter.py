"""Slugs and front matter parsing."""

from __future__ import annotations

import pytest

from ratusha.core.data import parse_yaml_mapping
from ratusha.core.errors import ContentError
from ratusha.core.slugs import slugify
from ratusha.front_matter import split_front_matter


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Капитальный ремонт школы № 5", "kapitalnyj-remont-shkoly-5"),
        ("Отопительный сезон идёт штатно", "otopitelnyj-sezon-idyot-shtatno"),
        ("Объявление о съезде", "obyavlenie-o-sezde"),
        ("Щёлково, Жуковка и Чехов", "shhyolkovo-zhukovka-i-chexov"),
        ("Постановление № 45-р от 12.03.2026", "postanovlenie-45-r-ot-12-03-2026"),
        ("  «Глава в ответе»: вопросы!  ", "glava-v-otvete-voprosy"),
        ("Yandex и VK", "yandex-i-vk"),
    ],
)
def test_slugs_are_readable_latin(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_slugs_are_cut_at_a_word_boundary() -> None:
    slug = slugify("Об утверждении административного регламента предоставления муниципальной услуги " * 2)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.startswith("ob-utverzhdenii-administrativnogo-reglamenta")


def test_field_lines_are_recorded_including_nested_fields() -> None:
    front, _, body_line = split_front_matter(
        "---\ntitle: A\ncontacts:\n  phone: 1\nlist:\n  - file: x\n---\nbody\n", "f.md"
    )
    data, lines = parse_yaml_mapping(front, "f.md")
    assert data["contacts"] == {"phone": 1}
    assert lines == {"title": 2, "contacts": 3, "contacts.phone": 4, "list": 5, "list.0": 6, "list.0.file": 6}
    assert body_line == 8


def test_duplicate_fields_are_refused() -> None:
    with pytest.raises(ContentError, match=r"f.md:3: title: .*given twice"):
        parse_yaml_mapping("title: A\ntitle: B\n", "f.md")


def test_a_header_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(ContentError, match="field: value"):
        parse_yaml_mapping("- a\n- b\n", "f.md")
