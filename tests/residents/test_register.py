"""The register's rules: one current main residence, history kept, households move
together."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from rathaus.accounts.permissions import NotPermitted
from rathaus.audit.models import AuditEntry
from rathaus.residents.models import (
    OBJECTION_EXPLANATIONS,
    ObjectionKind,
    Person,
    Residence,
    ResidenceKind,
)
from rathaus.residents.selectors import address_history, current_address, persons_at
from rathaus.residents.services import (
    AlreadyMainResident,
    MoveBeforeMoveIn,
    NotResident,
    ReasonRequired,
    file_objection,
    move_out,
    move_within,
    register_move_in,
)
from tests.factories import make_citizen, make_department, make_staff

from .conftest import FAMILY, dwelling

pytestmark = pytest.mark.django_db


def test_a_household_moving_in_is_registered_with_its_relationships(family):
    members = {m.person.given_names: m.relationship for m in family.members.all()}
    assert members == {"Anna": "head", "Jan": "spouse", "Mia": "child"}
    anna = Person.objects.get(given_names="Anna")
    assert str(current_address(anna)) == "Marktstraße 17, 42799 Leichlingen"
    assert list(anna.objections.values_list("kind", flat=True)) == ["address_books"]


def test_a_person_cannot_move_in_with_a_second_main_residence(family, clerk):
    with pytest.raises(AlreadyMainResident):
        register_move_in(actor=clerk, household=family, dwelling=dwelling(number="3"),
                         moved_in=date(2024, 6, 1), kind=ResidenceKind.MAIN)
    assert Residence.objects.filter(dwelling__house_number="3").count() == 0
    assert Residence.objects.filter(kind="main", moved_out__isnull=True).count() == 3


def test_the_database_refuses_a_second_current_main_residence(family):
    anna = Person.objects.get(given_names="Anna")
    with pytest.raises(IntegrityError), transaction.atomic():
        Residence.objects.create(person=anna, dwelling=dwelling(number="3"),
                                 kind=ResidenceKind.MAIN, moved_in=date(2024, 6, 1),
                                 started_by="move_in")


def test_a_secondary_residence_leaves_the_main_one_as_it_is(family, clerk):
    register_move_in(actor=clerk, household=family, dwelling=dwelling("Unterberg", "5", "02510"),
                     moved_in=date(2024, 6, 1), kind=ResidenceKind.SECONDARY)
    anna = Person.objects.get(given_names="Anna")
    assert str(current_address(anna)).startswith("Marktstraße 17")
    assert [r.kind for r in address_history(anna)] == ["main", "secondary"]


def test_a_move_within_the_town_ends_the_old_residence_and_keeps_it(family, clerk):
    new_home = dwelling("Brückenstraße", "4", "00340")
    change = move_within(actor=clerk, household=family, dwelling=new_home,
                         moved_in=date(2025, 9, 15))
    anna = Person.objects.get(given_names="Anna")
    history = address_history(anna)
    assert [(str(r.dwelling.street), r.moved_in, r.moved_out) for r in history] == [
        ("Marktstraße", date(2024, 3, 1), date(2025, 9, 15)),
        ("Brückenstraße", date(2025, 9, 15), None),
    ]
    assert current_address(anna) == new_home
    assert len(change.started) == len(change.ended) == 3


def test_the_whole_household_moves_together(family, clerk):
    old_home, new_home = dwelling(), dwelling("Brückenstraße", "4", "00340")
    move_within(actor=clerk, household=family, dwelling=new_home, moved_in=date(2025, 9, 15))
    assert not persons_at(old_home).exists()
    assert sorted(p.given_names for p in persons_at(new_home)) == ["Anna", "Jan", "Mia"]


def test_a_move_before_the_move_in_changes_nothing(family, clerk):
    with pytest.raises(MoveBeforeMoveIn):
        move_within(actor=clerk, household=family, dwelling=dwelling(number="3"),
                    moved_in=date(2024, 2, 1))
    assert Residence.objects.filter(moved_out__isnull=False).count() == 0
    assert Residence.objects.count() == 3


def test_moving_away_ends_every_residence_and_keeps_the_persons(family, clerk):
    register_move_in(actor=clerk, household=family, dwelling=dwelling(number="3"),
                     moved_in=date(2024, 6, 1), kind=ResidenceKind.SECONDARY)
    change = move_out(actor=clerk, household=family, moved_out=date(2025, 12, 31))
    assert len(change.ended) == 6
    anna = Person.objects.get(given_names="Anna")
    assert current_address(anna) is None
    assert all(r.moved_out == date(2025, 12, 31) for r in address_history(anna))
    with pytest.raises(NotResident):
        move_out(actor=clerk, household=family, moved_out=date(2026, 1, 5))


def test_every_change_writes_its_audit_entry(family, clerk):
    move_within(actor=clerk, household=family, dwelling=dwelling(number="3"),
                moved_in=date(2025, 9, 15))
    actions = list(AuditEntry.objects.filter(action__startswith="residents.")
                   .values_list("action", "actor_id"))
    assert actions == [("residents.move_in", clerk.pk), ("residents.move_within", clerk.pk)]


def test_only_the_registration_office_changes_the_register(family, town):
    other = make_department(town, slug="steueramt", name="Steueramt")
    tax_clerk = make_staff(town, departments=[other], email="steuer@x.example")[0]
    for actor in (None, make_citizen(), tax_clerk):
        with pytest.raises(NotPermitted):
            move_within(actor=actor, household=family, dwelling=dwelling(number="3"),
                        moved_in=date(2025, 9, 15))
    assert Residence.objects.filter(moved_out__isnull=False).count() == 0


def test_every_objection_is_explained_in_one_german_sentence(settings):
    from django.utils import translation

    with translation.override("de"):
        for kind in ObjectionKind:
            sentence = str(OBJECTION_EXPLANATIONS[kind])
            assert sentence.endswith(".") and sentence.count(". ") == 0, kind
            assert " the " not in sentence, f"not translated: {sentence}"


def test_an_information_block_needs_a_reason(family, clerk):
    anna = Person.objects.get(given_names="Anna")
    with pytest.raises(ReasonRequired):
        file_objection(actor=clerk, person=anna, objection="information_block",
                       filed_on=date(2025, 1, 2))
    filed = file_objection(actor=clerk, person=anna, objection="information_block",
                           filed_on=date(2025, 1, 2), reason="Gefahr für Leib und Leben")
    again = file_objection(actor=clerk, person=anna, objection="information_block",
                           filed_on=date(2025, 2, 2), reason="Noch immer")
    assert again == filed


def test_newcomers_need_exactly_one_head(in_town, clerk):
    from rathaus.residents.services import HouseholdWithoutHead

    with pytest.raises(HouseholdWithoutHead):
        register_move_in(actor=clerk, household=FAMILY[1:], dwelling=dwelling(),
                         moved_in=date(2024, 3, 1), kind=ResidenceKind.MAIN)
    assert not Person.objects.exists()


def test_a_residence_of_an_unknown_kind_is_refused(family, clerk):
    with pytest.raises(ValueError):
        register_move_in(actor=clerk, household=family, dwelling=dwelling(number="3"),
                         moved_in=date(2024, 6, 1), kind="weekend")
    anna = Person.objects.get(given_names="Anna")
    with pytest.raises(IntegrityError), transaction.atomic():
        Residence.objects.create(person=anna, dwelling=dwelling(number="3"), kind="weekend",
                                 moved_in=date(2024, 6, 1), started_by="move_in")


def test_another_authority_sees_nothing_of_the_register(family, district):
    from rathaus.authorities.tenancy import authority_context

    with authority_context(district):
        assert not Person.objects.exists()
        assert not Residence.objects.exists()
