"""Russian dates in templates: the filters of :mod:`ratusha.core.dates`.

Pelican formats dates with ``strftime``, which follows the locale of the machine that
builds the site ("November" on a CI runner); these filters format with Babel's CLDR data,
so "24 ноября 2026" comes out the same everywhere. No settings.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from ratusha.core.dates import FILTERS

__all__ = ["register"]


def add_filters(generator: Any) -> None:
    """Make the filters available to every generator's templates."""
    generator.env.filters.update(FILTERS)


def register() -> None:
    """Add the date filters when each generator sets up its Jinja environment."""
    signals.generator_init.connect(add_filters)
