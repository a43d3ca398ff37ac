"""A link checker for a built site folder: every internal href and src must resolve."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from lxml import html

EXTERNAL = ("http:", "https:", "mailto:", "tel:", "data:")


def target_file(output: Path, path: str) -> Path:
    """Return the file a web server would send for the URL path ``path``."""
    local = output / unquote(path).lstrip("/")
    return local / "index.html" if path.endswith("/") or local.is_dir() else local


def broken_links(output: Path) -> list[str]:
    """Return 'page -> link' for every internal reference that does not resolve."""
    broken = []
    ids: dict[Path, set[str]] = {}
    pages = sorted(output.rglob("*.html"))
    trees = {p: html.fromstring(p.read_bytes()) for p in pages}
    for path, tree in trees.items():
        ids[path] = set(tree.xpath("//@id"))
    for path, tree in trees.items():
        base = "/" + str(path.relative_to(output)).replace("index.html", "")
        refs = tree.xpath("//a/@href | //link/@href | //img/@src | //script/@src | //source/@src")
        refs += [part.split()[0] for srcset in tree.xpath("//@srcset") for part in srcset.split(",")]
        for ref in refs:
            if ref.startswith(EXTERNAL):
                continue
            url = urlparse(urljoin(base, ref))
            target = target_file(output, url.path) if url.path else path
            if not target.is_file():
                broken.append(f"{path.relative_to(output)} -> {ref}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in ids.get(target, set()):
                broken.append(f"{path.relative_to(output)} -> {ref} (no such id)")
    return broken
