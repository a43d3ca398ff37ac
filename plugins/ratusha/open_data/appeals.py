"""Appeals through the Gosuslugi feedback platform (ПОС), as 59-FZ wants them since 30.03.2025.

Since 547-FZ an electronic appeal counts only when sent through ЕПГУ or a system that
identifies the sender, so the appeals page and the footer lead to the municipality's ПОС
form, whose address is the data file's ``feedback_widget``
(``https://pos.gosuslugi.ru/form/?opaId=…``). The platform's embed code is a script from its
host (``/bin/script.min.js``) and a call ``Widget("<host>/form", <opaId>)`` that binds a
banner (``#js-show-iframe-wrapper``) to open the form in a frame. Ratusha loads that script
only when the resident presses the button on the appeals page (``theme/static/js/appeals.js``):
no request goes to the platform before, and without JavaScript the page is a plain link to
the form. nginx allows the platform's host on that page only (deploy/nginx).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["feedback_widget"]


def feedback_widget(address: str | None, script_path: str) -> dict[str, Any] | None:
    """Return the widget's parts from the data file's address: link, origin, script, form and id."""
    if not address:
        return None
    parts = urlsplit(address)
    origin = f"{parts.scheme}://{parts.netloc}"
    ids = parse_qs(parts.query).get("opaId") or []
    return {
        "link": address,
        "origin": origin,
        "host": parts.netloc,
        "script": origin + script_path,
        "form": f"{origin}/form",
        # Without the organisation's id the embed cannot be made: the page keeps the link.
        "id": ids[0] if ids and ids[0].isdigit() else None,
    }
