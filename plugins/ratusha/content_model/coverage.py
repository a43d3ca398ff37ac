"""Which of 8-FZ art. 13's categories the site publishes, and a warning for each it does not.

A page declares what it covers in its ``covers:`` field; a section (``ratusha.core.sections``)
covers its categories while it has published items. Drafts, scheduled and withdrawn items
cover nothing: the site does not show them.
"""

from __future__ import annotations

from typing import Any

from ratusha.core.data import display_path
from ratusha.core.errors import ContentError
from ratusha.core.law import uncovered

__all__ = ["check_coverage", "covered"]


def covered(published: dict[str, list[Any]], sections: dict[str, Any]) -> set[str]:
    """Return the keys of the categories the published pages and sections cover."""
    keys: set[str] = set()
    for name, items in published.items():
        shown = [item for item in items if not getattr(item, "withdrawn", None)]
        if shown and name in sections:
            keys.update(sections[name].covers)
        for item in shown:
            keys.update(getattr(item, "covers", None) or ())
    return keys


def check_coverage(published: dict[str, list[Any]], settings: dict[str, Any]) -> list[ContentError]:
    """Return one warning, in Russian, for every category of art. 13 the site does not cover."""
    where = display_path(settings["PATH"])
    return [
        ContentError(
            where,
            f"ст. 13 8-ФЗ, {category.item}: на сайте нет раздела «{category.title}» — "
            f"укажите covers: [{category.key}] на странице, которая это публикует",
            field="covers",
            severity="warning",
        )
        for category in uncovered(covered(published, settings["RATUSHA_SECTIONS"]))
    ]
