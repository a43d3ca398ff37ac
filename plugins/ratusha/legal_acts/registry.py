"""The registry's data file, from which the browser combines its filters (issue 18).

Without JavaScript the registry is browsed one facet at a time (``/documents/type/…/``,
``/documents/year/…/``): a static site cannot have a page for every combination. With it,
``theme/static/js/registry.js`` reads ``/documents/registry.json`` once and filters by type,
year, status, issuer and a text on title and number together, without a request per change.
Each act names its facets by the last part of their address (``postanovlenie``, ``2026``,
``dejstvuet``, ``administraciya``), so the filters in the address bar
(``/documents/?type=postanovlenie&year=2026``) say the same as the one-facet pages.

The file carries only what a card in the list shows and what the filters read; the open data
set of acts (``ratusha.open_data``) stays the complete, documented one.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["REGISTRY_DATA", "REGISTRY_VERSION", "facet_key", "registry_data"]

#: The file's name inside the registry's folder.
REGISTRY_DATA = "registry.json"
#: The format of the file; a change that removes or renames a key bumps it.
REGISTRY_VERSION = 1


def facet_key(url: str) -> str:
    """Return a facet's key: the last part of its address (``documents/type/postanovlenie/``)."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def registry_data(acts: list[Any], facets: dict[str, list[Any]], statuses: dict[str, Any]) -> bytes:
    """Return ``registry.json``: every act in the registry's order, with its facets' keys."""
    keys: dict[int, dict[str, str]] = {}
    for group, group_facets in facets.items():
        for facet in group_facets:
            key = facet_key(facet.url)
            for act in facet.acts:
                keys.setdefault(id(act), {})[group] = key
    rows = []
    for act in acts:
        department = getattr(act, "department_obj", None)
        issuer = (getattr(department, "short_title", None) or department.title) if department is not None else None
        rows.append(
            {
                "url": act.url,
                "label": act.label,
                "title": act.title,
                "number": str(act.number),
                "status": act.act_status,
                "modifier": statuses[act.act_status].modifier,
                "issuer": issuer,
                "facets": keys.get(id(act), {}),
            }
        )
    data = {"version": REGISTRY_VERSION, "acts": rows}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
