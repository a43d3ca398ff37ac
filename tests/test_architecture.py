"""The structure drawn from the imports: plugins share only the core, and nothing reaches into another."""

from __future__ import annotations

import ast

from support import ROOT

PACKAGE = ROOT / "plugins" / "ratusha"
#: What each part may import of the package besides itself ("testing" is the tests' helper).
ALLOWED = {"core": set(), "crosspost": set(), "publish": set(), "testing": {"core"}}


def imports() -> dict[str, set[str]]:
    """Map each top-level part of the package to the other parts its modules import (tests aside)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name.startswith("test_") or path.name == "conftest.py":
            continue
        parts = path.relative_to(PACKAGE).parts
        part = parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")
        names = found.setdefault(part, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("ratusha."):
                names.add(node.module.split(".")[1])
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "ratusha":
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("ratusha."))
        names.discard(part)
    return found


def test_plugins_import_only_the_core_and_the_core_no_plugin():
    found = imports()
    assert {"core", "content_model", "feeds", "search", "crosspost"} <= set(found), "the walk found the package"
    for part, names in sorted(found.items()):
        allowed = ALLOWED.get(part, {"core"})
        assert names <= allowed, f"ratusha.{part} imports {sorted(names - allowed)}: share it through ratusha.core"


def test_nothing_edits_sys_path():
    """The package is installed (pip install -e .): no module puts a folder on sys.path by hand."""
    sources = [path for folder in ("plugins", "tests", "bench") for path in (ROOT / folder).rglob("*.py")]
    sources += [ROOT / name for name in ("tasks.py", "pelicanconf.py", "publishconf.py")]
    offenders = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", "") == "sys":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
