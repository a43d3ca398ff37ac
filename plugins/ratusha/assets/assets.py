"""Content-hashed names for the theme's CSS and JS, and the municipality's colours.

A file whose name changes with its content can be cached for a year (nginx sends
``immutable`` for them), while pages stay short-lived; a new release never serves a new
page with an old stylesheet. Templates write ``{{ asset('css/ratusha.css') }}`` and get
``/theme/css/ratusha.1a2b3c4d5e.css``; the files in the output are renamed to match.

The municipality's colours become ``/css/municipality.<hash>.css``, generated from its
data file (a file, not an inline <style>, so a strict Content-Security-Policy holds).

No settings.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from pelican import signals

from ratusha.core.build import Build
from ratusha.core.pipeline import add_step

__all__ = ["asset_name", "municipality_css", "register"]

HASHED_EXTENSIONS = (".css", ".js")
MUNICIPALITY_CSS = "municipality.css"


def asset_name(path: str, data: bytes) -> str:
    """Return ``path`` with a short hash of ``data`` before its extension."""
    stem, extension = os.path.splitext(path)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{extension}"


def municipality_css(municipality: dict[str, Any]) -> bytes:
    """Return the stylesheet of the municipality's colours."""
    lines = [f"  --r-color-{name}: {value};" for name, value in sorted(municipality.get("colors", {}).items())]
    return (":root {\n" + "\n".join(lines) + "\n}\n").encode()


class Assets:
    """Knows the hashed name of every theme asset of one build."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.static = os.path.join(settings["THEME"], "static")
        self.prefix = settings.get("THEME_STATIC_DIR", "theme")
        self.css = municipality_css(settings["MUNICIPALITY"])
        self.names: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        """Return the URL of a theme asset (or 'municipality.css') with its hash."""
        if path not in self.names:
            if path == MUNICIPALITY_CSS:
                self.names[path] = asset_name(f"css/{MUNICIPALITY_CSS}", self.css)
            else:
                with open(os.path.join(self.static, path), "rb") as handle:
                    self.names[path] = f"{self.prefix}/{asset_name(path, handle.read())}"
        return f"{self.settings.get('SITEURL', '')}/{self.names[path]}"

    def write(self, output: str) -> None:
        """Rename the copied theme files to their hashed names; write the colours."""
        theme = os.path.join(output, self.prefix)
        for folder, _, files in os.walk(theme):
            for name in files:
                if not name.endswith(HASHED_EXTENSIONS):
                    continue
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    data = handle.read()
                os.replace(path, os.path.join(folder, asset_name(name, data)))
        target = os.path.join(output, asset_name(f"css/{MUNICIPALITY_CSS}", self.css))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(self.css)


PLUGIN = "ratusha.assets"


def _assets(build: Build) -> Assets:
    """Return the run's Assets, shared by all generators."""
    state = build.state(PLUGIN)
    if "assets" not in state:
        state["assets"] = Assets(build.settings)
    return state["assets"]


def add_global(generator: Any) -> None:
    """Give templates ``asset()``."""
    build = Build.at_generator_init(generator)
    if build is not None:
        generator.env.globals["asset"] = _assets(build)


def rename(build: Build) -> None:
    """Hash the theme's files once every page is written (a finish step)."""
    _assets(build).write(build.output)


def register() -> None:
    """Provide asset() to templates; rename the files in the finish pipeline."""
    signals.generator_init.connect(add_global)
    add_step("assets", rename, PLUGIN)
