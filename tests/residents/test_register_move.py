"""A registration of residence as the online service brings it: whole or part of a
household, known or new persons, and the Rückmeldung of another authority."""

from dataclasses import replace
from datetime import date

import pytest

from rathaus.accounts.permissions import NotPermitted
from rathaus.residents.models import HouseholdMember, Person, Relationship, ResidenceKind
from rathaus.residents.selectors import address_history, current_address
from rathaus.residents.services import (
    HouseholdWithoutHead,
    RegisterError,
    receive_report_back,
    register_move,
)
from tests.factories import make_department, make_staff

from .conftest import FAMILY, dwelling

pytestmark = pytest.mark.django_db


def test_the_whole_household_moving_within_the_town_keeps_its_history(family, clerk):
    change = register_move(actor=clerk, movers=FAMILY, dwelling=dwelling(number="40"),
                           moved_in=date(2026, 11, 20), kind=ResidenceKind.MAIN)
    assert change.kind == "move_within"
    assert change.household == family
    anna = Person.objects.get(given_names="Anna")
    assert str(current_address(anna)) == "Marktstraße 40, 42799 Leichlingen"
    history = address_history(anna)
    assert [(r.dwelling.house_number, r.moved_out) for r in history] == [
        ("17", date(2026, 11, 20)), ("40", None)]


def test_after_moving_twice_within_the_town_each_person_has_one_main_residence(family,
                                                                              clerk):
    for number, day in (("40", date(2026, 11, 20)), ("41", date(2026, 11, 25))):
        register_move(actor=clerk, movers=FAMILY, dwelling=dwelling(number=number),
                      moved_in=day, kind=ResidenceKind.MAIN)
    for person in Person.objects.filter(family_name="Weber"):
        current = person.residences.filter(moved_out__isnull=True)
        assert [(r.kind, r.dwelling.house_number) for r in current] == [("main", "41")]
        assert person.residences.count() == 3


def test_a_secondary_residence_in_town_stays_when_the_main_one_moves_here(in_town, clerk):
    from rathaus.residents.services import register_move_in

    newcomer = replace(FAMILY[0], family_name="Zweit")
    register_move_in(actor=clerk, household=[newcomer], dwelling=dwelling(number="2"),
                     moved_in=date(2025, 1, 1), kind=ResidenceKind.SECONDARY)
    register_move(actor=clerk, movers=[newcomer], dwelling=dwelling(number="3"),
                  moved_in=date(2026, 11, 20), kind=ResidenceKind.MAIN)
    person = Person.objects.get(family_name="Zweit")
    current = person.residences.filter(moved_out__isnull=True).order_by("kind")
    assert [(r.kind, r.dwelling.house_number) for r in current] == [
        ("main", "3"), ("secondary", "2")]


def test_part_of_a_household_moving_forms_its_own_and_the_rest_stays(family, clerk):
    anna, mia = FAMILY[0], FAMILY[2]
    change = register_move(actor=clerk, movers=[anna, mia], dwelling=dwelling(number="5"),
                           moved_in=date(2026, 11, 20), kind=ResidenceKind.MAIN)
    assert change.household != family
    jan = Person.objects.get(given_names="Jan")
    assert str(current_address(jan)) == "Marktstraße 17, 42799 Leichlingen"
    assert HouseholdMember.objects.get(person=jan).household == family
    assert {m.person.given_names: m.relationship for m in change.household.members.all()} == {
        "Anna": "head", "Mia": "child"}


def test_newcomers_are_entered_and_their_objections_filed(in_town, clerk):
    movers = [replace(FAMILY[0], family_name="Neu"), replace(FAMILY[2], family_name="Neu")]
    change = register_move(actor=clerk, movers=movers, dwelling=dwelling(number="9"),
                           moved_in=date(2026, 12, 1), kind=ResidenceKind.MAIN)
    assert change.kind == "move_in"
    assert Person.objects.filter(family_name="Neu").count() == 2
    assert {o.kind for p in Person.objects.filter(family_name="Neu")
            for o in p.objections.all()} == {"address_books"}


def test_a_move_needs_one_head(in_town, clerk):
    with pytest.raises(HouseholdWithoutHead):
        register_move(actor=clerk, movers=FAMILY[1:], dwelling=dwelling(number="9"),
                      moved_in=date(2026, 12, 1), kind=ResidenceKind.MAIN)


def test_moving_into_the_dwelling_one_lives_in_is_refused(family, clerk):
    with pytest.raises(RegisterError):
        register_move(actor=clerk, movers=FAMILY, dwelling=dwelling(),
                      moved_in=date(2026, 12, 1), kind=ResidenceKind.MAIN)


def test_only_the_registration_office_may_register_a_move(in_town, town):
    tax_office = make_department(town, slug="steueramt", name="Steueramt")
    other = make_staff(town, departments=[tax_office], email="steuer@leichlingen.example")[0]
    with pytest.raises(NotPermitted):
        register_move(actor=other, movers=FAMILY, dwelling=dwelling(number="9"),
                      moved_in=date(2026, 12, 1), kind=ResidenceKind.MAIN)


def test_a_report_back_ends_the_residences_of_those_who_moved_away(family):
    change = receive_report_back(movers=[FAMILY[0], FAMILY[2]], moved_out=date(2026, 12, 1),
                                 new_address="Hauptstraße 1, 51399 Burscheid")
    assert change.kind == "move_out"
    assert current_address(Person.objects.get(given_names="Anna")) is None
    assert current_address(Person.objects.get(given_names="Jan")) is not None
    assert Relationship.HEAD in family.members.values_list("relationship", flat=True)


def test_a_report_back_about_strangers_changes_nothing(family):
    stranger = replace(FAMILY[0], given_names="Unbekannt")
    assert receive_report_back(movers=[stranger], moved_out=date(2026, 12, 1),
                               new_address="x") is None
