"""The registry of structural organisations: hierarchy, their content, their pages.

Links every department to its parent and children and to the news, acts, announcements
and answers that name it, then writes the directory ``/departments/`` and, per
department, a paginated list of its news at ``/departments/<slug>/news/``. The department
page itself is written by the content model with the ``department`` template.

Settings: ``DEFAULTS`` below, and PAGINATED_TEMPLATES["department_news"].
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from ratusha.core.listing import ListingGenerator
from ratusha.core.settings import Setting

__all__ = ["DEFAULTS", "DepartmentsGenerator", "link_departments", "register"]


DEFAULTS = {"RATUSHA_DEPARTMENT_LATEST": Setting(5, "items of each kind on a department's page")}


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
    context["top_departments"] = [d for d in context.get("departments", []) if d.parent_department is None]


class DepartmentsGenerator(ListingGenerator):
    """Write the department directory and each department's news archive."""

    def generate_output(self, writer: Any) -> None:
        """Write /departments/ and /departments/<slug>/news/."""
        self.write_page(writer, self.settings["RATUSHA_SECTIONS"]["department"].url, "departments")
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
