"""The browser's Russian stemmer: Snowball's algorithm from a maintained npm package.

The index is built with PyStemmer (``words``); the search page must reduce the query's
words to the same terms. It does so with the Russian module of ``@orama/stemmers``
(Snowball's algorithm in JavaScript, Apache-2.0), pinned in ``package.json`` and
installed by ``npm ci`` into ``node_modules/`` (``make`` does it). Nothing of it is kept
in this repository: each build copies the module into the output as
``/js/stemmer-russian.<hash>.js``, with a notice of its licence before it, and gives
templates its address as ``search_stemmer``. ``tests/test_search_words.py`` runs the
copied file in Node against PyStemmer on the shared cases, the demo's vocabulary and
words made to hit every ending; docs/search.md says why a package and not a port of
our own or a design without a stemmer in the browser.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

__all__ = ["FOLDER", "MissingStemmer", "module_path", "shipped", "write"]

#: The project's checkout (``plugins/ratusha/search/`` is three levels below it).
ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "node_modules" / "@orama" / "stemmers"
#: The package's Russian module: one ES module that exports ``stemmer(word)``.
MODULE = "dist/ru.js"
#: Where the copy goes in the output (outside ``theme/``, whose files ``assets`` renames).
FOLDER = "js"
NAME = "stemmer-russian"


class MissingStemmer(RuntimeError):
    """The npm package is not installed: the site cannot be built with search."""


def module_path() -> Path:
    """Return the installed module, or raise MissingStemmer saying how to install it."""
    path = PACKAGE / MODULE
    if not path.is_file():
        raise MissingStemmer(
            f"[search] the browser's stemmer {path} is missing: run `make node_modules/.installed` "
            "(npm ci; needs Node.js and npm), or set RATUSHA_SEARCH = False"
        )
    return path


def shipped() -> tuple[str, bytes]:
    """Return the copy's path inside the output and its bytes: the module, its licence first."""
    module = module_path().read_bytes()
    package = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))
    holder = (PACKAGE / "LICENSE.md").read_text(encoding="utf-8").strip().splitlines()[0]
    notice = (
        f"/*! {package['name']} {package['version']} ({MODULE}), the Snowball Russian stemmer. "
        f"{holder}. Licensed under the Apache License, Version 2.0: "
        "https://www.apache.org/licenses/LICENSE-2.0 */\n"
    )
    data = notice.encode() + module
    return f"{FOLDER}/{NAME}.{hashlib.sha256(data).hexdigest()[:10]}.js", data


def write(output: str, relative: str, data: bytes) -> None:
    """Write the copy into the output (a new file: never through a link to the previous output)."""
    target = os.path.join(output, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    with open(target, "wb") as file:
        file.write(data)
