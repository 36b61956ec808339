"""Staff of the receiving authority see a hand-over that could not be received, with
its reason in German; nobody else does."""

import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.handover.models import Submission
from rathaus.handover.receiving import open_submission
from rathaus.handover.services import send_submission
from tests.factories import PASSWORD, current_totp, make_department, make_staff
from tests.handover.conftest import SERVICE


def _office(authority, role: str) -> Client:
    department = make_department(authority, slug="strassenverkehrsamt",
                                 name="Straßenverkehrsamt")
    staff, device = make_staff(authority, departments=[department], role=role)
    client = Client(HTTP_HOST="rbk.localhost")
    response = client.post("/verwaltung/anmelden/", {
        "username": staff.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302
    return client


@pytest.fixture
def failed_hand_over(sender, destination, queued):
    with authority_context(sender):
        sent = send_submission(destination=destination, service_id=SERVICE,
                               data={"fin": "WVWZZZ1JZXW000001"}, attachments=[],
                               reference="LE-2026-0042")
    with authority_context(destination):
        row = Submission.objects.get(submission_id=sent.submission_id)
        Submission.objects.filter(pk=row.pk).update(data_jwe=row.data_jwe[:-4] + "AAAA")
        open_submission(str(row.pk))
    return sent


@pytest.mark.django_db
def test_a_team_lead_sees_a_failed_hand_over_with_its_reason(failed_hand_over, destination):
    office = _office(destination, "team_lead")

    assert "1 Hintergrundarbeit ist fehlgeschlagen" in office.get("/verwaltung/").text
    page = office.get("/verwaltung/hintergrund/").text
    assert "Übergaben, die nicht angenommen werden konnten" in page
    assert "Stadt Leichlingen" in page and "LE-2026-0042" in page
    assert str(failed_hand_over.submission_id) in page
    assert "Er wurde unterwegs verändert" in page


@pytest.mark.django_db
def test_a_clerk_without_the_role_does_not_see_failed_hand_overs(failed_hand_over, destination):
    office = _office(destination, "clerk")

    assert office.get("/verwaltung/hintergrund/").status_code == 404
    assert "fehlgeschlagen" not in office.get("/verwaltung/").text
