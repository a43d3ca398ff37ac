"""Words as the search index sees them: tokens, stop words and Russian stems.

The browser splits and stems a query with ``theme/static/js/search-words.js``, which must
give the same terms as this module for the index to be of any use; ``tests/browser/
test_search.py`` compares the two on the whole vocabulary of the demo site. Snowball's
Russian stemmer only removes endings, so every stem is a prefix of its (normalised) word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import Stemmer

__all__ = ["STOP_WORDS", "terms", "tokens"]

#: Words too common to tell documents apart; left out of the index and of queries.
STOP_WORDS = frozenset(
    """
    а без более бы был была были было быть в вам вас весь во вот все всех вы где да даже для
    до его ее если есть еще же за здесь и из или им их к как ко когда кто ли либо мне может
    мы на над надо наш не него нее нет ни них но ну о об однако он она они оно от очень по
    под при с со так также такой там те тем то того тоже той только том ты у уже хотя чего
    чей чем что чтобы чье чья эта эти это я
    """.split()  # noqa: SIM905 - a paragraph of words reads better than a list
)

_WORD = re.compile(r"[^\W_]+")
_STRESS = dict.fromkeys(map(ord, "\u0300\u0301"), None)  # stress marks editors type in
_CYRILLIC = re.compile(r"[а-я]")
_stemmer = Stemmer.Stemmer("russian")


#: Characters that are or hold a stress mark (all below U+3000): "и\u0301", "ѝ", "é" …
_STRESSED = re.compile(
    "["
    + "".join(c for c in map(chr, range(0x3000)) if _STRESS.keys() & set(map(ord, unicodedata.normalize("NFD", c))))
    + "]"
)


def tokens(text: str) -> list[str]:
    """Split text into lower-case words (ё as е, stress marks dropped), in order."""
    if _STRESSED.search(text):  # rare: decompose, drop the marks, compose again
        text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_STRESS))
    else:  # four times as fast
        text = unicodedata.normalize("NFC", text)
    text = text.lower().replace("ё", "е")
    return _WORD.findall(text)


_memo: dict[str, str | None] = {}  # word -> term: a site has far fewer words than tokens


def _term(word: str) -> str | None:
    """Return the index term of one word, or None for a stop word or a lone letter."""
    memo = _memo
    if word in memo:
        return memo[word]
    if word in STOP_WORDS or (len(word) == 1 and unicodedata.category(word)[0] != "N"):
        term = None
    elif _CYRILLIC.search(word):
        term = _stemmer.stemWord(word)
    else:
        term = word
    memo[word] = term
    return term


def terms(words: Iterable[str]) -> Counter[str]:
    """Count the index terms of ``words``."""
    counts: Counter[str] = Counter()
    for word in words:
        term = _term(word)
        if term:
            counts[term] += 1
    return counts
