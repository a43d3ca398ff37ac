"""What happens after Pelican has written the pages: one pipeline of named steps.

Plugins add their step by name (``add_step("sitemap", write)`` in ``register()``); the
order is stated here, once, with the reason for it, and a step runs only when its plugin
is in the build's PLUGINS. Each step is a function of the run's
:class:`~ratusha.core.build.Build`, so it can be run and tested alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import Build

__all__ = ["AFTER_SWAP", "FINISH", "add_step", "finish"]

logger = logging.getLogger(__name__)

#: The finish steps, in the order they run.
FINISH = (
    "sitemap",  # lists every page written, before anything is added to the folder
    "assets",  # gives theme files their hashed names and writes municipality.css
    "search",  # waits for the index, built meanwhile in a process of its own
    "precompress",  # .gz/.br of every text file: needs all of the above written
    "swap",  # the finished site replaces the published one (core)
)
#: Steps that record what is now on disk; they run only once the swap is done.
AFTER_SWAP = (
    "fingerprints",  # the pages' fingerprints, for the next build to reuse (core)
    "search-state",  # what the index holds, for the next build to patch
)

Step = Callable[["Build"], None]
_steps: dict[str, tuple[str, Step]] = {}


def add_step(name: str, step: Step, plugin: str) -> None:
    """Register ``step`` under one of the names above, for builds that list ``plugin``."""
    if name not in FINISH + AFTER_SWAP:
        raise ValueError(f"unknown finish step {name!r} (known: {', '.join(FINISH + AFTER_SWAP)})")
    _steps[name] = (plugin, step)


def finish(build: Build) -> None:
    """Run the steps of the plugins this build uses, in order."""
    enabled = {str(p) for p in build.settings.get("PLUGINS") or ()}
    for name in FINISH + AFTER_SWAP:
        plugin, step = _steps.get(name, ("", None))
        if step is not None and plugin in enabled:
            logger.debug("[pipeline] %s", name)
            step(build)
