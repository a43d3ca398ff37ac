"""A readable comparison of two texts of an act, as HTML that needs no JavaScript.

The texts are compared block by block (paragraphs, list items, headings, table rows), then,
inside a changed block, word by word, with the standard library's :mod:`difflib`. Inserted
words are wrapped in ``<ins>`` and deleted ones in ``<del>``; each mark starts with visually
hidden words («добавлено:», «удалено:») and the end is said too, as screen readers do not
announce ``<ins>``/``<del>`` by default, and the marks are underlined and struck through,
so colour is never the only sign (WCAG 1.4.1).
"""

from __future__ import annotations

import copy
import difflib
import html
import re

from lxml import html as lxml_html

__all__ = ["Change", "compare"]

_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote", "pre")
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")
INSERTED = "добавлено"
DELETED = "удалено"


def _blocks(fragment: str) -> list[str]:
    """Return the text of each block of ``fragment``, innermost blocks only, in order."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = []
    for element in root.iter(*_BLOCKS):
        if any(True for _ in element.iterdescendants(*_BLOCKS)):
            # A list item holding a list: its own words are a block, the inner items follow.
            element = copy.deepcopy(element)
            for inner in list(element.iterdescendants(*_BLOCKS)):
                if inner.getparent() is not None:
                    inner.drop_tree()
        text = " ".join(element.text_content().split())
        if text:
            blocks.append(text)
    if not blocks:
        text = " ".join(root.text_content().split())
        blocks = [text] if text else []
    return blocks


def _mark(tag: str, text: str) -> str:
    said = INSERTED if tag == "ins" else DELETED
    return (
        f'<{tag}><span class="r-visually-hidden">[{said}: </span>{html.escape(text)}'
        f'<span class="r-visually-hidden">]</span></{tag}>'
    )


def _words(old: str, new: str) -> str:
    """Mark the words that differ between two versions of one block."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(_mark("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(_mark("ins", "".join(b[j1:j2])))
    return "".join(out)


class Change:
    """One block of the comparison: unchanged, changed, inserted or deleted."""

    def __init__(self, kind: str, markup: str) -> None:
        self.kind = kind
        self.html = markup


#: How alike two blocks must be (difflib's ratio) to be shown as one block edited.
SIMILAR = 0.5


def _replaced(old: list[str], new: list[str]) -> list[Change]:
    """Show replaced blocks: an edited block word by word when it is much like its new text."""
    changes: list[Change] = []
    for index in range(max(len(old), len(new))):
        x = old[index] if index < len(old) else None
        y = new[index] if index < len(new) else None
        if x is not None and y is not None and difflib.SequenceMatcher(None, x, y).ratio() >= SIMILAR:
            changes.append(Change("changed", _words(x, y)))
            continue
        if x is not None:
            changes.append(Change("deleted", _mark("del", x)))
        if y is not None:
            changes.append(Change("inserted", _mark("ins", y)))
    return changes


def compare(old: str, new: str) -> list[Change]:
    """Compare two HTML texts; return the blocks of the comparison in order."""
    a, b = _blocks(old), _blocks(new)
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            changes += [Change("same", html.escape(text)) for text in a[i1:i2]]
        else:
            changes += _replaced(a[i1:i2], b[j1:j2])
    return changes
