"""Lebenslagen: entry pages by life event, each with the services that belong to it."""

import json

from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.life_events import LIFE_EVENTS
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from tests.factories import CHECKOUT, make_department


def test_the_definitions_name_the_same_life_events_as_the_pages():
    schema = json.loads((CHECKOUT / "src/rathaus/catalog/service-definition.schema.json")
                        .read_text())
    assert schema["properties"]["life_events"]["items"]["enum"] == list(LIFE_EVENTS)


def test_a_life_event_lists_its_services_and_the_home_page_links_it(dog_service, town):
    make_department(town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(town):
        offer_service(definition=definition("personalausweis"))  # ausweis, umzug
        offer_service(definition=definition("wohnsitzanmeldung"))  # umzug
    home = Client().get("/").text
    assert 'href="/lebenslagen/umzug/"' in home and 'href="/lebenslagen/hund/"' in home
    assert 'href="/lebenslagen/heirat/"' not in home  # nothing offered for it here

    page = Client().get("/lebenslagen/umzug/").text
    assert "Umziehen" in page and "2 Leistungen" in page
    assert "Personalausweis beantragen" in page and "Wohnsitz anmelden oder ummelden" in page
    assert "Hund anmelden" not in page
    assert "Online beantragen" in page  # the Ummeldung's card

    overview = Client().get("/lebenslagen/").text
    assert "Was steht bei Ihnen an?" in overview
    assert "Ein Kind bekommen" not in overview


def test_an_unknown_or_empty_life_event_is_not_found(dog_service):
    assert Client().get("/lebenslagen/heirat/").status_code == 404
    assert Client().get("/lebenslagen/gibt-es-nicht/").status_code == 404
