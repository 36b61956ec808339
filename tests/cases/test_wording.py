"""What a case's statuses and history are called, for staff and for the citizen
(cases/wording.py), including histories written before the events had names of their
own (a proposal as a status change, a sent-back proposal as a note with a status)."""

import pytest
from django.utils import translation

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case, CaseEvent
from rathaus.cases.wording import CITIZEN, STAFF, history, status_label
from rathaus.records.services import add_document
from tests.factories import blank_pdf, make_case, make_staff

S, K = Case.Status, CaseEvent.Kind


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.fixture
def case(dog_town, citizen):
    with authority_context(dog_town):
        yield make_case(citizen, large=False)


@pytest.fixture
def max_steuer(dog_town):
    user, _device = make_staff(dog_town, departments=[], email="max@x.example")
    user.first_name, user.last_name = "Max", "Steuer"
    user.save(update_fields=["first_name", "last_name"])
    return user


def _event(case, kind, *, actor, status="", text="", internal=False):
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, status=status, text=text,
                             internal=internal)


def whats(case, audience) -> list[str]:
    return [line.what for line in history(case, audience=audience)]


def test_each_status_has_a_staff_and_a_citizen_wording():
    assert status_label(S.WAITING, audience=STAFF) == (
        "Wartet auf Angaben der Bürgerin oder des Bürgers")
    assert status_label(S.WAITING, audience=CITIZEN) == "Wartet auf Ihre Angaben"
    assert status_label(S.AWAITING_CONFIRMATION, audience=STAFF) == (
        "Entscheidung wartet auf Bestätigung")
    for status in S.values:
        assert status_label(status, audience=STAFF)
        assert status_label(status, audience=CITIZEN)


def test_an_older_history_reads_as_what_happened(case, max_steuer):
    _event(case, K.STATUS, actor=max_steuer, status=S.AWAITING_CONFIRMATION, internal=True)
    _event(case, K.NOTE, actor=max_steuer, status=S.IN_REVIEW, text="Bitte prüfen.",
           internal=True)
    _event(case, K.NOTE, actor=max_steuer, text="Anruf.", internal=True)
    _event(case, K.STATUS, actor=max_steuer, status=S.APPROVED)
    assert whats(case, STAFF) == [
        "Antrag eingegangen",
        "Entscheidung vorgeschlagen von Max Steuer",
        "Vorschlag zurückgegeben von Max Steuer",
        "Interne Notiz von Max Steuer",
        "Genehmigung bestätigt von Max Steuer",
    ]
    assert whats(case, CITIZEN) == ["Antrag eingegangen", "Antrag genehmigt"]


def test_a_decision_without_a_proposal_is_just_taken(case, max_steuer):
    _event(case, K.STATUS, actor=max_steuer, status=S.REJECTED, text="Nein.")
    lines = history(case, audience=STAFF)
    assert lines[-1].what == "Abgelehnt von Max Steuer" and lines[-1].detail == "Nein."
    assert history(case, audience=CITIZEN)[-1].what == "Antrag abgelehnt"


def test_no_line_is_just_status_changed(case, max_steuer):
    _event(case, K.STATUS, actor=max_steuer, status=S.IN_REVIEW)
    assert whats(case, STAFF)[-1] == "Neuer Stand: In Bearbeitung"
    assert whats(case, CITIZEN)[-1] == "Neuer Stand: In Bearbeitung"


def test_a_notice_not_delivered_is_for_staff_only(case):
    add_document(case_file=case.case_file, title="Steuerbescheid", kind="notice",
                 content=blank_pdf(), media_type="application/pdf", filename="b.pdf")
    staff = history(case, audience=STAFF)[-1]
    assert (staff.what, staff.detail, staff.internal) == (
        "Bescheid in der Akte, noch nicht zugestellt", "Steuerbescheid", True)
    assert whats(case, CITIZEN) == ["Antrag eingegangen"]
