"""An authority offers a service only with the departments that work it; a town offers
its district's services (Fahrzeug zulassen) without them, since the district works
the cases."""

import pytest

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from tests.factories import make_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def kreis(db):
    return Authority.objects.create(slug="rbk", name="Rheinisch-Bergischer Kreis",
                                    short_name="Rhein.-Berg. Kreis", kind="district",
                                    municipality_key="05378")


@pytest.fixture
def leichlingen(kreis):
    return Authority.objects.create(slug="leichlingen", name="Stadt Leichlingen",
                                    short_name="Leichlingen", city="Leichlingen",
                                    parent=kreis)


def test_a_town_offers_its_districts_service_without_the_department(leichlingen):
    with authority_context(leichlingen):
        service = offer_service(definition=definition("fahrzeugzulassung"))
    assert service.department is None
    assert service.title == "Fahrzeug zulassen" and service.minimum_login_level == "hoch"


def test_the_district_offers_it_only_with_its_department(kreis):
    with authority_context(kreis), pytest.raises(ValueError, match="strassenverkehrsamt"):
        offer_service(definition=definition("fahrzeugzulassung"))
    office = make_department(kreis, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    with authority_context(kreis):
        assert offer_service(definition=definition("fahrzeugzulassung")).department == office


def test_a_town_still_needs_the_departments_of_its_own_services(leichlingen):
    with authority_context(leichlingen), pytest.raises(ValueError, match="steueramt"):
        offer_service(definition=definition("hundeanmeldung"))
