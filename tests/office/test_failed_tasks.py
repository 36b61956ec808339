"""Failed background work: team leads see it and send it off again; nobody else does."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from tests.factories import PASSWORD, current_totp, make_department, make_staff

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _office(staff, device, host):
    client = Client(HTTP_HOST=host)
    response = client.post("/verwaltung/anmelden/", {
        "username": staff.email, "password": PASSWORD, "otp_token": current_totp(device)})
    assert response.status_code == 302
    return client


def _failed_decision(authority) -> DBTaskResult:
    from rathaus.cases.tasks import issue_decision

    result = issue_decision.enqueue(authority_id=authority.pk, case_id=str(uuid.uuid4()))
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.finished_at = "FAILED", timezone.now()
    row.exception_class_path = "rathaus.notices.letter.NoticeSettingsMissing"
    row.traceback = "Traceback …"
    row.save()
    return row


@pytest.fixture
def failed(town, settings):
    settings.TASKS = DATABASE_TASKS
    return _failed_decision(town)


def test_team_lead_sees_the_failure_and_sends_it_off_again(town, failed):
    lead, device = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                                 name="Steueramt")],
                              role="team_lead")
    office = _office(lead, device, "leichlingen.localhost")
    assert "1 Hintergrundarbeit ist fehlgeschlagen" in office.get("/verwaltung/").text
    page = office.get("/verwaltung/hintergrund/").text
    assert "NoticeSettingsMissing" in page

    response = office.post(f"/verwaltung/hintergrund/{failed.pk}/erneut/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "READY" and failed.traceback == "" and failed.finished_at is None
    with authority_context(town):
        assert AuditEntry.objects.filter(action="background.task_retried",
                                         actor=lead).exists()
    # Sent twice (another tab): the second finds nothing to retry and says so.
    office.post(f"/verwaltung/hintergrund/{failed.pk}/erneut/")
    assert "wartet nicht mehr" in office.get("/verwaltung/hintergrund/").text


def test_clerks_cannot_open_or_retry(town, failed):
    clerk, device = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                                  name="Steueramt")])
    office = _office(clerk, device, "leichlingen.localhost")
    assert office.get("/verwaltung/hintergrund/").status_code == 404
    assert office.post(f"/verwaltung/hintergrund/{failed.pk}/erneut/").status_code == 404
    failed.refresh_from_db()
    assert failed.status == "FAILED"
    assert "hintergrund" not in office.get("/verwaltung/").text


def test_another_authority_neither_sees_nor_retries_it(town, district, failed):
    lead, device = make_staff(district, departments=[make_department(district, slug="kfz",
                                                                     name="Zulassung")],
                              email="lead@rbk.example", role="administrator")
    office = _office(lead, device, "rbk.localhost")
    assert "NoticeSettingsMissing" not in office.get("/verwaltung/hintergrund/").text
    office.post(f"/verwaltung/hintergrund/{failed.pk}/erneut/")
    failed.refresh_from_db()
    assert failed.status == "FAILED"
