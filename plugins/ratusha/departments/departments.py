"""The registry of structural organisations: hierarchy, their content, their pages.

Links every department to its parent and children and to the news, acts, announcements
and answers that name it, then writes the directory ``/departments/`` and, per
department, a paginated list of its news at ``/departments/<slug>/news/``. The department
page itself is written by the content model with the ``department`` template. Each news
item, act and event is also given what its page shows beside its text: more from its
department and related acts (:mod:`.related`).

The directory is also published as data, ``/departments/index.json`` (docs/feeds.md):
each department's address, feed, parent and official accounts, which is how
``ratusha-crosspost`` finds the channels of hundreds of departments without a line of
configuration per department.

Settings: ``DEFAULTS`` below, and PAGINATED_TEMPLATES["department_news"].
"""

from __future__ import annotations

import json
from typing import Any

from pelican import signals

from ratusha.core.listing import ListingGenerator
from ratusha.core.settings import Setting
from ratusha.core.site import public_url
from ratusha.core.social import posting_id

from .related import DEFAULTS as RELATED_DEFAULTS
from .related import link_related

__all__ = ["DEFAULTS", "DIRECTORY_VERSION", "DepartmentsGenerator", "directory", "link_departments", "register"]

#: The format of departments/index.json; a change that removes or renames a key bumps it.
DIRECTORY_VERSION = 1


DEFAULTS = {
    "RATUSHA_DEPARTMENT_LATEST": Setting(5, "items of each kind on a department's page"),
    **RELATED_DEFAULTS,
}


def link_departments(generators: list[Any]) -> None:
    """Connect departments to each other and to the items that reference them."""
    context = generators[0].context
    by_slug = context.get("departments_by_slug", {})
    for department in by_slug.values():
        department.children, department.news, department.acts = [], [], []
        department.announcements, department.answers = [], []
    for department in context.get("departments", []):
        parent = by_slug.get(getattr(department, "parent", None) or "")
        department.parent_department = parent
        if parent is not None:
            parent.children.append(department)
    for key, attribute, field in (
        ("news", "news", "department"),
        ("legal_acts", "acts", "issuer"),
        ("announcements", "announcements", "department"),
        ("answers", "answers", "department"),
    ):
        for item in context.get(key, []):
            department = by_slug.get(getattr(item, field, None) or "")
            item.department_obj = department
            if department is not None:
                getattr(department, attribute).append(item)
    for item in context.get("withdrawn_items", []):  # named on their pages and in feeds, listed nowhere
        item.department_obj = by_slug.get(getattr(item, "department", None) or getattr(item, "issuer", None) or "")
    context["top_departments"] = [d for d in context.get("departments", []) if d.parent_department is None]
    link_related(context, generators[0].settings)  # what item pages show beside their text (.related)


def directory(departments: list[Any], base: str) -> dict[str, Any]:
    """Return the machine-readable directory of departments (``departments/index.json``)."""
    return {
        "version": DIRECTORY_VERSION,
        "departments": [
            {
                "slug": department.slug,
                "title": department.title,
                "url": f"{base}/{department.url}",
                "feed": f"{department.url}rss.xml",
                "parent": department.parent_department.slug if department.parent_department else None,
                "accounts": [
                    {"network": a["network"], "id": posting_id(a), "url": a["url"]}
                    for a in getattr(department, "social", None) or []
                ],
            }
            for department in departments
        ],
    }


class DepartmentsGenerator(ListingGenerator):
    """Write the department directory, its data file and each department's news archive."""

    def generate_output(self, writer: Any) -> None:
        """Write /departments/, /departments/index.json and /departments/<slug>/news/."""
        folder = self.settings["RATUSHA_SECTIONS"]["department"].url
        self.write_page(writer, folder, "departments")
        data = directory(self.context.get("departments", []), public_url(self.settings))
        self.write_data(f"{folder}index.json", (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())
        for department in self.context.get("departments", []):
            if department.news:
                self.write_page(
                    writer,
                    f"{department.url}news/",
                    "department_news",
                    items=department.news,
                    department=department,
                )


def get_generators(pelican: Any) -> type[DepartmentsGenerator]:
    """Add the departments' list pages."""
    return DepartmentsGenerator


def register() -> None:
    """Link departments once every generator has read its content."""
    signals.all_generators_finalized.connect(link_departments)
    signals.get_generators.connect(get_generators)
