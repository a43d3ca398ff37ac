"""The site kept in memory between saves, and the page of one edited item rendered from it.

A Ratusha build of 50,000 items spends most of its time reading, checking and linking
content that did not change. The preview builds once in its own process and keeps what
Pelican made (its generators and their shared context); on a save it re-reads just the
edited file, updates the item in place (so every list and department holding it holds the
new text) and renders its page, as Hugo's server re-renders only what changed.

Which pages the fast path serves (:func:`fast_change`): an item already published whose
save changed only its body or its free-text fields (``TEXT_FIELDS``). Anything else (a new
or deleted file, a changed date, department, status, image, relation, a department's own
file, the theme, a plugin, the settings) is left to the ordinary build, after which the
memory is read again (:meth:`Site.load`).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican, signals
from pelican.settings import read_settings
from pelican.writers import Writer

from ratusha.core.build import Build
from ratusha.core.errors import BuildStopped, ContentError

__all__ = ["TEXT_FIELDS", "FastPage", "Site", "build_settings", "fast_change", "print_problems"]

logger = logging.getLogger(__name__)

#: Front-matter fields whose new value shows on the item's own page and nowhere that the
#: page's other inputs depend on (lists and feeds show some of them: the ordinary build
#: that follows rewrites those).
TEXT_FIELDS = frozenset({
    "title", "summary", "teaser", "question", "place", "signed_by", "published_in",
})  # fmt: skip
#: Folders whose items the fast path never serves: a department is shown on many pages.
SLOW_FOLDERS = frozenset({"departments"})


def build_settings(
    settings_file: Path, content: Path, output: Path, cache: Path | None = None, **overrides: Any
) -> dict[str, Any]:
    """Return the settings of a preview build: those of `make build`, without .gz/.br copies."""
    extra: dict[str, Any] = {"PATH": str(content), "OUTPUT_PATH": str(output), "RATUSHA_PRECOMPRESS": False}
    if cache is not None:
        extra["CACHE_PATH"] = str(cache)
    if os.environ.get("RATUSHA_BUILD_TIME"):
        extra["RATUSHA_BUILD_TIME"] = os.environ["RATUSHA_BUILD_TIME"]
    return read_settings(str(settings_file), override={**extra, **overrides})


def print_problems(problems: list[ContentError]) -> int:
    """Print problems as `invoke check` does (file:line: field: message); return the errors."""
    errors = 0
    for problem in problems:
        label = "ошибка / error" if problem.severity == "error" else "предупреждение / warning"
        print(f"{problem}  [{label}]", file=sys.stderr, flush=True)
        errors += problem.severity == "error"
    return errors


@dataclass
class FastPage:
    """What a save did on the fast path: the page written, or why it was not."""

    path: str
    save_as: str | None = None
    body: bytes | None = None
    problems: list[ContentError] = field(default_factory=list)
    #: Why the ordinary build must serve this change (None: the page was served).
    slow: str | None = None

    @property
    def failed(self) -> bool:
        """The file has errors: the last good page stays."""
        return any(p.severity == "error" for p in self.problems)


def fast_change(old: Any, fresh: Any) -> str | None:
    """Return why the fast path cannot serve ``fresh`` in place of ``old``, or None when it can."""
    if old.save_as != fresh.save_as:
        return "the page moves"
    keys = set(old.metadata) | set(fresh.metadata)
    changed = sorted(k for k in keys if old.metadata.get(k) != fresh.metadata.get(k) and k not in TEXT_FIELDS)
    if changed:
        return f"changed: {', '.join(changed)}"
    return None


def _forget_rendered(item: Any) -> None:
    """Drop the item's memoised content and summary (Pelican memoises them per object)."""
    for method in (type(item).get_content, type(item).get_summary):
        cache = method.cache
        for key in [k for k in cache if k and k[0] is item]:
            del cache[key]


class Site:
    """One site's Pelican run kept in memory: generators, context, and the items by file."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.generators: list[Any] = []
        self.context: dict[str, Any] = {}
        self.content_model: Any = None
        self.by_path: dict[str, Any] = {}

    def load(self, write: bool, output: Path | None = None) -> None:
        """Run Pelican as `make build` does, keeping its generators; ``write=False`` reads only.

        Pelican.run() drops its generators when it returns, so this is its sequence
        (Pelican 4.12's ``run``) with them kept. Reading only, the run's staging folder is
        ``output`` (a scratch folder), and nothing is published.
        """
        settings = dict(self.settings)
        if output is not None:
            settings["OUTPUT_PATH"] = str(output)
        pelican = Pelican(settings)
        context = pelican.settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = pelican.settings["SITEURL"]
        generators = [
            cls(
                context=context,
                settings=pelican.settings,
                path=pelican.path,
                theme=pelican.theme,
                output_path=pelican.output_path,
            )
            for cls in pelican._get_generator_classes()
        ]
        try:
            for generator in generators:
                if hasattr(generator, "generate_context"):
                    generator.generate_context()
            signals.all_generators_finalized.send(generators)
            for generator in generators:
                if hasattr(generator, "refresh_metadata_intersite_links"):
                    generator.refresh_metadata_intersite_links()
            if write:
                writer = pelican._get_writer()
                for generator in generators:
                    if hasattr(generator, "generate_output"):
                        generator.generate_output(writer)
                signals.finalized.send(pelican)  # the finish pipeline: sitemap … swap
        finally:
            build = context.get(Build.CONTEXT_KEY)
            if not write and build is not None:
                build.close()
        self.generators, self.context = generators, context
        self.content_model = next(g for g in generators if hasattr(g, "reread"))
        self.by_path = {
            os.path.abspath(item.source_path): item for items in self.content_model.published.values() for item in items
        }

    def render(self, path: str) -> FastPage:
        """Re-read one saved file and, when its page can be served at once, render it."""
        path = os.path.abspath(path)
        result = FastPage(path)
        old = self.by_path.get(path)
        relative = os.path.relpath(path, self.content_model.path).replace(os.sep, "/")
        if relative.split("/")[0] in SLOW_FOLDERS:
            result.slow = "a department is shown on many pages"
        elif old is None:
            result.slow = "a new or unpublished item"
        fresh, result.problems = self.content_model.reread(path)
        if result.failed:
            result.slow = "errors"
        elif fresh is None and not result.slow:
            result.slow = "outside the typed folders"
        if result.slow:
            return result
        result.slow = fast_change(old, fresh)
        if result.slow:
            return result
        # In place: the lists, departments and feeds that hold the item hold the new text.
        old._content = fresh._content
        old.metadata = fresh.metadata
        for key in TEXT_FIELDS:
            if key in fresh.__dict__:
                setattr(old, key, fresh.__dict__[key])
            elif key != "summary":
                old.__dict__.pop(key, None)
        _forget_rendered(old)
        result.save_as = old.save_as
        result.body = self._write_page(old)
        return result

    def _write_page(self, item: Any) -> bytes:
        """Render the item's page as ContentModelGenerator.generate_output does; return its bytes."""
        scratch = Path(self.settings["CACHE_PATH"]) / "preview" / "pages"
        shutil.rmtree(scratch, ignore_errors=True)
        writer = Writer(str(scratch), settings=self.settings)
        writer.write_file(
            item.save_as,
            self.content_model.get_template(item.template),
            self.context,
            item=item,
            page_name=os.path.splitext(item.save_as)[0],
            relative_urls=self.settings["RELATIVE_URLS"],
            override_output=hasattr(item, "override_save_as"),
            url=item.url,
        )
        return (scratch / item.save_as).read_bytes()


def put(output: Path, save_as: str, body: bytes) -> None:
    """Replace one file of the served folder at once (a request sees the old or the new page)."""
    target = output / save_as
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.preview-{os.getpid()}")
    temporary.write_bytes(body)
    os.replace(temporary, target)


def build_once(settings: dict[str, Any]) -> bool:
    """Run one ordinary build (the rebuild process); print content errors; return success."""
    started = time.perf_counter()
    try:
        Pelican(settings).run()
    except BuildStopped as stopped:
        print_problems(stopped.problems)
        print(
            f"Сборка остановлена: ошибок {len(stopped.problems)}; предпросмотр показывает прежний сайт.\n"
            f"Build stopped: {len(stopped.problems)} error(s); the preview shows the previous site.",
            file=sys.stderr,
            flush=True,
        )
        return False
    except ContentError as problem:  # e.g. in the municipality data file
        print(f"{problem}\nСборка остановлена. / Build stopped.", file=sys.stderr, flush=True)
        return False
    logger.debug("[preview] built in %.2f s", time.perf_counter() - started)
    return True
