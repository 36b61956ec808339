"""Moving house in the browser, from the e-mail login to the Meldebestätigung: the step-up
to the online ID card at the test identity provider, the form prefilled from the card
and locked, a partner and a child added, the landlord confirming through the link in
the real e-mail (caught by the SMTP server on loopback), the Bürgerbüro registering, the
register showing the new address with the old one kept, and the certificate in the
mailbox with its receipts. Every page passes axe-core at both widths."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.residents.directory import dwelling_at, street_named
from rathaus.residents.models import Person, Relationship, Street
from rathaus.residents.services import Newcomer, register_move_in
from tests.factories import PASSWORD, make_department, make_staff

from .conftest import findings_at_both_widths
from .test_accessibility import fits_a_phone
from .test_dog_registration import (
    SLOW,
    click_and_wait,
    office_action,
    office_login,
    open_case_from_basket,
    wait_for_mail,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANDLORD = "vermietung@hausverwaltung-rhein.example"
# The link names the authority's host; the test's server listens elsewhere, so the path.
LINK = re.compile(r"https?://[^/\s]+(/bestaetigung/[\w-]{40,}/)")


class Audit:
    """axe-core and the phone's width on every page; the findings are told at the end."""

    def __init__(self):
        self.findings: list[str] = []

    def __call__(self, page, where: str, shot: str | None = None):
        self.findings += findings_at_both_widths(page, where, shot=shot and f"move-{shot}")
        self.findings += fits_a_phone(page, where)

    def assert_clean(self):
        assert not self.findings, "\n\n".join(self.findings)


@pytest.fixture
def moving_town(town):
    """Leichlingen's Bürgerbüro offering the service; Anna Testfrau (a person of the test
    identity provider) lives in Brückenstraße 12 with her partner and daughter."""
    office = make_department(town, slug="buergerbuero", name="Bürgerbüro")
    with authority_context(town):
        offer_service(definition=definition("wohnsitzanmeldung"))
        create_demo_notice_settings()
        for key, name in (("00340", "Brückenstraße"), ("01210", "Marktstraße")):
            Street.objects.create(key=key, name=name, postcode="42799",
                                  place="Leichlingen", district="Leichlingen-Mitte")
    clerk, device = make_staff(town, departments=[office], email="melde@leichlingen.example")
    clerk.first_name, clerk.last_name = "Mia", "Melde"
    clerk.save(update_fields=["first_name", "last_name"])
    with authority_context(town):
        register_move_in(
            actor=clerk, dwelling=dwelling_at(street=street_named("Brückenstraße"),
                                              house_number="12"),
            moved_in=timezone.localdate().replace(year=2019), kind="main", household=[
                Newcomer(family_name="Testfrau", given_names="Anna",
                         date_of_birth=timezone.datetime(1985, 3, 14).date(),
                         place_of_birth="Solingen", sex="w"),
                Newcomer(family_name="Testmann", given_names="Tim",
                         date_of_birth=timezone.datetime(1983, 2, 11).date(),
                         place_of_birth="Köln", sex="m", relationship=Relationship.PARTNER),
                Newcomer(family_name="Testfrau", given_names="Lina",
                         date_of_birth=timezone.datetime(2018, 6, 3).date(),
                         place_of_birth="Leichlingen", sex="w",
                         relationship=Relationship.CHILD)])
    return clerk, device


