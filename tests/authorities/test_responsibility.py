"""Who performs a service (Zuständigkeit): the town, or the district above it; a town
whose district is not on the instance knows where to send its residents."""

import pytest

from rathaus.authorities.models import Authority
from rathaus.authorities.responsibility import (
    NoResponsibleAuthority,
    home_authority,
    responsible_for,
    responsible_for_address,
)
from rathaus.catalog.registry import definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db):
    kreis = Authority.objects.create(slug="rbk", name="Rheinisch-Bergischer Kreis",
                                     short_name="Rhein.-Berg. Kreis", kind="district",
                                     municipality_key="05378", city="Bergisch Gladbach")
    town = Authority.objects.create(slug="leichlingen", name="Stadt Leichlingen (Rheinland)",
                                    short_name="Leichlingen", municipality_key="05378020",
                                    city="Leichlingen (Rheinland)", parent=kreis)
    elsewhere = Authority.objects.create(
        slug="monheim", name="Stadt Monheim am Rhein", short_name="Monheim am Rhein",
        city="Monheim am Rhein", parent_name="Kreis Mettmann",
        parent_url="https://www.kreis-mettmann.de/")
    return kreis, town, elsewhere


def test_a_towns_service_is_performed_by_the_town(region):
    _kreis, town, _elsewhere = region
    assert responsible_for(performed_by="municipality", home=town).authority == town


def test_a_district_service_is_performed_by_the_district_above_the_town(region):
    kreis, town, _elsewhere = region
    found = responsible_for(performed_by="district", home=town)
    assert found.authority == kreis and found.on_this_instance
    assert found.name == "Rheinisch-Bergischer Kreis"


def test_a_district_elsewhere_is_named_with_its_address(region):
    _kreis, _town, elsewhere = region
    found = responsible_for(performed_by="district", home=elsewhere)
    assert not found.on_this_instance
    assert (found.name, found.url) == ("Kreis Mettmann", "https://www.kreis-mettmann.de/")


def test_the_residents_address_decides(region):
    kreis, town, _elsewhere = region
    assert home_authority(city="Leichlingen") == town
    assert home_authority(city="leichlingen (rheinland)") == town
    assert responsible_for_address(performed_by="district", city="Leichlingen").authority \
        == kreis
    with pytest.raises(NoResponsibleAuthority):
        responsible_for_address(performed_by="district", city="Hamburg")


def test_a_district_asked_for_a_towns_service_has_no_answer(region):
    kreis, _town, _elsewhere = region
    with pytest.raises(NoResponsibleAuthority):
        responsible_for(performed_by="municipality", home=kreis)


def test_services_say_who_performs_them():
    assert definition("wohnsitzanmeldung").performed_by == "municipality"
    assert definition("hundeanmeldung").performed_by == "municipality"
