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


def test_the_finder_results_and_its_suggestions_pass_axe(dog_town, open_page):
    """The results of a colloquial query, then the suggestions htmx shows while typing,
    each at 1280 and 360 px; without scripts the same field finds the same services."""
    make_department(dog_town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(dog_town):
        for service_id in ("personalausweis", "reisepass", "hundemarke"):
            offer_service(definition=definition(service_id))
    page = open_page()
    assert page.goto("/?q=Perso+abgelaufen").status == 200
    first = page.locator(".card-list .kern-card").first
    assert "Personalausweis beantragen" in first.text_content()
    findings = findings_at_both_widths(page, "finder-results", shot="finder-results")

    page.goto("/")
    with page.expect_response(lambda r: "/suche/vorschlaege/" in r.url):
        page.locator("#service-query").press_sequentially("Hundemar", delay=30)
    suggestions = page.locator("#search-suggestions a")
    suggestions.first.wait_for()
    assert "Hundemarke" in suggestions.first.text_content()
    assert page.locator("#search-suggestions").get_attribute("aria-live") == "polite"
    findings += findings_at_both_widths(page, "finder-suggestions", shot="finder-suggestions")
    assert not findings, "\n\n".join(findings)

    without_scripts = open_page(javascript=False)
    without_scripts.goto("/")
    without_scripts.fill("#service-query", "Hundesteuermarke")
    with without_scripts.expect_navigation():
        without_scripts.locator("form[role=search] button[type=submit]").click()
    assert "Ersatz für eine verlorene Hundemarke" in without_scripts.locator(
        ".card-list .kern-card").first.text_content()
    assert not without_scripts.problems.take()
