"""``ratusha.core`` as a Pelican plugin: it starts each run's Build and finishes it.

It must come first in PLUGINS: its generator puts the build into the context before any
other Ratusha generator is made.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping
from typing import Any

import jinja2
from pelican import signals
from pelican.generators import Generator

from .acts import ACT_STATUSES
from .build import Build, manifest_file
from .output import Staging
from .pipeline import add_step, finish
from .sections import resolve_sections
from .settings import apply_defaults

PLUGIN = "ratusha.core"
logger = logging.getLogger(__name__)


def set_defaults(pelican: Any) -> None:
    """Fill in every plugin's default settings (its ``DEFAULTS``) and resolve the section table.

    One receiver for all plugins, run first: a plugin declares its settings and reads them,
    and none needs a receiver of its own to fill them in.
    """
    settings = pelican.settings
    apply_defaults(settings)
    for plugin in pelican.plugins:
        apply_defaults(settings, getattr(plugin, "DEFAULTS", {}))
    if "RATUSHA_FEED_SITE_URL" in settings:  # its old name, when only feeds honoured it
        logger.warning("[core] RATUSHA_FEED_SITE_URL is now RATUSHA_PUBLIC_URL (used by every absolute URL)")
        settings["RATUSHA_PUBLIC_URL"] = settings["RATUSHA_PUBLIC_URL"] or settings.pop("RATUSHA_FEED_SITE_URL")
    settings["RATUSHA_SECTIONS"] = resolve_sections(settings["RATUSHA_SECTIONS"])


def start(pelican: Any) -> type[Generator]:
    """Begin a run: a fresh staging folder, and the build that the generators will share."""
    # get_generators rather than initialized: it fires at the start of every run(), also
    # for each rebuild of `pelican --autoreload`, and before Pelican creates the generators
    # and the writer that take the output path. One Staging per output folder for the life
    # of the process, so that a run waits for the deletion its predecessor started.
    leftover = getattr(pelican, "ratusha_build", None)
    if leftover is not None:  # a run that failed under autoreload
        leftover.close()
    staging = getattr(pelican, "ratusha_staging", None)
    if staging is None:
        manifest = manifest_file(pelican.settings, pelican.output_path)
        staging = pelican.ratusha_staging = Staging(pelican.output_path, manifest)
    build = Build(pelican.settings, staging)
    pelican.ratusha_build = build
    pelican.output_path = build.output
    pelican.delete_outputdir = False  # the staging folder is new and empty
    return build.services()


#: What a dict answers as attributes (its methods): ``data.items`` stays the method in templates.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(jinja2.Environment):
    """Jinja's environment, with ``value.key`` on a plain dict looked up as a key straight away.

    The components take their parameters as dicts, and the municipality's data is dicts
    too, so most attribute look-ups in the templates are on dicts: Jinja tries the attribute
    first, and the AttributeError it catches made a miss cost ten times a hit (about 200 a
    news page). The outcome is Jinja's own: a dict's methods are still attributes, and a
    missing key is undefined.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """Return a template's globals as a plain dict, not Jinja's ChainMap over the environment's.

        Every ``{% from … import %}`` of every page subtracts the imported template's globals
        from the page's: on a ChainMap that is a loop in Python, a twentieth of a news page's
        rendering. The environment's globals are complete when a template is first loaded
        (the plugins add theirs at ``generator_init``, templates load when pages are written).
        """
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return ``obj.attribute`` as Jinja does; a dict's key without the failed attribute look-up."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def use_environment(generator: Any) -> None:
    """Make the generator's Jinja environment a :class:`Environment` (Pelican has no setting for its class)."""
    if type(generator.env) is jinja2.Environment:
        generator.env.__class__ = Environment


def cache_bytecode(generator: Any) -> None:
    """Give the generator's Jinja environment a bytecode cache under ``CACHE_PATH``.

    Pelican gives every generator an environment of its own, and each compiled every
    template it renders (with the forked workers, once per process) in every build: 0.8 of
    the 1.6 CPU-s spent loading templates in a build of 1,000 items. Now a template is
    compiled once, when its source changes (Jinja keys the code by the source's checksum),
    and the other environments load its code.
    """
    if generator.env.bytecode_cache is None:
        folder = os.path.join(generator.settings["CACHE_PATH"], "jinja")
        os.makedirs(folder, exist_ok=True)
        generator.env.bytecode_cache = jinja2.FileSystemBytecodeCache(folder)


def share_globals(generator: Any) -> None:
    """Give every template ``SITEURL``, ``RATUSHA_SECTIONS`` and ``ACT_STATUSES`` as globals, not only in the context.

    Macro files (``adapters.html``, ``act_parts.html``, ``item_aside.html``) then need no ``with context`` import:
    Jinja re-runs a file imported with context on every page that imports it, which was a
    quarter of the time of rendering a news item (bench/PROFILE.md, sixth round).
    """
    generator.env.globals["SITEURL"] = generator.settings.get("SITEURL", "")
    generator.env.globals["RATUSHA_SECTIONS"] = generator.settings["RATUSHA_SECTIONS"]
    generator.env.globals["ACT_STATUSES"] = ACT_STATUSES


def end(pelican: Any) -> None:
    """Run the finish pipeline once Pelican has written everything."""
    build = pelican.ratusha_build
    try:
        changed = build.changed_settings()
        if changed:  # settings are read-only once a run has started
            raise RuntimeError(f"settings changed during the build: {', '.join(changed)}")
        finish(build)
    finally:
        build.close()
    pelican.output_path = build.final
    pelican.ratusha_build = None


def swap(build: Build) -> None:
    """Put the finished site in place of the published one: whole, or only what changed.

    The fingerprint record goes first: until the next one is saved (after this step), a
    build killed here renders everything again rather than trust a record of another site.
    """
    fingerprints = build.fingerprints
    kept: set[str] = set(build.kept)
    if fingerprints is not None:
        fingerprints.forget()
        kept.update(fingerprints.current)
    build.staging.publish(kept)


def save_fingerprints(build: Build) -> None:
    """Keep the pages' fingerprints, now that they describe the site on disk."""
    if build.fingerprints is not None:
        build.fingerprints.save()


def register() -> None:
    """Start each run with a Build; finish it with the pipeline."""
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(start)
    signals.generator_init.connect(use_environment)
    signals.generator_init.connect(cache_bytecode)
    signals.generator_init.connect(share_globals)
    signals.finalized.connect(end)
    add_step("swap", swap, PLUGIN)
    add_step("fingerprints", save_fingerprints, PLUGIN)
