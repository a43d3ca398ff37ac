"""The portal's list pages: home, news, announcements, "Глава в ответе", 404.

- ``/``: latest news, upcoming announcements, latest acts and answers, departments and
  the official social accounts;
- ``/news/``: all news, newest first, paginated;
- ``/announcements/``: upcoming events, soonest first; ``/announcements/archive/`` the
  past ones, archived automatically once they have ended (by the build time);
- ``/glava-v-otvete/``: the column, one weekly issue after another, paginated by issue;
- ``/404.html``: the page the web server shows for a missing address.

Also for every page: ``urgent_items``, the news and announcements marked ``urgent: true``
whose ``urgent_until`` has not passed at build time (shown as a banner on every page; a
site with urgent items should be rebuilt by cron so that the banner goes when it ends),
and for the home page ``home_news``, pinned news (``pinned: true``) first.

Settings: ``DEFAULTS`` below, and PAGINATED_TEMPLATES["news_index" |
"announcements_archive" | "answers"].
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from pelican import signals

from ratusha.core.build import Build
from ratusha.core.listing import ListingGenerator
from ratusha.core.settings import Setting

__all__ = ["DEFAULTS", "ListingsGenerator", "WeeklyIssue", "register", "split_announcements", "weekly_issues"]


DEFAULTS = {"RATUSHA_HOME_LATEST": Setting(6, "news on the home page")}


@dataclass
class WeeklyIssue:
    """One week of "Глава в ответе": the Monday it starts and its answers."""

    monday: datetime.date
    answers: list[Any] = field(default_factory=list)

    @property
    def sunday(self) -> datetime.date:
        """Return the last day of the issue's week."""
        return self.monday + datetime.timedelta(days=6)

    @property
    def anchor(self) -> str:
        """Return a stable fragment id for the issue, e.g. vypusk-2026-47."""
        year, week, _ = self.monday.isocalendar()
        return f"vypusk-{year}-{week:02d}"


def weekly_issues(answers: list[Any]) -> list[WeeklyIssue]:
    """Group answers (newest first) into weekly issues, newest issue first."""
    issues: dict[datetime.date, WeeklyIssue] = {}
    for answer in answers:
        day = answer.date.date()
        monday = day - datetime.timedelta(days=day.weekday())
        issues.setdefault(monday, WeeklyIssue(monday)).answers.append(answer)
    return [issues[m] for m in sorted(issues, reverse=True)]


def split_announcements(announcements: list[Any], now: datetime.datetime) -> tuple[list[Any], list[Any]]:
    """Return (upcoming soonest first, past most recent first) as of ``now``."""
    upcoming, past = [], []
    for event in announcements:
        end = getattr(event, "ends", None) or event.starts
        (past if end < now else upcoming).append(event)
    upcoming.sort(key=lambda e: e.starts)
    past.sort(key=lambda e: e.starts, reverse=True)
    return upcoming, past


def prepare(generators: list[Any]) -> None:
    """Work out what the list pages and the home page show."""
    context = generators[0].context
    build = Build.of(context)
    upcoming, past = split_announcements(context.get("announcements", []), build.now)
    context["upcoming_announcements"] = upcoming
    context["past_announcements"] = past
    context["answer_issues"] = weekly_issues(context.get("answers", []))
    now = build.now
    promoted = [*context.get("news", []), *context.get("announcements", [])]
    context["urgent_items"] = sorted(
        (i for i in promoted if getattr(i, "urgent", False) is True and i.urgent_until > now),
        key=lambda i: i.date,
        reverse=True,
    )
    build.every_page_shows("urgent", context["urgent_items"])
    news = context.get("news", [])
    context["home_news"] = [i for i in news if getattr(i, "pinned", False) is True] + [
        i for i in news if getattr(i, "pinned", False) is not True
    ]


class ListingsGenerator(ListingGenerator):
    """Write the home page and the section lists."""

    def generate_output(self, writer: Any) -> None:
        """Write the home page, the lists and the 404 page."""
        context = self.context
        sections = self.settings["RATUSHA_SECTIONS"]
        events = sections["announcement"].url
        self.write_page(writer, "", "index")
        self.write_page(writer, sections["news"].url, "news_index", items=context.get("news", []))
        self.write_page(writer, events, "announcements")
        self.write_page(writer, f"{events}archive/", "announcements_archive", items=context["past_announcements"])
        self.write_page(writer, sections["answer"].url, "answers", items=context["answer_issues"])
        self.write_page(writer, "search/", "search")
        writer.write_file(
            "404.html",
            self.get_template("404"),
            context,
            relative_urls=False,
            page_name="404",
            page_url="404.html",
        )


def get_generators(pelican: Any) -> type[ListingsGenerator]:
    """Add the list pages."""
    return ListingsGenerator


def register() -> None:
    """Prepare the lists once all content is read, write them with the other pages."""
    signals.all_generators_finalized.connect(prepare)
    signals.get_generators.connect(get_generators)
