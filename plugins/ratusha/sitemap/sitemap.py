"""sitemap.xml and robots.txt, reproducible from the content alone.

Every HTML page Pelican writes is listed (the 404 page is not), with ``lastmod`` from the
item's ``modified`` or ``date`` where the page is an item's; list pages carry no lastmod
rather than the time of the build, so an unchanged site gives an identical sitemap.
pelican-sitemap would stamp its index with the build time and sees only Pelican's own
articles and pages.

No settings. The public address comes from ``ratusha.core.site.public_url``.
"""

from __future__ import annotations

import os
from typing import Any
from xml.sax.saxutils import escape

from pelican import signals

from ratusha.core.build import Build
from ratusha.core.pipeline import add_step
from ratusha.core.site import public_url

__all__ = ["register"]

PLUGIN = "ratusha.sitemap"


def _pages(build: Build) -> dict[str, str | None]:
    """Return the pages written in this run (path → lastmod), kept on the build."""
    return build.state(PLUGIN).setdefault("pages", {})


def remember(path: str, context: dict[str, Any]) -> None:
    """Record each HTML page written, with the date of the item it shows."""
    if not path.endswith(".html") or context.get("output_file") == "404.html":
        return
    build = context.get(Build.CONTEXT_KEY)
    if build is None:  # a page written outside a Ratusha build
        return
    item = context.get("item")
    moment = (getattr(item, "modified", None) or getattr(item, "date", None)) if item is not None else None
    _pages(build)[path] = moment.date().isoformat() if moment is not None else None


def write(build: Build) -> None:
    """Write sitemap.xml and robots.txt into the output folder (a finish step)."""
    output = build.output
    pages = _pages(build)
    base = public_url(build.settings)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(pages, key=lambda p: os.path.relpath(p, output)):
        relative = os.path.relpath(path, output).replace(os.sep, "/")
        url = relative[: -len("index.html")] if relative.endswith("index.html") else relative
        lastmod = pages[path]
        entry = f"<url><loc>{escape(f'{base}/{url}')}</loc>"
        entry += f"<lastmod>{lastmod}</lastmod></url>" if lastmod else "</url>"
        lines.append(entry)
    lines.append("</urlset>")
    with open(os.path.join(output, "sitemap.xml"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    with open(os.path.join(output, "robots.txt"), "w", encoding="utf-8") as handle:
        handle.write(f"User-agent: *\nDisallow: /search/\nAllow: /\n\nSitemap: {base}/sitemap.xml\n")


def register() -> None:
    """Collect pages as they are written; write the files in the finish pipeline."""
    signals.content_written.connect(remember)
    add_step("sitemap", write, PLUGIN)
