"""A person's history says why each residence started and ended: moved in from
elsewhere, moved within the town, moved away."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from rathaus.residents.models import Person, Residence, ResidenceKind
from rathaus.residents.selectors import address_history
from rathaus.residents.services import move_out, move_within, register_move_in

from .conftest import dwelling

pytestmark = pytest.mark.django_db


def _history(given_names: str) -> list[tuple]:
    person = Person.objects.get(given_names=given_names)
    return [(r.dwelling.house_number, r.kind, r.started_by, r.ended_by)
            for r in address_history(person)]


def test_moving_in_within_and_away_are_each_recorded_as_such(family, clerk):
    move_within(actor=clerk, household=family, dwelling=dwelling(number="3"),
                moved_in=date(2025, 4, 1))
    move_out(actor=clerk, household=family, moved_out=date(2026, 2, 28))
    assert _history("Mia") == [("17", "main", "move_in", "move_within"),
                               ("3", "main", "move_within", "move_out")]


def test_a_secondary_residence_moved_in_and_ended_with_the_move_away(family, clerk):
    register_move_in(actor=clerk, household=family,
                     dwelling=dwelling("Unterberg", "5", "02510"),
                     moved_in=date(2024, 6, 1), kind=ResidenceKind.SECONDARY)
    assert _history("Anna") == [("17", "main", "move_in", ""),
                                ("5", "secondary", "move_in", "")]
    move_out(actor=clerk, household=family, moved_out=date(2025, 1, 31))
    assert _history("Anna") == [("17", "main", "move_in", "move_out"),
                                ("5", "secondary", "move_in", "move_out")]


def test_a_current_residence_has_no_end_and_an_ended_one_says_why(family):
    residence = Residence.objects.filter(person__given_names="Anna").get()
    residence.ended_by = "move_out"
    with pytest.raises(IntegrityError), transaction.atomic():
        residence.save()
    residence.refresh_from_db()
    residence.moved_out = date(2025, 1, 31)
    residence.ended_by = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        residence.save()
