"""Services without an online form: what to bring, what it costs, where and when, or
the way to a form elsewhere. The catalogue ships the town's and the district's common
ones; their pages say where to go and start no application."""

import pytest
import yaml
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.definitions import InvalidDefinition, load_all, load_definition
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from tests.factories import SERVICES_DIR, citizen_logged_in, make_department

SHIPPED = load_all(SERVICES_DIR)
INFORMATION = {key: d for key, d in SHIPPED.items() if not d.is_online}


def test_the_catalogue_ships_information_services_that_say_where_to_go():
    assert len(INFORMATION) >= 30
    for service in INFORMATION.values():
        assert service.contact or service.online_form, service.id
        assert len(service.leika) == 14, service.id
        assert service.keywords, service.id
    assert {d.performed_by for d in INFORMATION.values()} == {"municipality", "district"}


def _written(tmp_path, data) -> str:
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_an_information_service_without_contact_or_form_is_refused(tmp_path):
    data = yaml.safe_load((SERVICES_DIR / "personalausweis.yaml").read_text())
    del data["contact"]
    with pytest.raises(InvalidDefinition, match="contact: a service without steps"):
        load_definition(_written(tmp_path, data))


def test_an_online_service_needs_its_workflow(tmp_path):
    data = yaml.safe_load((SERVICES_DIR / "hundeanmeldung.yaml").read_text())
    del data["workflow"]
    with pytest.raises(InvalidDefinition, match="'workflow' is a dependency of 'steps'"):
        load_definition(_written(tmp_path, data))


@pytest.fixture
def identity_card_service(town):
    make_department(town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(town):
        return offer_service(definition=definition("personalausweis"))


def test_the_page_says_where_and_when_and_starts_no_application(identity_card_service,
                                                                 citizen):
    page = Client().get("/leistungen/personalausweis/").text
    assert "Wo und wann" in page
    assert "Bürgerbüro im Rathaus, Am Büscherhof 1" in page
    assert "Donnerstag" in page and "8:00–18:00" in page
    assert 'href="https://termine.leichlingen.example/buergerbuero"' in page
    assert 'href="tel:02175992-0"' not in page and 'href="tel:021759920"' in page
    assert "Online beantragen" not in page and "Antrag starten" not in page
    assert "Tatsächlich (letzte 90 Tage)" not in page  # no cases to measure
    client = citizen_logged_in(citizen)
    assert client.post("/leistungen/personalausweis/beantragen/").status_code == 404


def test_the_home_page_lists_them_and_marks_the_online_ones(identity_card_service,
                                                             dog_service):
    page = Client().get("/").text
    assert "Alle Leistungen" in page
    assert "Personalausweis beantragen" in page
    assert page.count("Online beantragen") == 1  # the dog registration's card
