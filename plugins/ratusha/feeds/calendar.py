"""Announcements as iCalendar (RFC 5545), importable into a phone's calendar.

Times keep the municipality's zone (DTSTART;TZID=Asia/Omsk) with a VTIMEZONE, and
DTSTAMP is the item's own date, not the build time, so the files are reproducible.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

import icalendar

#: VTIMEZONE rules are written from this date on, which keeps the files small.
ZONE_HISTORY_FROM = datetime.date(2020, 1, 1)


@functools.cache
def _vtimezone(tzid: str) -> icalendar.Timezone | None:
    """Return the VTIMEZONE of ``tzid``, computed once per build, not once per event file.

    Computing it walks every transition of the zone (~20 ms); with one .ics per
    announcement that was 30 s of a 10,000-item build (bench/PROFILE.md).
    """
    try:
        return icalendar.Timezone.from_tzid(tzid, first_date=ZONE_HISTORY_FROM)
    except ValueError:  # unknown zone: add_missing_timezones skips it too
        return None


def calendar_bytes(events: list[Any], municipality: dict[str, Any], site_url: str) -> bytes:
    """Return an iCalendar file with ``events`` (announcements)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Ratusha//Municipal portal//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{municipality['short_name']}: анонсы мероприятий")
    calendar.add("x-wr-timezone", municipality["timezone"])
    host = site_url.split("://", 1)[-1].split("/", 1)[0]
    for item in sorted(events, key=lambda e: (e.starts, e.guid)):
        event = icalendar.Event()
        event.add("uid", f"{item.guid}@{host}")
        event.add("dtstamp", (getattr(item, "modified", None) or item.date).astimezone(datetime.UTC))
        event.add("dtstart", item.starts)
        if getattr(item, "ends", None):
            event.add("dtend", item.ends)
        event.add("summary", item.title)
        event.add("location", item.place)
        event.add("description", item.summary_text)
        event.add("url", f"{site_url}/{item.url}")
        calendar.add_component(event)
    # What calendar.add_missing_timezones() does, with the VTIMEZONE computed once.
    timezones = [_vtimezone(tzid) for tzid in sorted(calendar.get_missing_tzids())]
    calendar.subcomponents[0:0] = [tz for tz in timezones if tz is not None]
    return calendar.to_ical()
