"""The Sitzungsdienst's pages (/verwaltung/sitzungsdienst/): open to the council's
department only, forms with German errors, a double submit harmless."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from rathaus.authorities.tenancy import authority_context
from rathaus.council import meetings, papers
from rathaus.council.models import AgendaItem, CouncilFile, Meeting, Paper
from rathaus.records.selectors import latest_version
from tests.council.conftest import SECRET_WORDS
from tests.factories import make_department, make_staff, office_client

pytestmark = pytest.mark.django_db
BASE = "/verwaltung/sitzungsdienst/"


@pytest.fixture
def clerk(council_world):
    return office_client(council_world.clerk, council_world.clerk_device)


def _pages(w):
    return ["", "gremien/", f"gremien/{w.council.pk}/", "personen/", f"personen/{w.clara.pk}/",
            "orte-und-wahlperioden/", "sitzungen/", f"sitzungen/{w.upcoming.pk}/",
            f"sitzungen/{w.past.pk}/", f"sitzungen/{w.planned.pk}/", "vorlagen/",
            "vorlagen/neu/", f"vorlagen/{w.public_paper.pk}/", "vorlagen/?q=Turnhalle&year=2026"]


def test_every_page_opens_for_the_sitzungsdienst(council_world, clerk):
    for page in _pages(council_world):
        response = clerk.get(BASE + page)
        assert response.status_code == 200, page


def test_staff_of_another_department_find_nothing(council_world):
    w = council_world
    other, device = make_staff(w.authority, departments=[
        make_department(w.authority, slug="kaemmerei", name="Kämmerei")],
        email="k@leichlingen.example")
    client = office_client(other, device)
    for page in _pages(w):
        assert client.get(BASE + page).status_code == 404, page
    assert client.post(BASE + f"sitzungen/{w.planned.pk}/einladen/").status_code == 404


def test_the_overview_names_the_next_step(council_world, clerk):
    response = clerk.get(BASE)
    assert "Sitzung des Rates" in response.content.decode()


def test_planning_without_a_start_says_what_is_missing(council_world, clerk):
    response = clerk.post(BASE + "sitzungen/", {"meeting-organization": council_world.council.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["start"]


def test_a_meeting_is_planned_and_items_added_once(council_world, clerk):
    w = council_world
    start = timezone.localtime(timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    response = clerk.post(BASE + "sitzungen/", {"meeting-organization": w.council.pk,
                                                "meeting-start": start})
    assert response.status_code == 302
    with authority_context(w.authority):
        meeting = Meeting.objects.get(organization=w.council, state="planned")
    assert meeting.name == "Sitzung des Rat der Stadt Leichlingen"
    url = BASE + f"sitzungen/{meeting.pk}/punkte/"
    data = {"item-name": "Haushalt 2027", "item-public": "1"}
    assert clerk.post(url, data).status_code == 302
    assert clerk.post(url, data).status_code == 302  # a double submit
    with authority_context(w.authority):
        assert AgendaItem.objects.filter(meeting=meeting, deleted=False).count() == 1
    empty = clerk.post(url, {"item-name": "", "item-public": "1"})
    assert empty.status_code == 200 and empty.context["item_form"].errors["name"]


def test_a_late_invitation_is_refused_with_the_last_day(council_world, clerk):
    w = council_world
    with authority_context(w.authority):
        Meeting.objects.filter(pk=w.planned.pk).update(start=timezone.now() + timedelta(days=2))
        w.planned.refresh_from_db()
    response = clerk.post(BASE + f"sitzungen/{w.planned.pk}/einladen/", {})
    assert response.status_code == 200
    last_day = timezone.localtime(w.planned.start).date() - timedelta(days=7)
    assert last_day.strftime("%d.%m.%Y") in str(response.context["invite_form"].non_field_errors())
    response = clerk.post(BASE + f"sitzungen/{w.planned.pk}/einladen/",
                          {"invite-urgency_reason": "Förderantrag bis Freitag"})
    assert response.status_code == 302
    with authority_context(w.authority):
        assert Meeting.objects.get(pk=w.planned.pk).state == Meeting.State.INVITED


def test_negative_votes_are_an_error_of_the_form(council_world, clerk):
    w = council_world
    with authority_context(w.authority):
        Meeting.objects.filter(pk=w.upcoming.pk).update(start=timezone.now() - timedelta(hours=1))
    prefix = f"item{w.public_item.pk}"
    response = clerk.post(BASE + f"sitzungen/{w.upcoming.pk}/punkte/{w.public_item.pk}/ergebnis/",
                          {f"{prefix}-result": "decided", f"{prefix}-votes_for": "-3"})
    assert response.status_code == 200
    assert "TOP 1" in response.content.decode()
    response = clerk.post(BASE + f"sitzungen/{w.upcoming.pk}/punkte/{w.public_item.pk}/ergebnis/",
                          {f"{prefix}-result": "decided", f"{prefix}-votes_for": "9"})
    assert response.status_code == 200  # more votes than members: the service refuses


def test_a_motion_without_its_party_group_is_an_error(council_world, clerk):
    response = clerk.post(BASE + "vorlagen/neu/", {"paper-paper_type": "motion",
                                                   "paper-name": "Radweg", "paper-public": "1"})
    assert response.status_code == 200 and response.context["form"].errors["originator"]
    response = clerk.post(BASE + "vorlagen/neu/", {"paper-paper_type": "proposal",
                                                   "paper-name": "Schulbau", "paper-public": "1"})
    assert response.status_code == 302
    with authority_context(council_world.authority):
        paper = Paper.objects.get(name="Schulbau")
    response = clerk.post(BASE + f"vorlagen/{paper.pk}/text/",
                          {"text-text": "# Sachverhalt\nDie Schule wird gebaut."})
    assert response.status_code == 302
    assert clerk.post(BASE + f"vorlagen/{paper.pk}/freigeben/").status_code == 302
    paper.refresh_from_db()
    assert paper.released_at is not None


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_sitzungsdienst_reads_and_downloads_every_file_it_keeps(council_world, clerk):
    w = council_world
    with authority_context(w.authority):
        main = w.public_paper.files.get(role=CouncilFile.Role.MAIN)
        secret_minutes = w.past.files.get(role=CouncilFile.Role.NONPUBLIC_MINUTES)
        version = latest_version(secret_minutes.document)
    page = clerk.get(BASE + f"vorlagen/{w.public_paper.pk}/").content.decode()
    assert f'href="{BASE}dateien/{main.pk}/"' in page
    assert f'href="{BASE}dateien/{main.pk}/?download=1"' in page
    shown = clerk.get(BASE + f"dateien/{main.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    assert "Turnhallendach" in _pdf_text(_body(shown))
    page = clerk.get(BASE + f"sitzungen/{w.past.pk}/").content.decode()
    assert f'href="{BASE}dateien/{secret_minutes.pk}/?download=1"' in page
    download = clerk.get(BASE + f"dateien/{secret_minutes.pk}/?download=1")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    content = _body(download)
    assert hashlib.sha256(content).hexdigest() == version.sha256
    assert SECRET_WORDS[1] in _pdf_text(content)  # the non-public minutes, for the office


def test_the_members_invitation_is_there_once_invited(council_world, clerk):
    w = council_world
    url = BASE + f"sitzungen/{w.planned.pk}/einladung-mitglieder/"
    assert clerk.get(url).status_code == 404  # not invited yet
    with authority_context(w.authority):
        meetings.add_item(actor=w.clerk, meeting=w.planned, name=SECRET_WORDS[0], public=False)
    assert clerk.post(BASE + f"sitzungen/{w.planned.pk}/einladen/").status_code == 302
    page = clerk.get(BASE + f"sitzungen/{w.planned.pk}/").content.decode()
    assert f'href="{url}"' in page and f'href="{url}?download=1"' in page
    shown = clerk.get(url)
    assert shown.status_code == 200 and shown["Content-Disposition"].startswith("inline")
    assert "Geheimweg" in _pdf_text(_body(shown))
    assert clerk.get(url + "?download=1")["Content-Disposition"].startswith("attachment")


def test_nobody_else_gets_the_files(council_world, clerk):
    w = council_world
    with authority_context(w.authority):
        secret_main = w.secret_paper.files.get(role=CouncilFile.Role.MAIN)
        secret_minutes = w.past.files.get(role=CouncilFile.Role.NONPUBLIC_MINUTES)
        meetings.invite(actor=w.clerk, meeting=w.planned)
    urls = [BASE + f"dateien/{secret_main.pk}/", BASE + f"dateien/{secret_minutes.pk}/?download=1",
            BASE + f"sitzungen/{w.planned.pk}/einladung-mitglieder/"]
    assert all(clerk.get(url).status_code == 200 for url in urls)
    other, device = make_staff(w.authority, departments=[
        make_department(w.authority, slug="kaemmerei", name="Kämmerei")],
        email="k@leichlingen.example")
    colleague = office_client(other, device)
    for url in urls:
        assert colleague.get(url).status_code == 404, url
        assert Client().get(url).status_code in (302, 404), url  # to the login, never the file
    with authority_context(w.authority):
        papers.remove_file(actor=w.clerk, council_file=secret_main)
    assert clerk.get(urls[0]).status_code == 404  # removed: no longer on the page either
    assert clerk.get(BASE + "dateien/999999/").status_code == 404
