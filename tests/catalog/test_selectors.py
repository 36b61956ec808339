"""Which service the portal offers under a slug, for the authority of the request."""

import pytest
from django.utils import translation

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.models import Service
from rathaus.catalog.registry import definition
from rathaus.catalog.selectors import offered_service, processing_time, service_with_slug
from rathaus.catalog.services import offer_service
from tests.factories import make_department


@pytest.fixture
def offered(town):
    make_department(town, slug="steueramt", name="Steueramt")
    make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    with authority_context(town):
        return offer_service(definition=definition("hundeanmeldung"))


def test_a_published_service_with_a_definition_is_offered(offered, town):
    with authority_context(town):
        assert offered_service(slug="hundeanmeldung") == offered
        assert offered_service(slug="gibt-es-nicht") is None


def test_a_withdrawn_service_is_not_offered_but_still_found_for_its_cases(offered, town):
    with authority_context(town):
        Service.objects.filter(pk=offered.pk).update(is_published=False)
        assert offered_service(slug="hundeanmeldung") is None
        assert service_with_slug(slug="hundeanmeldung") == offered


def test_a_service_whose_definition_is_gone_is_not_offered(offered, town):
    with authority_context(town):
        Service.objects.create(slug="verschwunden", title="Verschwunden")
        assert offered_service(slug="verschwunden") is None


def test_another_authoritys_service_is_not_offered(offered, district):
    with authority_context(district):
        assert offered_service(slug="hundeanmeldung") is None
        assert service_with_slug(slug="hundeanmeldung") is None


def test_processing_time_is_in_the_active_language_and_empty_when_unknown(db):
    with translation.override("de"):
        assert processing_time(service_id="hundeanmeldung") == (
            definition("hundeanmeldung").processing_time["de"])
    assert processing_time(service_id="gibt-es-nicht") == ""
