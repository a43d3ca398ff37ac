"""Latin slugs from Russian titles.

ГОСТ Р 7.0.34-2014 is the Russian standard for simplified transliteration meant for
addresses like URLs; iuliia implements it, so "Капитальный ремонт школы № 5" becomes
"kapitalnyj-remont-shkoly-5" instead of percent-encoded Cyrillic.
"""

from __future__ import annotations

import re
import unicodedata

import iuliia

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
#: Signs that carry no sound in a URL: the soft and hard signs, and "№" (which
#: Unicode would otherwise spell "No").
_DROP = str.maketrans("", "", "ьЬъЪ№")


def transliterate(text: str) -> str:
    """Return ``text`` in Latin letters by ГОСТ Р 7.0.34-2014."""
    return iuliia.GOST_7034.translate(text)


def slugify(text: str, max_length: int = 80) -> str:
    """Return a lower-case, hyphen-separated Latin slug for ``text``.

    Apostrophes that the standard writes for ь and ъ are dropped rather than turned
    into hyphens, and long slugs are cut at a word boundary.
    """
    latin = transliterate(text.translate(_DROP))
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    latin = latin.lower().replace("'", "").replace("`", "")
    slug = _NOT_SLUG.sub("-", latin).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug
