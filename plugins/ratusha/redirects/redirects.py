"""Addresses that keep working: every address an item has had redirects to its current one.

Social posts, search engines and residents' bookmarks link to an item's address; when an
editor changes its title (and so its slug), its date or its type, the old address must not
become a 404. The build keeps a *ledger* of every address each item's ``id`` has had. It is
a plain text file in the content folder (``addresses.txt`` by default,
RATUSHA_ADDRESS_LEDGER), updated by every build and committed by the editor with the
content. A file in the repository, rather than the build cache or git history, because it
survives a fresh clone, a CI runner and a shallow checkout, and an importer of an old site
(issue 19) can write to it.

Ledger format (UTF-8, one entry a line, sorted; ``#`` starts a comment line)::

    <id><TAB><address>        an address the item with this id had (or has)
    <old address><TAB><new>   a fixed pair: <old address> redirects to <new> (importers)

``<id>`` is the item's ``id`` (or, for items without one, its source path, as feeds use);
addresses are site-relative and begin with ``/`` (``/news/2026/11/remont-shkoly/``). An
importer writes ``<id of the new item><TAB><its address on the old site>``, so the redirect
follows the item wherever it moves later, or a fixed pair for what has no item.

From the ledger and the live items (published, including withdrawn ones, which keep their
pages) each build writes:

- ``redirects.map`` (RATUSHA_REDIRECTS_MAP) in the output: the entries of an nginx ``map``
  from an old address to the new one, included by deploy/nginx/ratusha.conf and answered
  with ``return 301`` (deploy/nginx/ratusha-redirects.conf);
- at each old address a small static page for hosts without rules: a meta refresh, a
  canonical link and a visible link to the new address, marked noindex.

An address a live item uses now is never redirected, even if another item had it once.

Settings: ``DEFAULTS`` below.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Iterable
from html import escape
from typing import Any

from pelican import signals
from pelican.generators import Generator

from ratusha.core.settings import Setting
from ratusha.core.site import public_url

__all__ = ["DEFAULTS", "Ledger", "RedirectsGenerator", "fallback_page", "nginx_map", "register", "resolve"]

logger = logging.getLogger(__name__)
LOG_PREFIX = "[redirects]"
DEFAULTS = {
    "RATUSHA_REDIRECTS": Setting(True, "keep old addresses of items working (ledger, nginx map, fallback pages)"),
    "RATUSHA_ADDRESS_LEDGER": Setting(
        "addresses.txt", "the ledger of every address each item has had (relative to PATH); commit it"
    ),
    "RATUSHA_REDIRECTS_MAP": Setting("redirects.map", "the nginx map of old → new addresses, in the output"),
}
HEADER = (
    "# Every address each item has had, for redirects from old addresses (ratusha.redirects).\n"
    "# Written by the build: commit it with the content. Lines: <id><TAB><address>, or\n"
    "# <old address><TAB><new address> for a fixed redirect (an importer's).\n"
)
#: Context keys of items that are not in a section's list (their pages are still written).
EXTRA_KEYS = ("withdrawn_items",)
#: Redirect chains of fixed pairs are followed this far (a cycle stops there).
MAX_HOPS = 10


def _address(url: str) -> str:
    """Return a site-relative address (``/news/…/``) for an item's ``url``."""
    return "/" + str(url).lstrip("/")


