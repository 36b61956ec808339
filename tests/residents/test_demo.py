from rathaus.dogs.demo import DEMO_STREETS as DOG_STREETS
from rathaus.residents.demo import DEMO_DIRECTORY, DEMO_STREETS, load_demo_residents
from rathaus.residents.models import Dwelling, Household, Person, Residence, Street


def _counts():
    return (Person.objects.count(), Household.objects.count(), Residence.objects.count())


def test_the_demo_loads_about_two_hundred_residents_once(in_town, clerk):
    assert load_demo_residents(clerk=clerk) == 85
    first = _counts()
    assert 180 <= first[0] <= 240
    assert Residence.objects.filter(kind="secondary", moved_out__isnull=True).exists()
    assert Residence.objects.filter(moved_out__isnull=False).exists()  # moved within
    assert load_demo_residents(clerk=clerk) == 0
    assert _counts() == first
    assert Street.objects.count() == len(DEMO_DIRECTORY)


def test_the_demo_lives_in_the_streets_of_the_street_directory(in_town, clerk):
    assert set(DEMO_STREETS) == {s for streets in DOG_STREETS.values() for s in streets}
    load_demo_residents(clerk=clerk)
    streets = {s.key: s.name for s in Street.objects.all()}
    for dwelling in Dwelling.objects.all():
        assert streets[dwelling.street_key] == dwelling.street
    assert {d.street for d in Dwelling.objects.all()} == set(DEMO_STREETS)


def test_the_demo_streets_lie_in_the_districts_the_dog_register_knows():
    districts = {name: district for _, name, district in DEMO_DIRECTORY}
    for district, streets in DOG_STREETS.items():
        for street in streets:
            assert districts[street] == district
