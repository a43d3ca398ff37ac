"""A base for generators that write list pages (registries, archives, indexes).

They all read what the content model put in the context and write directory-style pages
paginated as ``…/page/2/``; this keeps that in one place.
"""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator


class ListingGenerator(Generator):
    """Writes pages from the shared context; reads no files of its own."""

    def write_page(
        self,
        writer: Any,
        url: str,
        template: str,
        *,
        items: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """Write ``url`` (a directory URL such as ``news/``) with ``template``.

        With ``items``, the page is paginated by the template's entry in
        PAGINATED_TEMPLATES, exposing ``items_page`` and ``items_paginator``.
        """
        save_as = f"{url}index.html" if url else "index.html"
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            paginated={"items": items} if items is not None else {},
            template_name=template,
            url=url,
            page_name=url.rstrip("/") or "index",
            page_url=url,
            **kwargs,
        )
