"""The meetings as an iCalendar feed (RFC 5545), for the calendar apps of citizens and
the press. Written with the standard library: a feed of VEVENTs needs only the text
escaping (3.3.11) and the line folding at 75 octets (3.1), both here.

Each meeting's UID is its uuid, so a subscribed calendar updates the same event when
a meeting moves or is cancelled (STATUS:CANCELLED). Times are written in UTC, which
every client shows in its own zone.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext

from .models import Meeting

PRODID = "-//Rathaus//Ratsinformation//DE"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """The content line folded after at most 75 octets, never inside a UTF-8 character;
    each continuation starts with a space."""
    parts, current, size = [], [], 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not parts else MAX_OCTETS - 1  # the continuation's space
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _place(meeting: Meeting) -> str:
    location = meeting.location
    if location is None:
        return ""
    town = " ".join(filter(None, [location.postal_code, location.locality]))
    return ", ".join(filter(None, [location.description, location.room,
                                   location.street_address, town]))


def event(meeting: Meeting, *, url: str, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uuid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(meeting.modified_at)}",
        f"DTSTART:{_utc(meeting.start)}",
    ]
    if meeting.end is not None and meeting.end > meeting.start:
        lines.append(f"DTEND:{_utc(meeting.end)}")
    lines.append(f"SUMMARY:{escape_text(_summary(meeting))}")
    place = _place(meeting)
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    lines.append(f"URL:{url}")
    lines.append(f"DESCRIPTION:{escape_text(url)}")
    lines.append("STATUS:CANCELLED" if meeting.cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def _summary(meeting: Meeting) -> str:
    summary = meeting.name or str(meeting.organization)
    return gettext("Cancelled: %(meeting)s") % {"meeting": summary} if meeting.cancelled \
        else summary


def calendar(*, meetings: Iterable[Meeting], name: str,
             url_of: Callable[[Meeting], str]) -> str:
    """The feed of `meetings` (public ones: the caller reads them through visibility),
    each with the URL of its public page."""
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}",
             "X-WR-TIMEZONE:Europe/Berlin"]
    for meeting in meetings:
        lines += event(meeting, url=url_of(meeting), stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