class Ledger:
    """The ledger file: a set of (key, address) entries, read and written in one format."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: set[tuple[str, str]] = set()
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    line = line.rstrip("\r\n")
                    if not line.strip() or line.startswith("#"):
                        continue
                    key, tab, address = line.partition("\t")
                    if not tab or not address.startswith("/"):
                        logger.warning(
                            "%s %s:%d: строка не в формате «id<TAB>/адрес/» пропущена / malformed line skipped",
                            LOG_PREFIX,
                            path,
                            number,
                        )
                        continue
                    self.entries.add((key.strip(), address.strip()))
        self._loaded = set(self.entries)

    def add(self, key: str, address: str) -> None:
        """Remember that the item ``key`` has (had) ``address``."""
        self.entries.add((key, address))

    @property
    def changed(self) -> bool:
        """Whether this build saw an address the file does not have yet."""
        return self.entries != self._loaded

    def save(self) -> None:
        """Write the ledger sorted (stable diffs, few merge conflicts), atomically."""
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(HEADER)
            handle.writelines(f"{key}\t{address}\n" for key, address in sorted(self.entries))
        os.replace(temporary, self.path)
        self._loaded = set(self.entries)


def resolve(entries: Iterable[tuple[str, str]], live: dict[str, str]) -> dict[str, str]:
    """Return {old address: current address} from ledger entries and the live {address: key}.

    An id's other addresses go to the address its live item has; fixed pairs go to their
    target, followed through further redirects. Live addresses are never redirected, and
    nothing redirects to an address that is not live.
    """
    current: dict[str, str] = {}
    for address, key in live.items():
        current.setdefault(key, address)
    redirects: dict[str, str] = {}
    pairs: dict[str, str] = {}
    for key, address in entries:
        if key.startswith("/"):
            pairs[key] = address
        elif key in current and address not in live:
            redirects[address] = current[key]
    for old, new in pairs.items():
        if old in live or old in redirects:
            continue
        for _ in range(MAX_HOPS):
            if new in live:
                break
            new = redirects.get(new) or pairs.get(new) or new
        if new in live:
            redirects[old] = new
    return redirects


def nginx_map(redirects: dict[str, str]) -> str:
    """Return the entries of an nginx ``map $uri …`` block (a directory address also as …/index.html)."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["# Old address → current address (ratusha.redirects); included by deploy/nginx/ratusha.conf."]
    for old, new in sorted(redirects.items()):
        keys = [old]
        if old.endswith("/") and old != "/":
            keys += [old + "index.html", old.rstrip("/")]
        lines += [f"{quoted(key)} {quoted(new)};" for key in keys]
    return "\n".join(lines) + "\n"


def fallback_page(new_url: str, canonical: str) -> str:
    """Return the static page left at an old address for hosts that have no redirect rules."""
    href = escape(new_url, quote=True)
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Страница перенесена</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={href}">
<link rel="canonical" href="{escape(canonical, quote=True)}">
</head>
<body>
<h1>Страница перенесена</h1>
<p>Эта страница теперь находится по новому адресу: <a href="{href}">{escape(canonical)}</a>.</p>
</body>
</html>
"""


def _output_file(output: str, address: str) -> str | None:
    """Return where the page for ``address`` is in ``output``, or None if it leaves the folder."""
    if "?" in address:  # a static host serves one file whatever the query: only nginx's map can tell them apart
        return None
    relative = posixpath.normpath(address.lstrip("/") or ".")
    if relative == ".." or relative.startswith("../"):
        return None
    if relative == "." or address.endswith("/") or not posixpath.splitext(relative)[1]:
        relative = posixpath.join(relative, "index.html")  # a folder: how static hosts serve /old/
    return os.path.join(output, *relative.split("/"))


class RedirectsGenerator(Generator):
    """Update the ledger from the live items; write the nginx map and the fallback pages."""

    def generate_context(self) -> None:
        """Nothing to add: the items are read by the content model."""

    def live_addresses(self) -> dict[str, str]:
        """Return {address: item key} of every item whose page this build writes."""
        keys = [section.context_key for section in self.settings["RATUSHA_SECTIONS"].values()]
        live: dict[str, str] = {}
        for key in (*keys, *EXTRA_KEYS):
            for item in self.context.get(key, []):
                url = getattr(item, "url", "")
                if url:
                    live.setdefault(_address(url), str(item.guid))
        return live

    def generate_output(self, writer: Any) -> None:
        """Record today's addresses, then write what keeps yesterday's working."""
        if not self.settings.get("RATUSHA_REDIRECTS", True):
            return
        ledger = Ledger(os.path.join(self.path, self.settings["RATUSHA_ADDRESS_LEDGER"]))
        live = self.live_addresses()
        for address, key in live.items():
            ledger.add(key, address)
        if ledger.changed:
            try:
                ledger.save()
            except OSError as error:  # a read-only checkout: the redirects below still hold
                logger.warning("%s %s: не записан / not written: %s", LOG_PREFIX, ledger.path, error)
        redirects = resolve(ledger.entries, live)
        with open(os.path.join(self.output_path, self.settings["RATUSHA_REDIRECTS_MAP"]), "w", encoding="utf-8") as out:
            out.write(nginx_map(redirects))
        base = public_url(self.settings)
        for old, new in sorted(redirects.items()):
            target = _output_file(self.output_path, old)
            if target is None or os.path.exists(target):  # another page is there: it wins
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as out:
                out.write(fallback_page(new, base + new))
        if redirects:
            logger.info("%s %d old addresses redirect to new ones", LOG_PREFIX, len(redirects))


def get_generators(pelican: Any) -> type[RedirectsGenerator]:
    """Add the redirects generator (after the content model, whose items it reads)."""
    return RedirectsGenerator


def register() -> None:
    """Keep old addresses working as part of the build."""
    signals.get_generators.connect(get_generators)
