"""Who opens the councillors' reading room: members of a body, logged in with two
factors; everyone else is sent to the login, told how, or gets a 404."""

import json

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.council.models import Person
from tests.factories import make_citizen, office_client

from .conftest import SECRET_WORDS
from .reading import HOME, de, file_url, meeting_url, member_client, paper_url

pytestmark = pytest.mark.django_db


def _secret_file(world):
    with authority_context(world.authority):
        return world.secret_paper.files.get()


def _pages(world):
    return [HOME, meeting_url(world.upcoming), paper_url(world.secret_paper),
            file_url(_secret_file(world)), f"{meeting_url(world.upcoming)}offline.json"]


def test_a_member_with_two_factors_reads_the_full_agenda_and_the_non_public_paper(council_world):
    client = member_client(council_world.councillor, council_world.councillor_device)
    home = client.get(HOME)
    assert home.status_code == 200
    assert de("My meetings") in home.content.decode()
    assert meeting_url(council_world.upcoming) in home.content.decode()
    assert meeting_url(council_world.planned) in home.content.decode()  # her committee

    page = client.get(meeting_url(council_world.upcoming)).content.decode()
    assert SECRET_WORDS[0] in page and de("not public – confidential") in page
    assert paper_url(council_world.secret_paper) in page
    assert "Einladung" in page  # the invitation sent to the members

    paper = client.get(paper_url(council_world.secret_paper))
    assert paper.status_code == 200
    assert de("not public – confidential") in paper.content.decode()
    assert "private" in paper["Cache-Control"] and "no-store" in paper["Cache-Control"]

    pdf = client.get(file_url(_secret_file(council_world)))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]


def test_nobody_logged_in_is_sent_to_the_portal_login(council_world, client):
    for url in _pages(council_world):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/anmelden/?next=")


def test_a_member_without_the_second_factor_is_told_how_to_open_the_reading_room(council_world):
    user = make_citizen("mara.mayor@example.org")
    with authority_context(council_world.authority):
        Person.objects.filter(family_name="Mayor").update(user=user)
    client = member_client(user)  # no TOTP device: password only
    for url in _pages(council_world):
        response = client.get(url)
        assert response.status_code == 403, url
        text = response.content.decode()
        assert de("The reading room needs a login with two factors") in text
        assert "/konto/zwei-faktor/" in text
        assert SECRET_WORDS[0] not in text


def test_a_citizen_who_is_no_member_gets_404(council_world):
    client = member_client(make_citizen("someone@example.org"))
    for url in _pages(council_world):
        assert client.get(url).status_code == 404, url


def test_staff_gets_404_the_sitzungsdienst_included(council_world):
    client = office_client(council_world.clerk, council_world.clerk_device)
    for url in _pages(council_world):
        assert client.get(url).status_code == 404, url


def test_a_committee_member_cannot_open_the_councils_meeting_or_its_non_public_paper(
        council_world, committee_member):
    client = member_client(committee_member.user, committee_member.device)
    home = client.get(HOME).content.decode()
    assert meeting_url(council_world.planned) in home
    assert meeting_url(council_world.upcoming) not in home
    for url in _pages(council_world)[1:]:
        assert client.get(url).status_code == 404, url
    # The committee's planned meeting: no agenda yet, its paper not released.
    planned = client.get(meeting_url(council_world.planned)).content.decode()
    assert "Antrag Radweg Unterberg" not in planned
    assert client.get(paper_url(council_world.unreleased_paper)).status_code == 404


def test_the_offline_list_names_only_what_the_member_may_read(council_world, committee_member):
    client = member_client(council_world.councillor, council_world.councillor_device)
    listed = client.get(f"{meeting_url(council_world.upcoming)}offline.json").json()
    with authority_context(council_world.authority):
        expected = {HOME, meeting_url(council_world.upcoming),
                    paper_url(council_world.public_paper), paper_url(council_world.secret_paper),
                    *(file_url(f) for f in council_world.public_paper.files.all()),
                    *(file_url(f) for f in council_world.secret_paper.files.all()),
                    *(file_url(f) for f in council_world.upcoming.files.all())}
    assert set(listed["urls"]) == expected
    for url in listed["urls"]:
        assert client.get(url).status_code == 200, url

    planned = client.get(f"{meeting_url(council_world.planned)}offline.json").json()
    assert paper_url(council_world.unreleased_paper) not in planned["urls"]

    kurt = member_client(committee_member.user, committee_member.device)
    assert kurt.get(f"{meeting_url(council_world.upcoming)}offline.json").status_code == 404


def test_the_installable_app_has_a_manifest_and_a_worker_for_the_reading_room(town, client):
    manifest = json.loads(client.get(f"{HOME}manifest.webmanifest").content)
    assert manifest["scope"] == HOME and manifest["start_url"] == HOME
    worker = client.get(f"{HOME}sw.js")
    assert worker["Service-Worker-Allowed"] == HOME
    assert b"READING_CONFIG" in worker.content
    assert client.get(f"{HOME}icon-192.png")["Content-Type"] == "image/png"
