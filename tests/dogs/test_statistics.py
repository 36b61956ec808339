import datetime

from rathaus.authorities.tenancy import authority_context
from rathaus.dogs.demo import create_demo_street_districts
from rathaus.dogs.statistics import UNASSIGNED, district_for, dogs_per_district
from tests.factories import dog_register


def test_streets_map_to_districts_whatever_the_spelling(in_town):
    create_demo_street_districts()
    assert district_for("Solinger Str.") == "Witzhelden"
    assert district_for("  marktstraße ") == "Leichlingen-Mitte"
    assert district_for("Unbekannter Weg") == ""


def test_dogs_per_district_suppresses_small_counts(town, citizen):
    from rathaus.dogs.models import Dog

    with authority_context(town):
        create = dog_register(citizen)
        for number in range(4):
            create("Witzhelden", number)
        for number in range(2):
            create("Unterberg", 10 + number)
        create("", 20)
        create("Witzhelden", 30, given_up=datetime.date(2026, 1, 31))
        rows = dogs_per_district(on=datetime.date(2026, 6, 1))
        assert Dog.objects.count() == 8
    assert rows == [
        {"district": UNASSIGNED, "dogs": None, "suppressed": True},
        {"district": "Unterberg", "dogs": None, "suppressed": True},
        {"district": "Witzhelden", "dogs": 4, "suppressed": False},
    ]
