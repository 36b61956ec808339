"""The catalogue's pages pass axe-core at 1280 and 360 px: the home page with its
Lebenslagen, the Lebenslagen pages, an information service's page and an online
service's page with its measured processing times."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from tests.factories import make_department

from .conftest import findings_at_both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("catalogue-home", "/"),
    ("life-events", "/lebenslagen/"),
    ("life-event", "/lebenslagen/ausweis/"),
    ("information-service", "/leistungen/personalausweis/"),
    ("online-service", "/leistungen/hundeanmeldung/"),
]


def test_the_catalogue_pages_pass_axe(dog_town, open_page):
    make_department(dog_town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(dog_town):
        for service_id in ("personalausweis", "reisepass", "meldebescheinigung"):
            offer_service(definition=definition(service_id))
    page = open_page()
    findings = []
    for name, path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        findings += findings_at_both_widths(page, name, shot=name)
    assert "Reisepass beantragen" in page.goto("/lebenslagen/ausweis/").text()
    assert not findings, "\n\n".join(findings)
