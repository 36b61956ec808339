"""The SAML login in the browser: the step-up from a service that needs level hoch, the
test identity provider's pages, the way back to the service, and the refusal page.
Every page passes axe-core and fits a phone."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.catalog import registry
from rathaus.catalog.definitions import ServiceDefinition
from tests.factories import PASSWORD

from .conftest import findings_at_both_widths
from .test_accessibility import fits_a_phone, submit_main_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEST_BANNER = "Test-Identität – keine echte Anmeldung"


@pytest.fixture
def hoch_service(dog_service):
    original = registry.definition("hundeanmeldung")
    registry._definitions["hundeanmeldung"] = ServiceDefinition(
        **{**original.__dict__, "minimum_login_level": "hoch"})
    yield
    registry._definitions["hundeanmeldung"] = original


def test_step_up_through_the_test_identity_provider(hoch_service, citizen, open_page):
    findings: list[str] = []
    page = open_page()

    def audit(name):
        where = f"{name} ({page.url})"
        findings.extend(findings_at_both_widths(page, where, shot=f"saml-{name}"))
        findings.extend(fits_a_phone(page, where))

    page.goto("/konto/anmelden/?next=/leistungen/hundeanmeldung/")
    page.fill("#id_username", citizen.email)
    page.fill("#id_password", PASSWORD)
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/leistungen/hundeanmeldung/$"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Eine sicherere Anmeldung ist nötig")
    audit("level-needed")

    with page.expect_navigation():
        page.get_by_role("link", name="Mit dem Online-Ausweis anmelden").click()
    expect(page).to_have_url(re.compile(r"/saml/test-idp/sso/\?SAMLRequest="))
    expect(page.locator("main")).to_contain_text(TEST_BANNER)
    audit("test-idp-login")

    page.get_by_label(re.compile("Clara Musterer")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Mit der Test-Identität anmelden").click()
    expect(page.locator("main")).to_contain_text(TEST_BANNER)
    audit("test-idp-confirms")

    with page.expect_navigation():
        page.get_by_role("button", name="Weiter zum Bürgerportal").click()
    expect(page).to_have_url(re.compile(r"/leistungen/hundeanmeldung/$"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/antraege/[0-9a-f-]+/schritt/1/$"))

    page.goto("/konto/")
    expect(page.locator("main")).to_contain_text("Hoch (Online-Ausweis)")
    assert not findings, "\n\n".join(findings)


def test_the_hop_page_and_the_refusal_page(town, open_page):
    """Without a session cookie the response is posted once more from this site (the
    hop page, held here by leaving out its script), then refused."""
    page = open_page()
    page.route("**/auto-submit.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=""))
    page.goto("/")
    with page.expect_navigation():
        page.evaluate("""() => {
            const form = document.createElement('form');
            form.method = 'post'; form.action = '/saml/acs/';
            const field = document.createElement('input');
            field.type = 'hidden'; field.name = 'SAMLResponse'; field.value = 'PGZvcmdlZC8+';
            form.appendChild(field); document.body.appendChild(form); form.submit();
        }""")
    expect(page.locator("h1")).to_have_text("Anmeldung wird abgeschlossen")
    findings = findings_at_both_widths(page, "hop", shot="saml-hop")
    findings += fits_a_phone(page, "hop")
    with page.expect_navigation():
        page.get_by_role("button", name="Weiter zum Bürgerportal").click()
    expect(page.locator("h1")).to_have_text("Die Anmeldung wurde abgelehnt")
    findings += findings_at_both_widths(page, "refused", shot="saml-refused")
    findings += fits_a_phone(page, "refused")
    assert not findings, "\n\n".join(findings)


def test_the_hop_sends_itself_with_javascript(town, open_page):
    page = open_page()
    page.goto("/")
    page.evaluate("""() => {
        const form = document.createElement('form');
        form.method = 'post'; form.action = '/saml/acs/';
        const field = document.createElement('input');
        field.type = 'hidden'; field.name = 'SAMLResponse'; field.value = 'PGZvcmdlZC8+';
        form.appendChild(field); document.body.appendChild(form); form.submit();
    }""")
    expect(page.locator("h1")).to_have_text("Die Anmeldung wurde abgelehnt")
