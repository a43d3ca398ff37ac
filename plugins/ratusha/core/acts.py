"""Legal acts' kinds and legal statuses: one table that schema, registry, pages and JSON-LD read."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACT_STATUSES", "ACT_TYPES", "IN_FORCE", "NORMATIVE_TYPES", "VERSION_FILES", "ActStatus"]

ACT_TYPES = ("постановление", "распоряжение", "решение", "приказ", "регламент", "программа")
#: Kinds that are normative unless the act says ``normative: false`` (распоряжения and
#: приказы are usually individual acts on the administration's own work).
NORMATIVE_TYPES = frozenset({"постановление", "решение", "регламент"})
#: A consolidated version («редакция») of an act: a file beside it, ``<act file>.<YYYY-MM-DD>.md``.
#: Pelican's IGNORE_FILES takes it, so that the content model does not read it as an act.
VERSION_FILES = "*.[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].md"


@dataclass(frozen=True)
class ActStatus:
    """A legal status: what it means for residents, the page and search engines."""

    name: str
    modifier: str  # the status badge's CSS modifier (r-act-status--<modifier>)
    in_force: bool  # the act applies now
    ended: bool  # it no longer applies for good (the page warns, the registry says so)
    legal_force: str  # schema.org LegalForceStatus


#: The statuses in the order the registry lists them.
ACT_STATUSES: dict[str, ActStatus] = {
    status.name: status
    for status in (
        ActStatus("действует", "active", True, False, "https://schema.org/InForce"),
        ActStatus("утратил силу", "inactive", False, True, "https://schema.org/NotInForce"),
        ActStatus("проект", "draft", False, False, "https://schema.org/NotInForce"),
        ActStatus("приостановлен", "suspended", False, False, "https://schema.org/NotInForce"),
        ActStatus("отменён судом", "inactive", False, True, "https://schema.org/NotInForce"),
    )
}
#: The status of an act in force.
IN_FORCE = "действует"
