"""The landlord confirms first and gives a code: the application takes it once, the
clerk sees where it differs, a wrong or spent code is refused in German."""

import datetime

import pytest
from django.utils import timezone, translation

from rathaus.cases.models import Task
from rathaus.cases.submission import submit_application
from rathaus.cases.submission_steps import SubmissionRefused
from rathaus.catalog.registry import definition
from rathaus.confirmations import services
from rathaus.confirmations.models import Confirmation
from rathaus.confirmations.selectors import confirmation_for_case
from rathaus.forms.services import fill_in, start_draft
from rathaus.records.models import Document

from .conftest import SERVICE, apply, code_answers, issue_answers, pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(moving_town, in_town) -> str:
    return services.issue_code(definition=definition(SERVICE), answers=issue_answers()).code


def test_an_issued_code_is_crockford_base32_and_only_its_hash_is_kept(code):
    prefix, first, second = code.split("-")
    assert prefix == "WGB" and len(first + second) == 8
    assert not set(first + second) & set("ILOU")
    assert code not in str(vars(Confirmation.objects.get()))


def test_an_application_with_the_code_needs_no_further_wait(code, citizen):
    case = apply(citizen, landlord=code_answers(code.lower().replace("-", " ")))
    confirmation = Confirmation.objects.get()
    assert confirmation.case == case and confirmation.used_at
    task = Task.objects.get(case=case, workflow_task="landlord_confirmation")
    assert task.status == Task.Status.DONE
    assert Document.objects.filter(case_file=case.case_file,
                                   title="Wohnungsgeberbestätigung").exists()
    assert case.answers["landlord_code"] == code  # kept as issued, whatever was typed


def test_a_code_is_taken_by_one_application_only(code, citizen):
    from tests.factories import make_citizen

    apply(citizen, landlord=code_answers(code))
    with pytest.raises(ValueError, match="schon für einen Antrag verwendet"), \
            translation.override("de"):
        apply(make_citizen("nachbar@example.org"), landlord=code_answers(code))


def test_a_code_used_up_between_entering_and_sending_refuses_the_sending(code, citizen):
    from tests.factories import make_citizen

    service = definition(SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                    pages=pages(landlord=code_answers(code)))
    apply(make_citizen("nachbar@example.org"), landlord=code_answers(code))
    with pytest.raises(SubmissionRefused) as refused:
        submit_application(user=citizen, draft_id=draft.pk, definition=service)
    assert refused.value.step_id == "landlord"
    assert not Task.objects.filter(case__applicant=citizen).exists()


def test_a_wrong_code_gets_a_german_message(moving_town, in_town, citizen):
    with pytest.raises(ValueError, match="Diesen Bestätigungscode kennen wir nicht"), \
            translation.override("de"):
        apply(citizen, landlord=code_answers("WGB-0000-0000"))


def test_an_expired_code_is_refused(code, citizen):
    Confirmation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValueError, match="abgelaufen"), translation.override("de"):
        apply(citizen, landlord=code_answers(code))


def test_the_clerk_sees_where_the_code_differs_from_the_application(moving_town, in_town,
                                                                    citizen):
    issued = services.issue_code(definition=definition(SERVICE),
                                 answers=issue_answers(new_house_number="19"))
    case = apply(citizen, landlord=code_answers(issued.code))
    with translation.override("de"):
        panel = confirmation_for_case(case=case)
    assert panel.differences == [("Hausnummer", "17", "19")]
    assert ("Wohnung: Straße", "Marktstraße") in panel.answers
