"""The meetings as iCalendar (RFC 5545): /ratsinfo/sitzungen.ics and per body."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from rathaus.council import calendar_feed
from rathaus.council.models import Location, Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_town")]


def unfolded(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", ""), "lines end in CRLF"
    return text.replace("\r\n ", "").split("\r\n")


def events(text: str) -> dict[str, dict[str, str]]:
    found, current = {}, None
    for line in unfolded(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found[current["UID"]] = current
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def test_the_feed_has_each_public_meeting_with_a_stable_uid(client, council_world):
    w = council_world
    response = client.get(reverse("council_public:feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    found = events(text)
    assert set(found) == {str(m.uuid) for m in (w.past, w.upcoming, w.planned)}
    upcoming = found[str(w.upcoming.uuid)]
    assert upcoming["DTSTART"] == w.upcoming.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert upcoming["SUMMARY"] == "Sitzung des Rates"
    assert upcoming["LOCATION"] == "Ratssaal\\, Am Büscherhof 1\\, 42799 Leichlingen"
    assert upcoming["URL"] == "http://testserver" + reverse("council_public:meeting",
                                                            args=[w.upcoming.uuid])
    assert upcoming["STATUS"] == "CONFIRMED"
    assert "DTEND" in found[str(w.past.uuid)]
    # The same UID on the next fetch: calendars update the event, not add another.
    assert set(events(client.get(reverse("council_public:feed")).content.decode())) == set(found)


def test_a_cancelled_meeting_is_cancelled_in_the_feed(client, council_world):
    w = council_world
    Meeting.objects.filter(pk=w.upcoming.pk).update(cancelled=True)
    found = events(client.get(reverse("council_public:feed")).content.decode())
    assert found[str(w.upcoming.uuid)]["STATUS"] == "CANCELLED"


def test_a_bodys_feed_has_its_meetings_only(client, council_world):
    w = council_world
    text = client.get(reverse("council_public:body_feed", args=[w.committee.pk])).content
    assert set(events(text.decode())) == {str(w.planned.uuid)}
    group = w.clara.memberships.get(organization__kind="party_group").organization
    assert client.get(reverse("council_public:body_feed", args=[group.pk])).status_code == 404


def test_a_deleted_meeting_leaves_the_feed(client, council_world):
    w = council_world
    Meeting.objects.filter(pk=w.planned.pk).update(deleted=True)
    found = events(client.get(reverse("council_public:feed")).content.decode())
    assert str(w.planned.uuid) not in found


def test_text_is_escaped_and_long_lines_folded_at_75_octets_between_characters(council_world):
    w = council_world
    hall = Location.objects.create(description="Saal; Ebene 2, Flügel \\ Nord\nHinterhaus",
                                   room="Ü" * 60)
    meeting = Meeting(name="Sitzung " + "Ä" * 80, organization=w.council, location=hall,
                      start=datetime(2026, 12, 3, 17, 0, tzinfo=UTC))
    text = calendar_feed.calendar(meetings=[meeting], name="Rat", url_of=lambda m: "https://x/")
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
        line.encode().decode("utf-8")  # no character cut in two
    [event] = events(text).values()
    assert event["SUMMARY"] == "Sitzung " + "Ä" * 80
    assert event["LOCATION"].startswith("Saal\\; Ebene 2\\, Flügel \\\\ Nord\\nHinterhaus\\, ")
    assert event["DTSTART"] == "20261203T170000Z"
    assert "DTEND" not in event
