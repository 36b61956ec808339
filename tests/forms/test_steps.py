"""What each page of an application shows: the step's fields and form, the progress,
the summary with missing answers and proofs that may follow."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import definition
from rathaus.forms.services import save_step, start_draft
from rathaus.forms.steps import StepNotOpen, progress, step_page, summary_page
from tests.factories import HOLDER, PAYMENT_TRANSFER, SMALL_DOG


@pytest.fixture
def service(dog_service):
    return definition("hundeanmeldung")


def _draft(citizen, service, pages):
    """A draft with the first pages sent as a browser would send them."""
    draft = start_draft(user=citizen, definition=service)
    for number, data in enumerate(pages, start=1):
        form = step_page(draft=draft, definition=service, number=number, data=data).form
        assert form.is_valid(), form.errors
        draft = save_step(draft=draft, definition=service, step_index=number - 1,
                          cleaned=form.cleaned_data)
    return draft


def test_the_first_step_shows_its_fields_prefilled_and_only_itself_reachable(
        service, citizen, town):
    with authority_context(town):
        page = step_page(draft=_draft(citizen, service, []), definition=service, number=1)
    assert page.step.id == "holder"
    assert list(page.form.fields) == [spec.id for spec in service.steps[0].fields]
    assert page.form.initial["first_name"] == citizen.first_name
    assert not page.form.is_bound
    assert [(p["number"], p["current"], p["reachable"]) for p in page.progress] == [
        (1, True, True), (2, False, False), (3, False, False), (4, False, False)]
    assert not page.summary_reachable


@pytest.mark.parametrize("number", [0, 2, 5])
def test_a_step_not_reached_or_not_there_is_not_open(service, citizen, town, number):
    with authority_context(town), pytest.raises(StepNotOpen):
        step_page(draft=_draft(citizen, service, []), definition=service, number=number)


def test_fields_decided_by_earlier_steps_are_left_out_and_their_answers_passed_on(
        service, citizen, town):
    with authority_context(town):
        draft = _draft(citizen, service, [HOLDER, SMALL_DOG])
        page = step_page(draft=draft, definition=service, number=3)
    # The permit depends only on the breed's category (a Dackel: normal); the proofs
    # also depend on this page's own question and are revealed in the browser.
    assert list(page.shown) == ["is_large", "proof_of_expertise", "proof_of_insurance"]
    assert list(page.form.fields) == list(page.shown)
    assert page.known == {"dog_category": "normal"}


def test_a_step_given_data_has_a_bound_form_that_checks_it(service, citizen, town):
    with authority_context(town):
        draft = _draft(citizen, service, [HOLDER])
        page = step_page(draft=draft, definition=service, number=2,
                         data={**SMALL_DOG, "microchip": "123"})
    assert not page.form.is_valid()
    assert list(page.form.errors) == ["microchip"]


def test_the_summary_lists_missing_answers_until_every_step_is_saved(service, citizen, town):
    with authority_context(town):
        page = summary_page(draft=_draft(citizen, service, [HOLDER]), definition=service)
    assert ("dog", "dog_name") in [(step.id, spec.id) for step, spec in page.missing]
    assert [number for number, send_step, _rows in page.sections] == [1, 2, 3, 4]


def test_optional_proofs_not_uploaded_are_listed_to_follow(service, citizen, town):
    with authority_context(town):
        draft = _draft(citizen, service,
                       [HOLDER, SMALL_DOG, {"is_large": "yes"}, PAYMENT_TRANSFER])
        page = summary_page(draft=draft, definition=service)
    assert page.missing == []
    assert [(number, spec.id) for number, spec in page.proofs_to_follow] == [
        (3, "proof_of_expertise"), (3, "proof_of_insurance")]
    assert all(not p["current"] and p["reachable"] for p in page.progress)


def test_progress_marks_the_current_step_and_those_that_can_be_opened(service):
    items = progress(definition=service, current=2, reached=2)
    assert [(i["current"], i["reachable"]) for i in items] == [
        (False, True), (True, True), (False, True), (False, False)]
