"""Every page a citizen can reach passes axe-core, in German and English, on a desktop
and on a phone (and in dark mode), and never scrolls sideways on the phone."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.models import Service
from tests.factories import PASSWORD, make_citizen

from .conftest import findings_at_both_widths, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    ("home", "/"),
    ("search-hits", "/?q=hund"),
    ("search-no-hits", "/?q=einhorn"),
    ("imprint", "/impressum/"),
    ("privacy", "/datenschutz/"),
    ("accessibility", "/barrierefreiheit/"),
    ("login", "/konto/anmelden/"),
    ("register", "/konto/registrieren/"),
    ("password-reset", "/konto/passwort/vergessen/"),
    ("office-login", "/verwaltung/anmelden/"),
]
CITIZEN_PAGES = [
    ("my-account", "/konto/"),
    ("my-details", "/konto/daten/"),
    ("two-factor", "/konto/zwei-faktor/"),
    ("access-log", "/konto/zugriffe/"),
]


def submit_main_form(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_public_page_passes_axe(language, town, open_page):
    with authority_context(town):
        Service.objects.create(
            slug="hund-anmelden", title="Hund anmelden",
            summary="Melden Sie Ihren Hund für die Hundesteuer an.", keywords="Hundesteuer",
        )
        Service.objects.create(
            slug="wohnsitz-anmelden", title="Wohnsitz anmelden",
            summary="Nach einem Umzug nach Leichlingen melden Sie Ihre neue Wohnung an.",
        )
    citizen = make_citizen()
    findings: list[str] = []
    page = open_page()

    def audit(name):
        lang = page.locator("html").get_attribute("lang")
        if lang != language:
            findings.append(f"{language} {name}: <html lang={lang!r}>, expected {language!r}")
        # Colours do not depend on the language, so dark mode is checked in German only.
        findings.extend(findings_at_both_widths(page, f"{language} {name} ({page.url})",
                                                shot=f"{language}-{name}",
                                                dark=language == "de"))

    page.goto("/")
    if language != "de":
        switch_language(page, language)

    for name, path in PUBLIC_PAGES:
        response = page.goto(path)
        assert response.status == 200, f"{path}: HTTP {response.status}"
        audit(name)

    response = page.goto("/diese-seite-gibt-es-nicht/")
    assert response.status == 404
    expect(page.locator("h1")).to_be_visible()
    audit("not-found")

    page.goto("/konto/registrieren/")
    submit_main_form(page)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_privacy")).to_have_attribute("aria-invalid", "true")
    audit("register-errors")

    page.goto("/konto/anmelden/")
    page.fill("#id_username", citizen.email)
    page.fill("#id_password", "falsches-Passwort-1")
    submit_main_form(page)
    expect(page.locator(".error-summary")).to_be_visible()
    audit("login-wrong-password")

    page.fill("#id_username", citizen.email)
    page.fill("#id_password", PASSWORD)
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/konto/$"))
    for name, path in CITIZEN_PAGES:
        response = page.goto(path)
        assert response.status == 200 and page.url.endswith(path), f"{path} -> {page.url}"
        audit(name)

    assert not findings, "\n\n".join(findings)
