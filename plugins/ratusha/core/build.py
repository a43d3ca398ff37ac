"""One build's services, handed to every generator and finish step explicitly.

Pelican gives plugins a settings dict, a context dict and signals; what a Ratusha build
adds lives in one object, :class:`Build`, made at the start of each run (also each rebuild
of ``pelican --autoreload`` and ``invoke preview``):

- where this run writes (a staging folder, :mod:`.output`) and the site it replaces;
  ``current_file()`` finds a page as it is now (written by this run, or kept);
- the moment it publishes for (``now``: what is scheduled, which events are past);
- the fingerprints of the pages (:mod:`.fingerprints`), when rebuilds reuse pages;
- the values every page shows, declared by the plugins that add them;
- a place per plugin for what it keeps during the run (``state(name)``);
- ``cache_file()``: where a plugin keeps what it knows of the previous output.

Generators find it in their context (``Build.of(self.context)``), templates as
``ratusha_build`` (and ``build_time``), finish steps get it as their argument, content
written signals carry it in their context. Nothing is kept in a module global, and no
setting is changed to pass a message.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from .data import localise
from .fingerprints import Fingerprints
from .output import Staging

__all__ = ["Build", "build_time"]


def manifest_file(settings: dict[str, Any], final: str) -> Path:
    """Return where the list of the published site's files is kept (see :mod:`.output`)."""
    key = hashlib.sha256(os.path.abspath(final).rstrip(os.sep).encode()).hexdigest()[:16]
    return Path(settings.get("CACHE_PATH", "cache")) / "output" / f"{key}.manifest"


def build_time(settings: dict[str, Any]) -> datetime.datetime:
    """Return the moment a build publishes for, in the municipality's time zone.

    ``RATUSHA_BUILD_TIME`` (an ISO date-time) fixes it for tests and reproducible builds.
    """
    zone = ZoneInfo(settings["TIMEZONE"])
    value = settings.get("RATUSHA_BUILD_TIME")
    if value is None:
        return datetime.datetime.now(zone).replace(microsecond=0)
    moment = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(str(value))
    return localise(moment, zone)


class Build:
    """The services of one run of Pelican over a Ratusha site."""

    #: Where generators (and the templates' context) find the build.
    CONTEXT_KEY: ClassVar[str] = "ratusha_build"

    def __init__(self, settings: dict[str, Any], staging: Staging) -> None:
        self.settings = settings
        self.staging = staging
        self.final = staging.final
        #: The site this build replaces, while it is still there; None on the first build.
        self.previous = staging.prepare()
        self.output = staging.staging
        self.now = build_time(settings)
        self.context: dict[str, Any] | None = None
        self.shown_on_every_page: dict[str, list[Any]] = {}
        self._states: dict[str, dict[str, Any]] = {}
        self._fingerprints: Fingerprints | None = None
        self._at_end: list[Callable[[], None]] = []
        #: Published files this run keeps besides the pages in ``fingerprints.current``.
        self.kept: set[str] = set()
        self.key = hashlib.sha256(self.final.encode()).hexdigest()[:16]
        #: The settings as the run began (value identities): they are read-only from then on.
        self._settings_at_start = {key: id(value) for key, value in settings.items()}

    @classmethod
    def of(cls, context: dict[str, Any]) -> Build:
        """Return the run's build from a generator's or template's context."""
        try:
            return context[cls.CONTEXT_KEY]
        except KeyError:
            raise RuntimeError("ratusha.core is not in PLUGINS (it must come first)") from None

    @classmethod
    def at_generator_init(cls, generator: Any) -> Build | None:
        """Return the build for a ``generator_init`` receiver, None for a generator made before it.

        Pelican makes its own article and page generators before any plugin's, so before the
        core's puts the build into the context; they write nothing on a Ratusha site.
        """
        return generator.context.get(cls.CONTEXT_KEY)

    def changed_settings(self) -> list[str]:
        """Return the settings changed since the run began (a plugin passing a message through them)."""
        keys = self._settings_at_start.keys() | self.settings.keys()
        return sorted(k for k in keys if self._settings_at_start.get(k) != id(self.settings.get(k)))

    def cache_file(self, plugin: str, suffix: str) -> Path:
        """Return where a plugin keeps what it knows of this output folder's previous build."""
        return Path(self.settings.get("CACHE_PATH", "cache")) / plugin / f"{self.key}{suffix}"

    def current_file(self, relative: str) -> str:
        """Return the path of a file of the site as this run leaves it: written now, or kept.

        A rebuild writes only what changed into :attr:`output`; an unchanged page stays in
        the published folder until the end of the run, and is read there.
        """
        written = os.path.join(self.output, relative)
        if self.previous is None or os.path.exists(written):
            return written
        return os.path.join(self.previous, relative)

    def can_keep(self, relative: str) -> bool:
        """Say whether the published folder holds ``relative`` and may keep it as it is."""
        published = self.staging.published
        return published is not None and relative.replace(os.sep, "/") in published

    def keep(self, relative: str) -> bool:
        """Keep a published file (with its .gz/.br) instead of writing it again; say whether it can.

        Call it in the build's own process: what a forked worker keeps counts only through
        ``fingerprints.current``.
        """
        if not self.can_keep(relative):
            return False
        self.kept.add(relative.replace(os.sep, "/"))
        return True

    def state(self, plugin: str) -> dict[str, Any]:
        """Return the dict in which ``plugin`` keeps what it needs during this run."""
        return self._states.setdefault(plugin, {})

    def every_page_shows(self, name: str, items: list[Any]) -> None:
        """Declare content shown on every page (a footer menu, a banner): it is in every fingerprint."""
        self.shown_on_every_page[name] = list(items)

    def at_end(self, cleanup: Callable[[], None]) -> None:
        """Call ``cleanup`` when the run ends, finished or not (a helper process to stop)."""
        self._at_end.append(cleanup)

    def close(self) -> None:
        """End the run: the clean-ups registered with ``at_end``, newest first."""
        while self._at_end:
            self._at_end.pop()()

    @property
    def fingerprints(self) -> Fingerprints | None:
        """The pages' fingerprints, None when rebuilds reuse nothing (RATUSHA_INCREMENTAL off).

        Made on first use, when pages are about to be written: by then every generator has
        read its content and declared what every page shows.
        """
        if not self.settings["RATUSHA_INCREMENTAL"] or self.context is None:
            return None
        if self._fingerprints is None:
            self._fingerprints = Fingerprints(self, self.context)
        return self._fingerprints

    def services(self) -> type[Generator]:
        """Return the generator class that puts this build into the context (see ``BuildServices``)."""
        return type("BuildServices", (BuildServices,), {"build": self})


class BuildServices(Generator):
    """Puts the run's :class:`Build` into the shared context; writes nothing.

    Pelican creates generators from classes and gives them only the settings and the
    context, so the build reaches them through the context. ``ratusha.core`` comes first in
    PLUGINS, so this generator is made before any other of Ratusha's.
    """

    build: ClassVar[Build]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        context = kwargs["context"]
        context[Build.CONTEXT_KEY] = self.build
        context["build_time"] = self.build.now
        self.build.context = context
        super().__init__(*args, **kwargs)

    def generate_output(self, writer: Any) -> None:
        """Write nothing (the build's services are not pages)."""
