"""The legal acts registry: links between acts, facets, ELI identifiers.

Every act knows what it amends and repeals and, the other way, what amended and
repealed it. The registry ``/documents/`` lists all acts, newest adopted first, and can
be browsed without JavaScript by type (``/documents/type/postanovlenie/``), year
(``/documents/year/2026/``), legal status (``/documents/status/dejstvuet/``) and issuer
(``/documents/issuer/<department>/``); each list is paginated as ``…/page/2/``. With
JavaScript the filters combine, from ``/documents/registry.json`` (:mod:`.registry`).

Each act also gets an identifier in the style of the European Legislation Identifier,
``/eli/{issuer}/{type}/{yyyy}/{mm}/{dd}/{number}/``, used in its structured data; each of
its texts (the ELI "expression") adds the date it applies from, ``…/{number}/2026-03-01/``.
Its versions, publication and loss of force are linked by :mod:`.versions`; the page of each
version and the comparison of consecutive versions are written here.

Settings: PAGINATED_TEMPLATES["legal_acts"] (acts per registry page).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pelican import signals

from ratusha.core.acts import ACT_STATUSES, ACT_TYPES
from ratusha.core.build import Build, build_time
from ratusha.core.listing import ListingGenerator
from ratusha.core.slugs import slugify

from .diff import compare
from .registry import REGISTRY_DATA, registry_data
from .versions import link_life, link_versions

__all__ = ["Facet", "LegalActsGenerator", "eli", "link_acts", "register"]


def eli(act: Any) -> str:
    """Return the act's ELI-style identifier path."""
    adopted = act.adopted
    return (
        f"/eli/{act.issuer}/{slugify(act.act_type)}/{adopted:%Y}/{adopted:%m}/{adopted:%d}/{slugify(str(act.number))}/"
    )


def link_acts(generators: list[Any]) -> None:
    """Resolve amends/repeals to acts and record the reverse links."""
    context = generators[0].context
    context["ACT_STATUSES"] = ACT_STATUSES  # for the templates: each status's colour and meaning
    by_key = context.get("acts_by_key", {})
    for act in by_key.values():
        act.amended_by, act.repealed_by = [], []
        act.eli = eli(act)
    for act in context.get("legal_acts", []):
        act.amends_acts = [by_key[k] for k in getattr(act, "amends", None) or [] if k in by_key]
        act.repeals_acts = [by_key[k] for k in getattr(act, "repeals", None) or [] if k in by_key]
        for target in act.amends_acts:
            target.amended_by.append(act)
        for target in act.repeals_acts:
            target.repealed_by.append(act)
    for act in by_key.values():
        act.amended_by.sort(key=lambda a: a.adopted)
        act.repealed_by.sort(key=lambda a: a.adopted)
    for act in by_key.values():
        link_life(act, by_key)
    today = build_time(generators[0].settings).date()
    for act in by_key.values():
        link_versions(act, today)


@dataclass
class Facet:
    """One way to narrow the registry (e.g. type = постановление) with its count."""

    group: str
    title: str
    url: str
    acts: list[Any]

    @property
    def count(self) -> int:
        """Return how many acts the facet selects."""
        return len(self.acts)


def _facets(acts: list[Any], departments: dict[str, Any], registry: str) -> dict[str, list[Facet]]:
    """Group the acts by type, year, status and issuer, in a stable, useful order."""
    by_type: dict[str, list[Any]] = {t: [] for t in ACT_TYPES}
    by_status: dict[str, list[Any]] = {s: [] for s in ACT_STATUSES}
    by_year: dict[int, list[Any]] = {}
    by_issuer: dict[str, list[Any]] = {}
    for act in acts:
        by_type[act.act_type].append(act)
        by_status[act.act_status].append(act)
        by_year.setdefault(act.adopted.year, []).append(act)
        by_issuer.setdefault(act.issuer, []).append(act)
    issuers = Counter({slug: len(items) for slug, items in by_issuer.items()})
    return {
        "type": [Facet("type", t, f"{registry}type/{slugify(t)}/", a) for t, a in by_type.items() if a],
        "year": [Facet("year", str(y), f"{registry}year/{y}/", by_year[y]) for y in sorted(by_year, reverse=True)],
        "status": [Facet("status", s, f"{registry}status/{slugify(s)}/", a) for s, a in by_status.items() if a],
        "issuer": [
            Facet(
                "issuer",
                departments[slug].title if slug in departments else slug,
                f"{registry}issuer/{slug}/",
                by_issuer[slug],
            )
            for slug, _ in issuers.most_common()
        ],
    }


class LegalActsGenerator(ListingGenerator):
    """Write the registry and one list per facet."""

    def generate_output(self, writer: Any) -> None:
        """Write /documents/ and one page per facet."""
        acts = sorted(self.context.get("legal_acts", []), key=lambda a: (a.adopted, a.act_key), reverse=True)
        registry = self.settings["RATUSHA_SECTIONS"]["legal_act"].url
        facets = _facets(acts, self.context.get("departments_by_slug", {}), registry)
        self.context["act_facets"] = facets
        self.write_page(writer, registry, "legal_acts", items=acts, facet=None, facets=facets)
        # What the browser combines the filters from (.registry), written with the registry.
        self.write_data(f"{registry}{REGISTRY_DATA}", registry_data(acts, facets, ACT_STATUSES))
        for group in facets.values():
            for facet in group:
                self.write_page(writer, facet.url, "legal_acts", items=facet.acts, facet=facet, facets=facets)
        for act in acts:
            self.write_versions(writer, act)

    def write_versions(self, writer: Any, act: Any) -> None:
        """Write the page of each version of an act with versions, and each comparison."""
        versions = getattr(act, "versions", [])
        if len(versions) < 2:  # the original alone: the act's own page is its text
            return
        build = Build.of(self.context)
        reuse = build.fingerprints
        for before, version in zip([None, *versions], versions, strict=False):
            pages = [(version.url, "act_version", {})]
            if before is not None:
                pages.append((version.diff_url, "act_diff", {"before": before}))
            for url, template, extra in pages:
                save_as = f"{url}index.html"
                if reuse is not None and reuse.reuse_file(save_as, self.output_path, [act], template, url):
                    # Tell the plugins that follow written pages (the sitemap), as the writer would.
                    written = {"output_file": save_as, build.CONTEXT_KEY: build}
                    signals.content_written.send(os.path.join(self.output_path, save_as), context=written)
                    continue
                if before is not None and template == "act_diff":
                    extra["changes"] = compare(before.content, version.content)
                writer.write_file(
                    save_as,
                    self.get_template(template),
                    self.context,
                    act=act,
                    version=version,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    url=url,
                    page_name=url.rstrip("/"),
                    **extra,
                )


def get_generators(pelican: Any) -> type[LegalActsGenerator]:
    """Add the registry pages."""
    return LegalActsGenerator


def register() -> None:
    """Link acts once all content is read; write the registry with the other pages."""
    signals.all_generators_finalized.connect(link_acts)
    signals.get_generators.connect(get_generators)
