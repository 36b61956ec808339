"""Every page a citizen can reach passes axe-core, in German and English, on a desktop
and on a phone (and in dark mode), and never scrolls sideways on the phone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rathaus.accounts.models import User
from rathaus.authorities.tenancy import authority_context
from rathaus.cases import actions
from rathaus.cases.models import Case
from rathaus.catalog.models import Service
from rathaus.dogs.models import Dog
from rathaus.mailbox.models import Attachment, Message
from tests.factories import (
    DOG,
    HOLDER,
    PASSWORD,
    PAYMENT_TRANSFER,
    approve_in_the_office,
    citizen_logged_in,
    make_citizen,
    send_application,
    send_step,
    start_application,
)

from .conftest import DESKTOP, PHONE, findings_at_both_widths, switch_language

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


# A request whose text carries a long address: it made the message page 471 px wide.
LONG_URL_REQUEST = (
    "Bitte laden Sie den Nachweis der Haftpflichtversicherung hoch. Hinweise dazu: "
    "https://www.leichlingen.de/rathaus-service/buergerservice/hundesteuer-und-hundehaltung/"
    "haftpflichtversicherung-nachweis-fuer-grosse-hunde")


def fits_a_phone(page, where: str) -> list[str]:
    """The page at 360 px is no wider than the screen."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    return [] if width <= PHONE["width"] else [f"{where}: {width} px wide at 360 px"]


@pytest.mark.usefixtures("dog_town")
def test_the_citizens_pages_around_a_service_pass_axe_and_fit_a_phone(
    town, district, citizen, open_page, live_server
):
    """Service page with its costs, summary, case pages before and after the decision,
    "Meine Anträge", mailbox messages with tables and a long address, and the
    deregistration's question, errors, summary and confirmation."""
    client = citizen_logged_in(citizen)
    approved = send_application(client)
    approve_in_the_office(town, approved)
    waiting = send_application(client, dog={**DOG, "dog_name": "Luna"})
    draft = start_application(client)
    for number, data in enumerate([HOLDER, DOG, {"is_large": "no"}, PAYMENT_TRANSFER], 1):
        send_step(client, draft_id=draft, number=number, data=data)
    with authority_context(town):
        clerk = User.objects.get(email="max@x.example")
        actions.request_information(case=Case.objects.get(pk=waiting), staff=clerk,
                                    text=LONG_URL_REQUEST)
        request_message = Message.objects.filter(reference=Case.objects.get(
            pk=waiting).reference).get()
        notice_message = Attachment.objects.get(message__recipient=citizen).message_id
        dog = Dog.objects.get()
    findings: list[str] = []
    page = open_page()

    def audit(name):
        where = f"{name} ({page.url})"
        findings.extend(findings_at_both_widths(page, where, shot=f"citizen-{name}"))
        findings.extend(fits_a_phone(page, where))

    page.goto("/")
    expect(page.locator("#service-query-hint")).to_have_text(
        "Zum Beispiel: Hundesteuer oder Hund anmelden")
    audit("home-examples")
    page.goto(live_server.url.replace("localhost", "rbk.localhost") + "/")
    expect(page.locator("#service-query-hint")).to_contain_text("noch keine")
    audit("district-home")
    page.goto("/leistungen/hundeanmeldung/")
    expect(page.locator("#costs-heading")).to_have_text("Hundesteuer pro Jahr")
    audit("service-costs")

    page.goto("/konto/anmelden/")
    page.fill("#id_username", citizen.email)
    page.fill("#id_password", PASSWORD)
    submit_main_form(page)
    for name, path in [
        ("summary-costs", f"/antraege/{draft}/pruefen/"),
        ("case-approved", f"/vorgaenge/{approved}/"),
        ("case-waiting", f"/vorgaenge/{waiting}/"),
        ("my-applications", "/konto/"),
        ("mailbox", "/konto/postfach/"),
        ("message-long-address", f"/konto/postfach/{request_message.pk}/"),
        ("message-notice", f"/konto/postfach/{notice_message}/"),
    ]:
        assert page.goto(path).status == 200, path
        audit(name)
    page.goto(f"/vorgaenge/{approved}/")
    expect(page.locator("#outcome-heading")).to_have_text("Ihr Antrag ist genehmigt")

    main = page.locator("main")
    page.goto(f"/hunde/{dog.pk}/abmelden/")
    audit("deregister-question")
    with page.expect_navigation():
        main.get_by_role("button", name="Weiter").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit("deregister-errors")
    main.get_by_label("Seit wann ist der Hund nicht mehr bei Ihnen?").fill(
        f"{timezone.localdate():%d.%m.%Y}")
    main.get_by_label("Der Hund ist gestorben").check()
    with page.expect_navigation():
        main.get_by_role("button", name="Weiter").click()
    expect(page.locator("h1")).to_have_text("Prüfen Sie Ihre Antworten")
    audit("deregister-check")
    with page.expect_navigation():
        main.get_by_role("button", name="Abmeldung absenden").click()
    expect(page.locator("h1")).to_have_text(f"{dog.name} ist abgemeldet")
    audit("deregister-done")

    assert not findings, "\n\n".join(findings)
