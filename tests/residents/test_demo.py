from rathaus.dogs.demo import DEMO_STREETS as DOG_STREETS
from rathaus.residents.demo import DEMO_STREETS, load_demo_residents
from rathaus.residents.models import Household, Person, Residence


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


def test_the_demo_lives_in_the_streets_of_the_street_directory():
    assert set(DEMO_STREETS) == {s for streets in DOG_STREETS.values() for s in streets}
