"""The case actions as services, without HTTP: each action's way through the workflow
table, and what the table and the rules refuse."""

import pytest
from django.test import Client

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.cases import actions
from rathaus.cases.models import Case, CaseEvent, Task
from rathaus.cases.workflow import NotAllowed, TextRequired
from rathaus.mailbox.models import Message
from tests.factories import PASSWORD, current_totp, make_case

S = Case.Status


@pytest.fixture
def active(dog_town):
    """The dog town as the active authority, as in a request."""
    with authority_context(dog_town):
        yield dog_town


def _ordnungsamt_done(case, people):
    task = Task.objects.get(case=case, department__slug="ordnungsamt")
    actions.complete_task(task=task, staff=people.other_task, note="geprüft")


def _status(case) -> str:
    return Case.objects.get(pk=case.pk).status


# --- Happy paths --------------------------------------------------------------------------

def test_request_information_waits_for_the_citizen_and_tells_them(active, people):
    case = make_case(people.owner)
    case = actions.request_information(case=case, staff=people.decider, text="Bitte Nachweis.")
    assert case.status == S.WAITING
    assert Task.objects.get(case=case, department__slug="steueramt").status == "waiting"
    assert Task.objects.get(case=case, department__slug="ordnungsamt").status == "open"
    assert Message.objects.filter(recipient=people.owner).count() == 1


def test_the_applicants_answer_reopens_the_case(active, people):
    case = make_case(people.owner)
    actions.request_information(case=case, staff=people.decider, text="Bitte Nachweis.")
    case = actions.give_information(case=case, citizen=people.owner, text="Anbei.")
    assert case.status == S.IN_REVIEW
    assert not Task.objects.filter(case=case, status="waiting").exists()


def test_four_eyes_approval_is_proposed_then_confirmed_by_a_second_person(active, people):
    case = make_case(people.owner)
    _ordnungsamt_done(case, people)
    case = actions.propose_decision(case=case, staff=people.decider, decision="approve")
    assert case.status == S.AWAITING_CONFIRMATION and case.proposed_by == people.decider
    case = actions.confirm_decision(case=case, staff=people.second)
    assert case.status == S.APPROVED and case.decided_by == people.second
    assert not Task.objects.filter(case=case).exclude(status="done").exists()


def test_four_eyes_rejection_is_confirmed_as_proposed(active, people):
    case = make_case(people.owner)
    actions.propose_decision(case=case, staff=people.decider, decision="reject",
                             reason="Kein Nachweis.")
    case = actions.confirm_decision(case=case, staff=people.team_lead)
    assert case.status == S.REJECTED
    assert case.events.filter(status=S.REJECTED, text="Kein Nachweis.").exists()


def test_a_proposal_sent_back_returns_to_review_without_a_decision(active, people):
    case = make_case(people.owner)
    actions.propose_decision(case=case, staff=people.decider, decision="reject",
                             reason="Kein Nachweis.")
    case = actions.send_back(case=case, staff=people.second, text="Bitte erst nachfragen.")
    assert case.status == S.IN_REVIEW and case.decision == "" and case.proposed_by is None


def test_without_four_eyes_a_decision_is_final_at_once(active, people, without_four_eyes):
    case = make_case(people.owner, large=False)
    case = actions.propose_decision(case=case, staff=people.decider, decision="approve")
    assert case.status == S.APPROVED and case.decided_by == people.decider


def test_without_four_eyes_a_rejection_is_final_at_once(active, people, without_four_eyes):
    case = make_case(people.owner, large=False)
    case = actions.propose_decision(case=case, staff=people.decider, decision="reject",
                                    reason="Unvollständig.")
    assert case.status == S.REJECTED


def test_without_four_eyes_there_is_nothing_to_confirm(active, people, without_four_eyes):
    case = make_case(people.owner, large=False)
    with pytest.raises(NotAllowed):
        actions.confirm_decision(case=case, staff=people.second)


def test_a_contributing_department_completes_its_task(active, people):
    case = make_case(people.owner)
    task = Task.objects.get(case=case, department__slug="ordnungsamt")
    task = actions.complete_task(task=task, staff=people.other_task, note="geprüft")
    assert task.status == "done" and task.completed_by == people.other_task
    assert _status(case) == S.SUBMITTED


def test_a_note_is_internal(active, people):
    case = make_case(people.owner)
    event = actions.add_note(case=case, staff=people.other_task, text="Rückruf erledigt.")
    assert event.internal and event.kind == CaseEvent.Kind.NOTE


# --- Refusals -----------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda case, p: actions.confirm_decision(case=case, staff=p.second),
    lambda case, p: actions.send_back(case=case, staff=p.second, text="Zurück."),
    lambda case, p: actions.give_information(case=case, citizen=p.owner, text="Hier."),
])
def test_actions_refused_in_the_wrong_status(active, people, call):
    case = make_case(people.owner)
    with pytest.raises(NotAllowed):
        call(case, people)
    assert _status(case) == S.SUBMITTED


