"""The landlord asked by link, at service level: the request joins the sending, the case
waits for it, confirming and declining do what the clerk and the applicant rely on."""

import re

import pytest

from rathaus.cases.actions import OpenTasksRemain, propose_decision
from rathaus.cases.models import CaseEvent, Task
from rathaus.confirmations import services
from rathaus.confirmations.models import Confirmation
from rathaus.confirmations.selectors import confirmation_for_case, confirmation_state
from rathaus.mailbox.models import Message
from rathaus.records.models import Document

from .conftest import LINK, SELF, apply

pytestmark = pytest.mark.django_db


def token_from(mail) -> str:
    return re.search(r"/bestaetigung/([A-Za-z0-9_-]{40,})/", mail.body).group(1)


@pytest.fixture
def case(moving_town, in_town, citizen):
    return apply(citizen, landlord=LINK)


def test_sending_asks_the_landlord_by_email_with_a_one_time_link(case, mailoutbox):
    mail = next(m for m in mailoutbox if m.to == ["hausherr@example.org"])
    assert "Bettina Beispiel" in mail.body and "Wohnungsgeberbestätigung" in mail.subject
    assert "Guten Tag Hans Hausherr" in mail.body
    assert "Marktstraße" not in mail.body  # the address only behind the link
    token = token_from(mail)
    confirmation = Confirmation.objects.get(case=case)
    assert confirmation.secret_hash != token and token not in str(vars(confirmation))
    assert confirmation.status == Confirmation.Status.REQUESTED
    assert (confirmation.expires_at - confirmation.requested_at).days == 14


def test_the_case_waits_on_an_open_task_of_the_deciding_department(case):
    task = Task.objects.get(case=case, workflow_task="landlord_confirmation")
    assert task.status == Task.Status.OPEN
    assert task.department.slug == "buergerbuero"
    assert task.title == "Wohnungsgeberbestätigung abwarten"


def test_confirming_finishes_the_task_and_files_the_confirmation(case, mailoutbox):
    services.confirm(token=token_from(mailoutbox[-1]), party_answers={
        "party_street": "Am Hang 3", "party_postcode": "42799", "party_city": "Leichlingen"})
    confirmation = Confirmation.objects.get(case=case)
    assert confirmation.status == Confirmation.Status.CONFIRMED and confirmation.used_at
    assert Task.objects.get(case=case, workflow_task="landlord_confirmation").status == "done"
    document = Document.objects.get(case_file=case.case_file, title="Wohnungsgeberbestätigung")
    assert document.kind == "correspondence"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TASK_DONE,
                                    text__contains="bestätigt von Hans Hausherr").exists()
    panel = confirmation_for_case(case=case)
    assert ("Ihre Anschrift: Straße und Hausnummer", "Am Hang 3") in panel.answers
    assert "confirmed" in confirmation_state(case=case) or "bestätigt" in confirmation_state(
        case=case)


def test_confirming_is_in_the_audit_chain_with_the_filed_confirmation(case, mailoutbox):
    from rathaus.audit.models import AuditEntry
    from rathaus.audit.verification import verify_all

    before = AuditEntry.objects.order_by("seq").last().seq
    services.confirm(token=token_from(mailoutbox[-1]), party_answers={
        "party_street": "Am Hang 3", "party_postcode": "42799", "party_city": "Leichlingen"})
    added = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq")
                 .values_list("seq", "action"))
    assert [action for _, action in added] == ["records.document_added",
                                               "confirmation.confirmed"]
    assert [seq for seq, _ in added] == [before + 1, before + 2]
    assert verify_all()[1] == []


def test_a_link_is_used_once(case, mailoutbox):
    token = token_from(mailoutbox[-1])
    services.confirm(token=token, party_answers={})
    with pytest.raises(services.LinkNotValid):
        services.confirm(token=token, party_answers={})
    with pytest.raises(services.LinkNotValid):
        services.decline(token=token)


def test_declining_keeps_the_case_waiting_and_tells_the_applicant(case, citizen, mailoutbox):
    services.decline(token=token_from(mailoutbox[-1]), reason="Die Wohnung ist noch vermietet.")
    assert Task.objects.get(case=case, workflow_task="landlord_confirmation").status == "open"
    assert Confirmation.objects.get(case=case).status == Confirmation.Status.DECLINED
    assert CaseEvent.objects.get(case=case, text__contains="abgelehnt").internal
    assert Message.objects.filter(recipient=citizen, reference=case.reference).exists()


def test_approving_is_refused_while_the_landlord_has_not_confirmed(case, clerk, mailoutbox,
                                                                   settings):
    # The decision's follow-up work (the notice) only queued: not what this test is about.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    staff = clerk[0]
    token = token_from(next(m for m in mailoutbox if m.to == ["hausherr@example.org"]))
    with pytest.raises(OpenTasksRemain):
        propose_decision(case=case, staff=staff, decision="approve")
    services.confirm(token=token, party_answers={})
    decided = propose_decision(case=case, staff=staff, decision="approve")
    assert decided.status == decided.Status.APPROVED


def test_an_owner_moving_in_needs_no_confirmation(moving_town, in_town, citizen):
    case = apply(citizen, landlord=SELF)
    assert not Confirmation.objects.filter(case=case).exists()
    assert not Task.objects.filter(case=case, workflow_task="landlord_confirmation").exists()
    assert confirmation_state(case=case) == ""


@pytest.mark.django_db(transaction=True)
def test_two_tabs_confirming_at_once_spend_the_link_once(moving_town, in_town, citizen,
                                                         mailoutbox):
    """Both pages read the request first; their answers then race. One confirms, the
    other finds the link spent, and the eAkte gets one confirmation."""
    import threading

    from django.db import connection

    from rathaus.authorities.tenancy import authority_context
    from rathaus.confirmations.selectors import open_request

    case = apply(citizen, landlord=LINK)
    token = token_from(next(m for m in mailoutbox if m.to == ["hausherr@example.org"]))
    pages = [open_request(token=token) for _ in range(2)]
    outcomes, errors, start = [], [], threading.Barrier(2)

    def answer(page):
        try:
            with authority_context(moving_town):
                start.wait()
                services.confirm(token=token, party_answers={"party_city": "Leichlingen"},
                                 opened=page.confirmation)
                outcomes.append("confirmed")
        except services.LinkNotValid:
            outcomes.append("not valid")
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["confirmed", "not valid"]
    assert Document.objects.filter(case_file=case.case_file,
                                   title="Wohnungsgeberbestätigung").count() == 1
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TASK_DONE).count() == 1
