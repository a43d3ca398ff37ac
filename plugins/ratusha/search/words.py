"""Words as the search index sees them: tokens, stop words and Russian stems.

The browser splits a query with ``theme/static/js/search-words.js`` and stems it with
Snowball's Russian stemmer from an npm package (``stemmer``); both must give the same
terms as this module for the index to be of any use. ``tests/search_cases.json`` holds
the cases both languages must agree on, and ``tests/test_search_words.py`` runs them here
and in Node, with the demo's vocabulary against the shipped stemmer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import Stemmer

__all__ = ["STOP_WORDS", "term", "terms", "tokens"]

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
_SOFT_HYPHEN = "\u00ad"
_CYRILLIC = re.compile(r"[а-я]")
_stemmer = Stemmer.Stemmer("russian")


#: Characters that are or hold a stress mark (all below U+3000): "и\u0301", "ѝ", "é" …
_STRESSED = re.compile(
    "["
    + "".join(c for c in map(chr, range(0x3000)) if _STRESS.keys() & set(map(ord, unicodedata.normalize("NFD", c))))
    + "]"
)


def tokens(text: str) -> list[str]:
    """Split text into lower-case words (ё as е, stress marks and soft hyphens dropped), in order."""
    if _SOFT_HYPHEN in text:  # a hyphenation hint pasted from a word processor: inside a word
        text = text.replace(_SOFT_HYPHEN, "")
    if _STRESSED.search(text):  # rare: decompose, drop the marks, compose again
        text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_STRESS))
    else:  # four times as fast
        text = unicodedata.normalize("NFC", text)
    text = text.lower().replace("ё", "е")
    return _WORD.findall(text)


_memo: dict[str, str | None] = {}  # word -> term: a site has far fewer words than tokens


def term(word: str) -> str | None:
    """Return the index term of one word (a token), or None for a stop word or a lone letter."""
    memo = _memo
    if word in memo:
        return memo[word]
    if word in STOP_WORDS or (len(word) == 1 and unicodedata.category(word)[0] != "N"):
        found = None
    elif _CYRILLIC.search(word):
        found = _stemmer.stemWord(word)
    else:
        found = word
    memo[word] = found
    return found


def terms(words: Iterable[str]) -> Counter[str]:
    """Count the index terms of ``words``."""
    words = list(words)
    for word in set(words).difference(_memo):  # each new word stemmed once
        term(word)
    counts = Counter(map(_memo.__getitem__, words))  # counted in C: a page has hundreds of words
    counts.pop(None, None)
    counts.pop("", None)
    return counts
