"""What the online ID card said is filled in and cannot be changed; the answers of a
step are checked together by the checks the definition names; a date may be limited
to a few days ahead."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from rathaus.catalog.registry import definition
from rathaus.forms.checks import ANSWER_CHECKS
from rathaus.forms.services import save_step, start_draft
from rathaus.forms.steps import step_page

pytestmark = pytest.mark.django_db

CARD = SimpleNamespace(given_name="Erika", family_name="Musterfrau",
                       birth_date=date(1964, 8, 12), birth_place="Berlin",
                       street="Heidestraße", house_number="17", postcode="51147",
                       city="Köln")
SERVICE = "wohnsitzanmeldung"


def _date(value: date, prefix: str) -> dict:
    return {prefix: f"{value:%d.%m.%Y}"}


def test_the_id_cards_answers_are_filled_in_and_locked(in_town, citizen):
    draft = start_draft(user=citizen, definition=definition(SERVICE), id_card=CARD)
    assert draft.answers["first_name"] == "Erika"
    assert draft.answers["date_of_birth"] == "1964-08-12"
    assert draft.answers["old_city"] == "Köln"
    assert "first_name" in draft.locked_fields and "sex" not in draft.locked_fields
    page = step_page(draft=draft, definition=definition(SERVICE), number=1)
    assert page.form.fields["first_name"].widget.attrs["readonly"]
    assert "Online-Ausweis" in str(page.form.fields["first_name"].help_text)


def test_a_changed_id_card_answer_is_ignored(in_town, citizen):
    service = definition(SERVICE)
    draft = start_draft(user=citizen, definition=service, id_card=CARD)
    data = {"first_name": "Mallory", "last_name": "Musterfrau", "place_of_birth": "Berlin",
            "sex": "w", "old_street": "Heidestraße", "old_house_number": "17",
            "old_postcode": "51147", "old_city": "Köln",
            **_date(date(1999, 1, 1), "date_of_birth")}
    form = step_page(draft=draft, definition=service, number=1, data=data).form
    assert form.is_valid(), form.errors
    draft = save_step(draft=draft, definition=service, step_index=0, cleaned=form.cleaned_data)
    assert draft.answers["first_name"] == "Erika"
    assert draft.answers["date_of_birth"] == "1964-08-12"


def test_without_an_id_card_login_nothing_is_locked(in_town, citizen):
    draft = start_draft(user=citizen, definition=definition(SERVICE))
    assert draft.locked_fields == []
    assert "first_name" not in draft.answers


def test_a_move_in_date_more_than_two_weeks_ahead_is_refused(in_town, citizen):
    service = definition(SERVICE)
    draft = start_draft(user=citizen, definition=service, id_card=CARD)
    draft.reached_step = 1
    today = timezone.localdate()
    base = {"move_kind": "within", "new_street": "Marktstraße", "new_house_number": "3",
            "new_postcode": "42799", "residence_kind": "main"}
    too_far = step_page(draft=draft, definition=service, number=2,
                        data={**base, **_date(today + timedelta(days=15), "move_in_date")}).form
    assert not too_far.is_valid()
    assert "höchstens 14 Tage" in str(too_far.errors["move_in_date"])


def test_every_check_a_definition_names_is_registered():
    named = {name for d in [definition(SERVICE)] for step in d.steps for name in step.checks}
    assert named and named <= set(ANSWER_CHECKS.names())


def test_a_child_born_before_the_applicant_is_refused_by_the_household_check():
    check = ANSWER_CHECKS["residents.household"]
    answers = {"date_of_birth": "1980-01-01", "members_count": "2",
               "member1_relationship": "spouse", "member1_date_of_birth": "1981-01-01",
               "member2_relationship": "child", "member2_date_of_birth": "1970-05-05"}
    assert set(check(answers)) == {"member2_date_of_birth"}
    assert set(check({**answers, "member1_relationship": "partner",
                      "member2_relationship": "spouse"})) == {"member2_relationship"}


def test_a_check_reads_the_dates_its_own_step_sends(in_town, citizen):
    """The household check compares a child's date of birth, sent on this step, with
    the applicant's from the ID card: the step's dates reach the check as the draft
    will keep them."""
    service = definition(SERVICE)
    draft = start_draft(user=citizen, definition=service, id_card=CARD)
    draft.reached_step = 2
    household = {"members_count": "1", "member1_given_names": "Lina",
                 "member1_family_name": "Musterfrau", "member1_place_of_birth": "Köln",
                 "member1_sex": "w", "member1_relationship": "child",
                 "same_old_address": "on"}
    older = step_page(draft=draft, definition=service, number=3, data={
        **household, **_date(date(1960, 1, 1), "member1_date_of_birth")}).form
    assert not older.is_valid()
    assert "nicht vor Ihnen geboren" in str(older.errors["member1_date_of_birth"])
    younger = step_page(draft=draft, definition=service, number=3, data={
        **household, **_date(date(2010, 1, 1), "member1_date_of_birth")}).form
    assert younger.is_valid(), younger.errors
