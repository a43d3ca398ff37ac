"""A base for generators that write list pages (registries, archives, indexes).

They all read what the content model put in the context and write directory-style pages
paginated as ``…/page/2/``; this keeps that in one place. Pages of a paginated list are
written one by one, as Pelican's writer would write them, so that ``incremental`` can reuse
each page whose entries are unchanged (:mod:`.fingerprints`): an edit re-renders the one news page that lists the
item, not the hundreds of pages of the news archive.
"""

from __future__ import annotations

import os
from typing import Any

from pelican.generators import Generator
from pelican.paginator import Paginator

from .build import Build


class ListingGenerator(Generator):
    """Writes pages from the shared context; reads no files of its own."""

    def write_data(self, relative: str, data: bytes) -> None:
        """Write a file that is not a page (a feed, a calendar, a JSON directory) into the output."""
        path = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)

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
        PAGINATED_TEMPLATES, exposing ``items_page`` and ``items_paginator`` (and
        ``items_previous_page``, ``items_next_page``) as Pelican does.
        """
        save_as = f"{url}index.html" if url else "index.html"
        common = {
            "relative_urls": self.settings["RELATIVE_URLS"],
            "template_name": template,
            "url": url,
            "page_name": url.rstrip("/") or "index",
            "page_url": url,
        }
        paginated = self.settings["PAGINATED_TEMPLATES"]
        jinja_template = self.get_template(template)
        if items is None or template not in paginated:  # pages that show a bit of everything
            writer.write_file(save_as, jinja_template, self.context, **common, **kwargs)
            return
        reuse = Build.of(self.context).fingerprints
        shared = [reuse.shared(value) for _, value in sorted(kwargs.items())] if reuse is not None else []
        paginator = Paginator(
            save_as, url, items, self.settings, paginated[template] or self.settings["DEFAULT_PAGINATION"]
        )
        for number in range(1, paginator.num_pages + 1):
            page = paginator.page(number)
            parts = (template, str(number), str(paginator.num_pages), *shared)
            if reuse is not None and reuse.reuse_list_page(page.save_as, self.output_path, parts, page.object_list):
                continue
            writer.write_file(
                page.save_as,
                jinja_template,
                self.context,
                paginated={},
                items_paginator=paginator,
                items_page=page,
                items_previous_page=paginator.page(number - 1) if number > 1 else None,
                items_next_page=paginator.page(number + 1) if number < paginator.num_pages else None,
                **common,
                **kwargs,
            )
