"""The public council information (/ratsinfo/): what a citizen sees without logging in."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from rathaus.council.models import AgendaItem, Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_town")]


def url(name, *args):
    return reverse(f"council_public:{name}", args=args)


def test_the_start_page_shows_the_next_meetings_and_the_released_papers(client, council_world):
    w = council_world
    page = client.get(url("home")).content.decode()
    assert url("meeting", w.upcoming.uuid) in page
    assert url("meeting", w.planned.uuid) in page
    assert url("meeting", w.past.uuid) not in page  # past
    assert w.public_paper.name in page
    assert w.unreleased_paper.name not in page
    for name in ("calendar", "bodies", "persons", "search", "feed"):
        assert url(name) in page


def test_the_calendar_lists_a_months_meetings_with_the_months_around(client, council_world):
    w = council_world
    month = timezone.localtime(w.upcoming.start).strftime("%Y-%m")
    page = client.get(url("calendar"), {"monat": month}).content.decode()
    assert url("meeting", w.upcoming.uuid) in page
    assert "Ratssaal" in page
    first = timezone.localtime(w.upcoming.start).date().replace(day=1)
    before = (first - timedelta(days=1)).strftime("%Y-%m")
    assert f"?monat={before}" in page


def test_a_wrong_month_is_explained_in_german_not_a_server_error(client, council_world):
    for wrong in ("2026-13", "Dezember", "99999-01"):
        response = client.get(url("calendar"), {"monat": wrong})
        assert response.status_code == 200
        assert "Monat" in response.content.decode()


def test_a_cancelled_meeting_is_marked(client, council_world):
    w = council_world
    Meeting.objects.filter(pk=w.planned.pk).update(cancelled=True)
    page = client.get(url("upcoming")).content.decode()
    assert "council-meetings__item--cancelled" in page
    assert pgettext("meeting", "Cancelled") in page


def test_the_meeting_page_shows_a_non_public_item_as_its_number_only(client, council_world):
    w = council_world
    response = client.get(url("meeting", w.upcoming.uuid))
    page = response.content.decode()
    assert w.public_item.name in page
    assert url("paper", w.public_paper.uuid) in page
    assert '<span class="council-agenda__closed">' + gettext("not public") in page
    assert w.secret_item.name not in page
    assert w.secret_paper.reference not in page
    assert url("paper", w.secret_paper.uuid) not in page
    # The invitation is public with the agenda.
    [invitation] = w.upcoming.files.all()
    assert url("file", invitation.uuid) in page


def test_an_agenda_not_yet_published_is_not_shown(client, council_world):
    w = council_world
    page = client.get(url("meeting", w.planned.uuid)).content.decode()
    assert w.unreleased_paper.name not in page
    assert gettext("The agenda is published with the invitation, usually a week before the "
                   "meeting.") in page


def test_a_held_meetings_results_and_public_minutes_are_shown(client, council_world):
    w = council_world
    AgendaItem.objects.create(
        meeting=w.past, number="2", position=2, name="Haushaltssatzung 2026",
        result=AgendaItem.Result.DECIDED, votes_for=20, votes_against=3,
        votes_abstaining=1, resolution_text="Der Rat beschließt die Haushaltssatzung.")
    page = client.get(url("meeting", w.past.uuid)).content.decode()
    assert "Der Rat beschließt die Haushaltssatzung." in page
    assert gettext("%(yes)s yes, %(no)s no, %(abstaining)s abstentions") % {
        "yes": 20, "no": 3, "abstaining": 1} in page
    minutes = w.past.files.get(role="minutes")
    assert url("file", minutes.uuid) in page
    secret_minutes = w.past.files.get(role="nonpublic_minutes")
    assert url("file", secret_minutes.uuid) not in page
    assert client.get(url("file", secret_minutes.uuid)).status_code == 404


def test_the_paper_page_shows_its_files_and_consultations(client, council_world):
    w = council_world
    page = client.get(url("paper", w.public_paper.uuid)).content.decode()
    assert w.public_paper.reference in page
    [main] = w.public_paper.files.all()
    assert url("file", main.uuid) in page
    assert url("meeting", w.upcoming.uuid) in page
    download = client.get(url("file", main.uuid))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_non_public_or_unreleased_paper_is_the_same_404_as_an_unknown_one(
        client, council_world):
    w = council_world
    unknown_uuid = uuid.uuid4()
    unknown = client.get(url("paper", unknown_uuid))
    assert unknown.status_code == 404
    for paper in (w.secret_paper, w.unreleased_paper):
        response = client.get(url("paper", paper.uuid))
        assert response.status_code == 404
        # The same page, its own address (in the language switch) aside.
        assert (response.content.decode().replace(str(paper.uuid), "…")
                == unknown.content.decode().replace(str(unknown_uuid), "…"))
        [file] = paper.files.all()
        assert client.get(url("file", file.uuid)).status_code == 404


def test_bodies_persons_and_party_groups(client, council_world):
    w = council_world
    page = client.get(url("bodies")).content.decode()
    assert w.council.name in page and w.committee.name in page
    assert "Fraktion Grüne Mitte" in page
    body = client.get(url("body", w.committee.pk)).content.decode()
    assert "Clara Rat" in body and "Vorsitzende" in body and "Fraktion Grüne Mitte" in body
    assert url("meeting", w.planned.uuid) in body
    people = client.get(url("persons")).content.decode()
    assert people.index("Komitee, Kurt") < people.index("Mayor, Dr. Mara") < people.index(
        "Rat, Clara")
    person = client.get(url("person", w.clara.pk)).content.decode()
    assert w.council.name in person and w.committee.name in person


def test_the_pages_need_a_council_information_of_the_authority(client, district):
    response = client.get(url("home"), HTTP_HOST="rbk.localhost")
    assert response.status_code == 404


def test_the_portal_links_the_council_information_where_there_is_one(client, council_world):
    assert url("home") in client.get("/").content.decode()


def test_the_portal_has_no_link_without_council_information(client, town):
    assert url("home") not in client.get("/").content.decode()
