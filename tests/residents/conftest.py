from datetime import date

import pytest

from rathaus.residents.models import Dwelling, Relationship, ResidenceKind, Sex
from rathaus.residents.services import Newcomer, register_move_in
from tests.factories import make_department, make_staff


@pytest.fixture
def clerk(town):
    """A clerk of the town's Bürgerbüro, which keeps the register."""
    office = make_department(town, slug="buergerbuero", name="Bürgerbüro")
    return make_staff(town, departments=[office], email="melde@leichlingen.example")[0]


def dwelling(street="Marktstraße", number="17", key="01210") -> Dwelling:
    return Dwelling.objects.get_or_create(
        street_key=key, house_number=number,
        defaults={"street": street, "postcode": "42799", "place": "Leichlingen"})[0]


FAMILY = [
    Newcomer(family_name="Weber", given_names="Anna", date_of_birth=date(1985, 3, 2),
             place_of_birth="Köln", sex=Sex.FEMALE, nationality="DE",
             objections=("address_books",)),
    Newcomer(family_name="Weber", given_names="Jan", date_of_birth=date(1983, 7, 9),
             place_of_birth="Solingen", sex=Sex.MALE, relationship=Relationship.SPOUSE),
    Newcomer(family_name="Weber", given_names="Mia", date_of_birth=date(2015, 1, 20),
             place_of_birth="Köln", sex=Sex.FEMALE, relationship=Relationship.CHILD),
]


@pytest.fixture
def family(in_town, clerk):
    """The Webers, three, moved into Marktstraße 17 on 1 March 2024."""
    return register_move_in(actor=clerk, household=FAMILY, dwelling=dwelling(),
                            moved_in=date(2024, 3, 1), kind=ResidenceKind.MAIN).household