def test_moving_within_the_town_from_login_to_the_meldebestaetigung(
        town, moving_town, citizen, smtp_inbox, open_page, live_server):
    clerk, device = moving_town
    audit = Audit()
    today = timezone.localdate()

    # 1. Logged in with e-mail and password (basisregistrierung), the service asks for more.
    page = open_page()
    page.goto("/konto/anmelden/?next=/leistungen/wohnsitzanmeldung/")
    main = page.locator("main")
    main.get_by_label("E-Mail-Adresse").fill(citizen.email)
    main.get_by_label("Passwort").fill(PASSWORD)
    click_and_wait(page, main.get_by_role("button", name="Anmelden"))
    expect(page.locator("h1")).to_have_text("Wohnsitz anmelden oder ummelden")
    audit(page, "service page", shot="service")
    click_and_wait(page, main.get_by_role("button", name="Antrag starten"))
    expect(page.locator("h1")).to_have_text("Eine sicherere Anmeldung ist nötig")
    audit(page, "login level needed")

    # 2. The test identity provider, then back at level hoch.
    click_and_wait(page, page.get_by_role("link", name="Mit dem Online-Ausweis anmelden"))
    expect(main).to_contain_text("Test-Identität – keine echte Anmeldung")
    page.get_by_label(re.compile("Anna Testfrau")).check()
    page.get_by_label(re.compile("Hoch")).check()
    click_and_wait(page, page.get_by_role("button", name="Mit der Test-Identität anmelden"))
    click_and_wait(page, page.get_by_role("button", name="Weiter zum Bürgerportal"))
    expect(page).to_have_url(re.compile(r"/leistungen/wohnsitzanmeldung/$"))
    click_and_wait(page, main.get_by_role("button", name="Antrag starten"))
    expect(page).to_have_url(re.compile(r"/antraege/[0-9a-f-]+/schritt/1/$"))

    # 3. Step 1: prefilled from the ID card and locked.
    first_name = main.get_by_label("Vornamen", exact=True)
    expect(first_name).to_have_value("Anna")
    expect(first_name).to_have_attribute("readonly", "")
    expect(main.get_by_label("Bisherige Anschrift: Straße")).to_have_value("Brückenstraße")
    expect(main).to_contain_text("Aus Ihrem Online-Ausweis – hier nicht änderbar")
    audit(page, "step 1, from the ID card", shot="step1")
    main.get_by_label("weiblich", exact=True).check()
    next_step = main.get_by_role("button", name="Speichern und weiter")
    click_and_wait(page, next_step)

    # Step 2: the new home; a typo in the street is caught in German.
    main.get_by_label("Innerhalb der Stadt").check()
    main.get_by_label("Straße", exact=True).fill("Marktstrase")
    main.get_by_label("Hausnummer", exact=True).fill("5")
    main.get_by_label("Postleitzahl", exact=True).fill("42799")
    main.get_by_label("Einzugsdatum").fill(today.strftime("%d.%m.%Y"))
    main.get_by_label("Ja, Hauptwohnung").check()
    click_and_wait(page, next_step)
    expect(main).to_contain_text("Diese Straße kennen wir in der Stadt nicht")
    audit(page, "step 2 with an unknown street", shot="step2-error")
    main.get_by_label("Straße", exact=True).fill("Marktstraße")
    click_and_wait(page, next_step)

    # Step 3: the partner and the child.
    main.get_by_label("Zwei Personen").check()
    for number, (given, family, born, place, sex, relation) in enumerate([
            ("Tim", "Testmann", "11.02.1983", "Köln", "männlich",
             "Lebenspartnerin oder Lebenspartner"),
            ("Lina", "Testfrau", "03.06.2018", "Leichlingen", "weiblich", "Kind")], start=1):
        main.get_by_label(f"Person {number}: Vornamen").fill(given)
        main.get_by_label(f"Person {number}: Familienname").fill(family)
        main.get_by_label(f"Person {number}: Geburtsdatum").fill(born)
        main.get_by_label(f"Person {number}: Geburtsort").fill(place)
        main.locator("fieldset").filter(has_text=f"Person {number}: Geschlecht").get_by_label(
            sex, exact=True).check()
        main.locator("fieldset").filter(has_text=f"Person {number}: Wie ist").get_by_label(
            relation, exact=True).check()
    main.get_by_label(re.compile("Alle genannten Personen ziehen mit mir")).check()
    audit(page, "step 3, the household", shot="step3")
    click_and_wait(page, next_step)

    # Step 4: the landlord, by e-mail.
    main.get_by_label("Bitte fragen Sie sie oder ihn per E-Mail").check()
    main.get_by_label("Name der Wohnungsgeberin oder des Wohnungsgebers").fill(
        "Hausverwaltung Rhein GmbH")
    main.get_by_label("E-Mail-Adresse der Wohnungsgeberin oder des Wohnungsgebers").fill(
        LANDLORD)
    click_and_wait(page, next_step)

    # Step 5: one objection, then the summary and sending.
    main.get_by_label(re.compile("Adressbuchverlage")).check()
    audit(page, "step 5, objections", shot="step5")
    click_and_wait(page, next_step)
    audit(page, "summary", shot="summary")
    click_and_wait(page, main.get_by_role("button", name="Antrag absenden"), timeout=SLOW)
    expect(page).to_have_url(re.compile(r"/antraege/vorgaenge/[0-9a-f-]+/|/vorgaenge/"))
    case_url = page.url
    expect(main).to_contain_text("Hausverwaltung Rhein GmbH")
    audit(page, "case page waiting for the landlord", shot="case-waiting")
    with authority_context(town):
        case = Case.objects.get(applicant__email__isnull=False, service_id="wohnsitzanmeldung")

    # 4. The landlord opens the link from the real e-mail, without an account.
    mail = wait_for_mail(smtp_inbox, lambda m: m["To"] == LANDLORD)
    link = LINK.search(smtp_inbox.body(mail)).group(1)
    landlord = open_page()
    landlord.goto(link)
    landlord_main = landlord.locator("main")
    expect(landlord.locator("h1")).to_have_text("Wohnungsgeberbestätigung")
    expect(landlord_main).to_contain_text("Marktstraße")
    expect(landlord_main).to_contain_text("Tim")
    for private in ("14.03.1985", "Brückenstraße", "Solingen", citizen.email, "Adressbuch"):
        expect(landlord_main).not_to_contain_text(private)
    audit(landlord, "landlord's page", shot="landlord")
    landlord_main.get_by_label("Ihre Anschrift: Straße und Hausnummer").fill("Rheinufer 1")
    landlord_main.get_by_label("Ihre Anschrift: Postleitzahl").fill("42799")
    landlord_main.get_by_label("Ihre Anschrift: Ort").fill("Leichlingen")
    landlord_main.get_by_label(re.compile("Ich bestätige als Wohnungsgeberin")).check()
    click_and_wait(landlord, landlord_main.get_by_role("button", name="Bestätigen",
                                                       exact=True))
    audit(landlord, "landlord's thanks", shot="landlord-done")
    landlord.goto(link)
    expect(landlord.locator("h1")).to_contain_text("nicht")  # used once only

    # 5. The Bürgerbüro registers.
    office = office_login(open_page, audit, clerk, device, where="Bürgerbüro")
    open_case_from_basket(office, audit, case.reference, where="Bürgerbüro", shot="clerk")
    expect(office.locator("main")).to_contain_text("Hausverwaltung Rhein GmbH")
    office_action(office, "Im Melderegister eintragen", says="")
    expect(office.locator("main")).to_contain_text("Meldebestätigung")

    # 6. The register shows the new address and keeps the old one.
    office.goto("/verwaltung/melderegister/?family_name=Testfrau&given_names=Anna")
    click_and_wait(office, office.locator("main").get_by_role("link", name=re.compile("Anna")))
    register = office.locator("main")
    expect(register).to_contain_text("Marktstraße 5")
    expect(register).to_contain_text("Brückenstraße 12")
    audit(office, "register page of the person", shot="register")
    with authority_context(town):
        tim = Person.objects.get(given_names="Tim")
        assert str(tim.residences.get(moved_out__isnull=True).dwelling).startswith(
            "Marktstraße 5")
        assert Person.objects.filter(family_name__in=["Testfrau", "Testmann"]).count() == 3

    # 7. The Meldebestätigung in the citizen's mailbox, with its receipts.
    page.goto(case_url)
    page.goto("/konto/postfach/")
    row = page.get_by_role("listitem").filter(has_text="Meldebestätigung")
    expect(row).to_contain_text(case.reference)
    click_and_wait(page, row.get_by_role("link", name=re.compile("Meldebestätigung")))
    expect(main).to_contain_text("Aufkleber")
    audit(page, "the Meldebestätigung in the mailbox", shot="mailbox")
    with page.expect_download() as download:
        main.get_by_role("link", name=re.compile(r"meldebestaetigung.*\.pdf")).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as receipt:
        main.get_by_role("link", name="Abholbestätigung").click()
    assert receipt.value.suggested_filename.startswith("nachweis-abholung-")
    with authority_context(town):
        assert Department.objects.get(slug="buergerbuero").tasks.filter(
            case=case).exclude(status="done").count() == 0
    audit.assert_clean()