def test_a_decided_case_takes_no_further_decision(active, people, without_four_eyes):
    case = make_case(people.owner, large=False)
    actions.propose_decision(case=case, staff=people.decider, decision="reject", reason="Nein.")
    with pytest.raises(NotAllowed):
        actions.propose_decision(case=case, staff=people.decider, decision="approve")


def test_an_unknown_decision_is_refused(active, people):
    case = make_case(people.owner)
    with pytest.raises(NotAllowed):
        actions.propose_decision(case=case, staff=people.decider, decision="confirm")


@pytest.mark.parametrize("call", [
    lambda case, p: actions.request_information(case=case, staff=p.decider, text=" "),
    lambda case, p: actions.propose_decision(case=case, staff=p.decider, decision="reject"),
    lambda case, p: actions.add_note(case=case, staff=p.decider, text=""),
])
def test_actions_that_need_a_text_refuse_without_one(active, people, call):
    case = make_case(people.owner)
    with pytest.raises(TextRequired):
        call(case, people)
    assert _status(case) == S.SUBMITTED
    assert not case.events.filter(kind=CaseEvent.Kind.NOTE).exists()


def test_sending_back_and_answering_need_a_text(active, people):
    case = make_case(people.owner)
    actions.request_information(case=case, staff=people.decider, text="Bitte Nachweis.")
    with pytest.raises(TextRequired):
        actions.give_information(case=case, citizen=people.owner, text="")
    actions.give_information(case=case, citizen=people.owner, text="Anbei.")
    actions.propose_decision(case=case, staff=people.decider, decision="reject", reason="Nein.")
    with pytest.raises(TextRequired):
        actions.send_back(case=case, staff=people.second, text="")
    assert _status(case) == S.AWAITING_CONFIRMATION


def test_approval_waits_for_the_other_departments_task(active, people):
    case = make_case(people.owner)
    with pytest.raises(actions.OpenTasksRemain):
        actions.propose_decision(case=case, staff=people.decider, decision="approve")
    assert _status(case) == S.SUBMITTED
    # A rejection is not held back.
    actions.propose_decision(case=case, staff=people.decider, decision="reject", reason="Nein.")
    assert _status(case) == S.AWAITING_CONFIRMATION


def test_the_proposer_cannot_confirm_their_own_proposal(active, people):
    case = make_case(people.owner)
    actions.propose_decision(case=case, staff=people.decider, decision="reject", reason="Nein.")
    with pytest.raises(actions.SecondPersonRequired):
        actions.confirm_decision(case=case, staff=people.decider)
    assert _status(case) == S.AWAITING_CONFIRMATION


def test_the_deciding_task_is_not_completed_on_its_own(active, people):
    case = make_case(people.owner)
    task = Task.objects.get(case=case, department__slug="steueramt")
    with pytest.raises(NotAllowed):
        actions.complete_task(task=task, staff=people.decider)


def test_ordnungsamt_clerk_cannot_propose_a_steueramt_decision(active, people):
    case = make_case(people.owner)
    _ordnungsamt_done(case, people)
    for decision, reason in (("approve", ""), ("reject", "Nein.")):
        with pytest.raises(NotPermitted):
            actions.propose_decision(case=case, staff=people.other_task, decision=decision,
                                     reason=reason)
    case.refresh_from_db()
    assert case.status == S.SUBMITTED and case.decision == "" and case.proposed_by is None


def test_ordnungsamt_clerk_cannot_propose_through_the_office_either(dog_town, people):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with authority_context(dog_town):
        case = make_case(people.owner)
    office = Client()
    device = TOTPDevice.objects.get(user=people.other_task)
    assert office.post("/verwaltung/anmelden/", {
        "username": people.other_task.email, "password": PASSWORD,
        "otp_token": current_totp(device)}).status_code == 302
    assert office.get(f"/verwaltung/vorgaenge/{case.pk}/").status_code == 200
    for step, text in (("approve", ""), ("reject", "Nein.")):
        response = office.post(f"/verwaltung/vorgaenge/{case.pk}/schritt/{step}/",
                               {"text": text}, follow=True)
        assert "Diesen Schritt dürfen Sie bei diesem Vorgang nicht ausführen." in response.text
    with authority_context(dog_town):
        case.refresh_from_db()
        assert case.status == S.SUBMITTED and case.proposed_by is None


def test_another_citizen_cannot_answer_for_the_applicant(active, people):
    case = make_case(people.owner)
    actions.request_information(case=case, staff=people.decider, text="Bitte Nachweis.")
    with pytest.raises(NotPermitted):
        actions.give_information(case=case, citizen=people.other_citizen, text="Ich!")
    assert _status(case) == S.WAITING
