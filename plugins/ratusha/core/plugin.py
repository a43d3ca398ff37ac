"""``ratusha.core`` as a Pelican plugin: it starts each run's Build and finishes it.

It must come first in PLUGINS: its generator puts the build into the context before any
other Ratusha generator is made.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.generators import Generator

from .build import Build
from .output import Staging
from .pipeline import add_step, finish
from .settings import apply_defaults

PLUGIN = "ratusha.core"


def set_defaults(pelican: Any) -> None:
    """Fill in the core's default settings."""
    apply_defaults(pelican.settings)


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
        staging = pelican.ratusha_staging = Staging(pelican.output_path)
    build = Build(pelican.settings, staging)
    pelican.ratusha_build = build
    pelican.output_path = build.output
    pelican.delete_outputdir = False  # the staging folder is new and empty
    return build.services()


def end(pelican: Any) -> None:
    """Run the finish pipeline once Pelican has written everything."""
    build = pelican.ratusha_build
    try:
        finish(build)
    finally:
        build.close()
    pelican.output_path = build.final
    pelican.ratusha_build = None


def swap(build: Build) -> None:
    """Put the finished site in place of the published one."""
    build.staging.swap()


def save_fingerprints(build: Build) -> None:
    """Keep the pages' fingerprints, now that they describe the site on disk."""
    if build.fingerprints is not None:
        build.fingerprints.save()


def register() -> None:
    """Start each run with a Build; finish it with the pipeline."""
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(start)
    signals.finalized.connect(end)
    add_step("swap", swap, PLUGIN)
    add_step("fingerprints", save_fingerprints, PLUGIN)
