"""schema.org JSON-LD, Open Graph and canonical URLs for every page.

Search engines show rich results (news, events, Q&A, legislation) only from structured
data, and VK and Telegram build link previews from Open Graph tags; both need absolute
URLs, so everything here is built against the municipality's ``site_url`` even when the
site is previewed locally.

Template globals:
    ``jsonld(item)``: the JSON-LD object of an item (NewsArticle, Legislation, Event,
        QAPage, GovernmentOrganization), or of the municipality with ``jsonld(None)``;
    ``breadcrumbs_jsonld(crumbs)``: a BreadcrumbList for the page's breadcrumbs;
    ``absolute_url(path)``: ``path`` made absolute against the site's public address.
Filter:
    ``json_script``: JSON safe to place inside <script type="application/ld+json">.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup
from pelican import signals

from ratusha.core.acts import ACT_STATUSES
from ratusha.core.site import public_url

__all__ = ["JsonLd", "json_script", "register"]


def json_script(value: Any) -> Markup:
    """Serialise ``value`` for a <script> element: '<', '>' and '&' are escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=None, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class JsonLd:
    """Builds the JSON-LD objects of one site."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.municipality = context["MUNICIPALITY"]
        self.base = public_url(context)

    def absolute_url(self, path: str) -> str:
        """Return ``path`` (site-relative, with or without a leading slash) as an absolute URL."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base}/{path.lstrip('/')}"

    def organisation(self, department: Any | None = None, full: bool = False) -> dict[str, Any]:
        """Return the municipality, or one of its departments, as GovernmentOrganization."""
        if department is None:
            m = self.municipality
            data: dict[str, Any] = {"@type": "GovernmentOrganization", "@id": f"{self.base}/#organization"}
            data["name"] = m["name"]
            data["url"] = f"{self.base}/"
            if full:
                contacts = m["contacts"]
                data.update(
                    {
                        "address": {
                            "@type": "PostalAddress",
                            "streetAddress": contacts["address"],
                            "addressRegion": m["region"],
                        },
                        "telephone": contacts["phone"],
                        "email": contacts["email"],
                        "areaServed": {"@type": "AdministrativeArea", "name": m["short_name"]},
                        "sameAs": [account["url"] for account in m.get("social", [])],
                    }
                )
                if m.get("coat_of_arms"):
                    data["logo"] = self.absolute_url(m["coat_of_arms"])
            return data
        data = {"@type": "GovernmentOrganization", "@id": self.absolute_url(department.url) + "#organization"}
        data["name"] = department.title
        data["url"] = self.absolute_url(department.url)
        if full:
            contacts = getattr(department, "contacts", None) or {}
            if contacts.get("address"):
                data["address"] = {"@type": "PostalAddress", "streetAddress": contacts["address"]}
            if contacts.get("phone"):
                data["telephone"] = contacts["phone"]
            if contacts.get("email"):
                data["email"] = contacts["email"]
            if contacts.get("hours"):
                data["hoursAvailable"] = contacts["hours"]
            head = getattr(department, "head", None) or {}
            if head.get("name"):
                data["employee"] = {"@type": "Person", "name": head["name"], "jobTitle": head.get("position", "")}
            parent = getattr(department, "parent_department", None)
            data["parentOrganization"] = self.organisation(parent) if parent else self.organisation()
        return data

    def __call__(self, item: Any | None) -> dict[str, Any]:
        """Return the JSON-LD object for ``item`` (None for the home page)."""
        if item is None:
            return {"@context": "https://schema.org", **self.organisation(full=True)}
        builder = getattr(self, f"_{item.type_name}", None)
        data = (
            builder(item) if builder else {"@type": "WebPage", "name": item.title, "url": self.absolute_url(item.url)}
        )
        return {"@context": "https://schema.org", **data}

    def _common(self, item: Any, kind: str) -> dict[str, Any]:
        data: dict[str, Any] = {"@type": kind, "url": self.absolute_url(item.url), "inLanguage": "ru"}
        if getattr(item, "date", None):
            data["datePublished"] = item.date.isoformat()
            data["dateModified"] = (getattr(item, "modified", None) or item.date).isoformat()
        image = getattr(item, "image", None)
        if image is not None:
            data["image"] = {
                "@type": "ImageObject",
                "url": self.absolute_url(image.url),
                "width": image.width,
                "height": image.height,
            }
        return data

    def _news(self, item: Any) -> dict[str, Any]:
        data = self._common(item, "NewsArticle")
        data["headline"] = item.title[:110]
        data["mainEntityOfPage"] = self.absolute_url(item.url)
        department = getattr(item, "department_obj", None)
        data["author"] = self.organisation(department) if department else self.organisation()
        data["publisher"] = self.organisation(full=False) | (
            {"logo": self.absolute_url(self.municipality["coat_of_arms"])}
            if self.municipality.get("coat_of_arms")
            else {}
        )
        return data

    def _legal_act(self, item: Any) -> dict[str, Any]:
        data = self._common(item, "Legislation")
        data.update(
            {
                "name": item.title,
                "alternateName": item.label,
                "legislationType": item.act_type,
                "legislationIdentifier": self.absolute_url(item.eli),
                "legislationDate": item.adopted.isoformat(),
                "legislationLegalForce": ACT_STATUSES[item.act_status].legal_force,
                "legislationJurisdiction": self.municipality["short_name"],
            }
        )
        department = getattr(item, "department_obj", None)
        data["legislationPassedBy"] = self.organisation(department) if department else self.organisation()
        if item.amends_acts:
            data["legislationAmends"] = [{"@id": self.absolute_url(a.url), "name": a.label} for a in item.amends_acts]
        if item.repeals_acts:
            data["legislationRepeals"] = [{"@id": self.absolute_url(a.url), "name": a.label} for a in item.repeals_acts]
        if item.amended_by:
            data["legislationChangedBy"] = [{"@id": self.absolute_url(a.url), "name": a.label} for a in item.amended_by]
        data["@id"] = self.absolute_url(item.url)
        data.update(self._life(item))
        versions = getattr(item, "versions", None) or []
        if len(versions) > 1:
            data["workExample"] = [self._version_ref(item, v) for v in versions]
        files = getattr(item, "attachments", None) or []
        if files:
            data["encoding"] = [
                {
                    "@type": "MediaObject",
                    "name": f.title,
                    "contentUrl": self.absolute_url(f.url),
                    "encodingFormat": f.mime,
                    "contentSize": str(f.size),
                }
                for f in files
            ]
        return data

    def _life(self, act: Any) -> dict[str, Any]:
        """Return the act's publication, entry into force, register number and loss of force.

        Entry into force is ``legislationDateOfApplicability`` and the period the act
        applies ``temporalCoverage`` ("2026-03-01/.." while in force); the act that repealed
        it is named with JSON-LD's ``@reverse`` of ``legislationRepeals`` (schema.org has no
        "repealed by"), a court decision as a work about the act (``subjectOf``).
        """
        data: dict[str, Any] = {}
        publication = getattr(act, "publication", None)
        if publication is not None:
            if publication.date:
                data["datePublished"] = publication.date.isoformat()
            data["publication"] = {
                "@type": "PublicationEvent",
                "name": ", ".join(p for p in (publication.source, publication.issue) if p),
                **({"startDate": publication.date.isoformat()} if publication.date else {}),
            }
        lost = getattr(act, "lost_force", None)
        starts = getattr(act, "in_force_from", None)
        if starts:
            data["legislationDateOfApplicability"] = starts.isoformat()
        if starts or lost:
            begin = (starts or act.adopted).isoformat()
            data["temporalCoverage"] = f"{begin}/{lost.date.isoformat() if lost else '..'}"
        if getattr(act, "register_number", None):
            data["identifier"] = {
                "@type": "PropertyValue",
                "propertyID": "Федеральный регистр муниципальных нормативных правовых актов",
                "value": act.register_number,
            }
        if lost is not None:
            data["expires"] = lost.date.isoformat()
            if lost.by is not None:
                data["@reverse"] = {
                    "legislationRepeals": {
                        "@type": "Legislation",
                        "@id": self.absolute_url(lost.by.url),
                        "name": lost.by.label,
                    }
                }
            if lost.decision:
                data["subjectOf"] = {"@type": "CreativeWork", "genre": "решение суда", "name": lost.decision}
        return data

    def _version_ref(self, act: Any, version: Any) -> dict[str, Any]:
        return {
            "@type": "Legislation",
            "@id": self.absolute_url(version.url),
            "name": f"{act.label}: {version.label.lower()}",
            "legislationDateVersion": version.date.isoformat(),
            "legislationDateOfApplicability": version.date.isoformat(),
        }

    def act_version(self, act: Any, version: Any) -> dict[str, Any]:
        """Return one text of an act (an ELI expression) as a Legislation, example of the act."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            **self._version_ref(act, version),
            "url": self.absolute_url(version.url),
            "inLanguage": "ru",
            "legislationIdentifier": self.absolute_url(version.eli),
            "legislationType": act.act_type,
            "legislationDate": act.adopted.isoformat(),
            "legislationLegalForce": ACT_STATUSES[act.act_status].legal_force,
            "legislationJurisdiction": self.municipality["short_name"],
            "exampleOfWork": {"@type": "Legislation", "@id": self.absolute_url(act.url), "name": act.label},
            "temporalCoverage": f"{version.date.isoformat()}/{version.until.isoformat() if version.until else '..'}",
        }
        if not version.original:
            # The original text and every amending act taken into account (schema.org's
            # advice for legislationConsolidates).
            previous = act.versions[0]
            data["legislationConsolidates"] = [
                {"@id": self.absolute_url(previous.url), "name": previous.label},
                *({"@id": self.absolute_url(a.url), "name": a.label} for a in version.incorporated),
            ]
        return data

    def _announcement(self, item: Any) -> dict[str, Any]:
        data = self._common(item, "Event")
        data.update(
            {
                "name": item.title,
                "startDate": item.starts.isoformat(),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "eventStatus": "https://schema.org/EventScheduled",
                "location": {"@type": "Place", "name": item.place, "address": item.place},
                "description": item.summary_text,
            }
        )
        if getattr(item, "ends", None):
            data["endDate"] = item.ends.isoformat()
        department = getattr(item, "department_obj", None)
        data["organizer"] = self.organisation(department) if department else self.organisation()
        return data

    def _answer(self, item: Any) -> dict[str, Any]:
        head = self.municipality.get("head") or {}
        asked = getattr(item, "asked_by", None) or {}
        question = {
            "@type": "Question",
            "name": item.title,
            "text": item.question,
            "answerCount": 1,
            "dateCreated": item.date.isoformat(),
            "author": {"@type": "Person", "name": asked.get("name") or "Житель"},
            "acceptedAnswer": {
                "@type": "Answer",
                "text": item.content_text,
                "dateCreated": item.date.isoformat(),
                "url": self.absolute_url(item.url),
                "author": {
                    "@type": "Person",
                    "name": head.get("name") or self.municipality["name"],
                    "jobTitle": head.get("position", ""),
                },
            },
        }
        return {"@type": "QAPage", "url": self.absolute_url(item.url), "inLanguage": "ru", "mainEntity": question}

    def _department(self, item: Any) -> dict[str, Any]:
        return self.organisation(item, full=True)

    def breadcrumbs(self, crumbs: list[dict[str, str]], page_url: str) -> dict[str, Any]:
        """Return a BreadcrumbList; the last crumb (the page itself) gets the page's URL."""
        elements = []
        for position, crumb in enumerate(crumbs, start=1):
            href = crumb.get("href") or page_url
            elements.append(
                {"@type": "ListItem", "position": position, "name": crumb["text"], "item": self.absolute_url(href)}
            )
        return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": elements}


def add_globals(generator: Any) -> None:
    """Expose the builders to templates once the municipality is known."""
    builder = JsonLd(generator.context)
    generator.env.globals.update(
        {
            "jsonld": builder,
            "breadcrumbs_jsonld": builder.breadcrumbs,
            "absolute_url": builder.absolute_url,
            "act_version_jsonld": builder.act_version,
        }
    )
    generator.env.filters["json_script"] = json_script


def register() -> None:
    """Add the template globals to every generator's environment."""
    signals.generator_init.connect(add_globals)
