"""The sync endpoint the phone's clock queue sends to: each event recorded once at the
device's time, a resend answered as a duplicate, a refusal with its German reason, and
no staff session a 403 in JSON (never the login page)."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime.models import Entry, Place, Source
from tests.factories import office_client

from .conftest import make_person

pytestmark = pytest.mark.django_db

SYNC = "/verwaltung/arbeitszeit/senden/"


def emils_client(staff):
    return office_client(staff.emil, staff.devices[staff.emil.email])


def send(client, **event):
    return client.post(SYNC, json.dumps(event), content_type="application/json")


def event(action="in", *, ago=timedelta(minutes=20), place=Place.OFFICE, client_id=None):
    return {"client_id": str(client_id or uuid.uuid4()), "action": action,
            "at": (timezone.now() - ago).isoformat(), "place": place}


def entries(staff):
    with authority_context(staff.authority):
        return list(Entry.objects.filter(employee__user=staff.emil))


def test_a_get_gives_a_csrf_token(staff):
    answer = emils_client(staff).get(SYNC)
    assert answer.status_code == 200 and answer.json()["status"] == "ready"
    assert answer.json()["csrf"]
    assert answer["Cache-Control"].startswith("max-age=0")


def test_a_queued_clock_in_and_out_are_recorded_at_the_devices_time(staff):
    client = emils_client(staff)
    came = event("in", ago=timedelta(hours=3), place=Place.MOBILE)
    went = event("out", ago=timedelta(minutes=30))
    first = send(client, **came)
    assert first.status_code == 201 and first.json()["status"] == "created"
    assert send(client, **went).status_code == 201
    [entry] = entries(staff)
    assert entry.source == Source.OFFLINE and entry.place == Place.MOBILE
    assert abs((entry.started_at - (timezone.now() - timedelta(hours=3))).total_seconds()) < 60
    assert entry.ended_at is not None and str(entry.end_client_id) == went["client_id"]


def test_a_resent_event_is_a_duplicate(staff):
    client = emils_client(staff)
    came = event("in")
    assert send(client, **came).status_code == 201
    again = send(client, **came)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert len(entries(staff)) == 1


def test_a_refused_event_answers_400_with_the_reason(staff):
    client = emils_client(staff)
    answer = send(client, **event("out"))
    assert answer.status_code == 400
    assert answer.json()["status"] == "invalid" and answer.json()["message"]
    assert entries(staff) == []


def test_an_event_older_than_seven_days_is_refused(staff):
    answer = send(emils_client(staff), **event("in", ago=timedelta(days=8)))
    assert answer.status_code == 400 and answer.json()["message"]
    assert entries(staff) == []


def test_an_event_from_the_future_is_refused(staff):
    answer = send(emils_client(staff), **event("in", ago=-timedelta(hours=1)))
    assert answer.status_code == 400 and entries(staff) == []


@pytest.mark.parametrize("body", ["{", "[1, 2]", json.dumps({"client_id": "x", "action": "in",
                                                             "at": "gestern"})])
def test_what_cannot_be_read_is_invalid(staff, body):
    answer = emils_client(staff).post(SYNC, body, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["status"] == "invalid"


def test_form_fields_work_as_well_as_json(staff):
    answer = emils_client(staff).post(SYNC, event("in"))
    assert answer.status_code == 201 and len(entries(staff)) == 1


def test_without_a_staff_session_the_answer_is_403_json(staff):
    anonymous = Client()
    for answer in (anonymous.get(SYNC), send(anonymous, **event("in"))):
        assert answer.status_code == 403 and answer.json()["status"] == "login"
    assert entries(staff) == []


def test_a_staff_member_who_records_no_time_is_told_so(staff):
    with authority_context(staff.authority):
        office = Department.objects.get(slug="buergerbuero")
    clerk, device = make_person(staff.authority, "karl.kein@leichlingen.example", "Karl",
                                "Kein", [(office, "clerk")])
    answer = send(office_client(clerk, device), **event("in"))
    assert answer.status_code == 404 and answer.json()["status"] == "not_found"


def test_the_csrf_token_is_required(staff):
    client = emils_client(staff)
    client.handler.enforce_csrf_checks = True
    assert send(client, **event("in")).status_code == 403
    token = client.get(SYNC).json()["csrf"]
    answer = client.post(SYNC, json.dumps(event("in")), content_type="application/json",
                         headers={"X-CSRFToken": token})
    assert answer.status_code == 201
