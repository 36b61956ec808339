"""A burial in the browser: the demo undertaker (Bestattungshaus Wupperweg) logs in with
the firm access (password and security code), applies for an urn burial in a new urn
grave of choice at Friedhof Leichlingen-Mitte, the Friedhofsverwaltung books field,
grave and date on its booking page and approves, the decision issues the fee notice, and
the undertaker downloads it from the firm's mailbox: its GiroCode asks for the urn
burial's fee plus the right of use of the demo's bylaw. Every step of the undertaker's
form passes axe-core at 360 and 1280 px."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from rathaus.accounts.models import Firm, FirmMember, User
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.cemeteries.demo import BYLAW, URN_FEE
from rathaus.cemeteries.models import Burial, GraveKind
from rathaus.demo import data
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.payments.demo import create_demo_payment_account
from tests.cemeteries.conftest import make_demo_cemeteries
from tests.factories import PASSWORD, current_totp

from .test_dog_registration import (
    SLOW,
    click_and_wait,
    office_login,
    open_case_from_basket,
    pdf_file,
    read_girocode,
)
from .test_moving_house import Audit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERVICE = "bestattung"
REFERENCE = re.compile(r"68\.20\.01-[\w./-]+")
# The demo bylaw (cemeteries/demo.py): an urn burial and a new urn grave of choice.
AMOUNT = URN_FEE + BYLAW[GraveKind.URN_CHOICE]["right_fee"]


@pytest.fixture
def burial_town(town):
    """Leichlingen with the demo cemeteries kept by its Friedhofsverwaltung (its clerk),
    offering Bestattung anmelden, and the demo undertaker admitted with one person whose
    firm access is set up (password and security code app)."""
    world = make_demo_cemeteries(town)
    with authority_context(town):
        create_demo_payment_account()
        create_demo_notice_settings()
        offer_service(definition=definition(SERVICE))
        firm = Firm.objects.create(name=data.FIRM_NAME, trade=Firm.Trade.UNDERTAKER,
                                   email=data.FIRM_CONTACT, department=world["department"],
                                   **data.FIRM_ADDRESS)
    first, last = data.FIRM_PERSON
    person = User.objects.create_user(data.FIRM_EMAIL, PASSWORD, first_name=first,
                                      last_name=last, kind=User.Kind.FIRM,
                                      email_verified_at=timezone.now())
    with authority_context(town):
        FirmMember.objects.create(firm=firm, user=person)
    device = TOTPDevice.objects.create(user=person, name="Handy", confirmed=True)
    return world | {"person": person, "person_device": device}


def undertaker_login(page, audit, person, device):
    """From the service page through the portal's login: password, then the code."""
    page.goto(f"/leistungen/{SERVICE}/")
    expect(page.locator("h1")).to_have_text("Bestattung anmelden")
    audit(page, "service page (logged out)", shot="service")
    main = page.locator("main")
    click_and_wait(page, main.get_by_role("link", name="Anmelden und Antrag stellen"))
    main.get_by_label("E-Mail-Adresse").fill(person.email)
    main.get_by_label("Passwort").fill(PASSWORD)
    click_and_wait(page, main.get_by_role("button", name="Anmelden"))
    expect(page).to_have_url(re.compile(r"/konto/anmelden/code/"))
    page.locator("#id_otp_token").fill(current_totp(device))
    click_and_wait(page, main.locator("form button[type=submit]"))
    expect(page).to_have_url(re.compile(rf"/leistungen/{SERVICE}/$"))
    audit(page, "service page (firm access)")


def test_an_undertaker_applies_for_an_urn_burial_and_gets_the_fee_notice(
        town, burial_town, open_page, live_server, tmp_path):
    world, audit = burial_town, Audit()
    wished = timezone.localdate() + timedelta(days=6)
    died = timezone.localdate() - timedelta(days=3)

    # 1. The undertaker logs in with the firm access and fills in every step. -----------
    page = open_page()
    main = page.locator("main")
    undertaker_login(page, audit, world["person"], world["person_device"])
    click_and_wait(page, main.get_by_role("button", name="Antrag starten"))
    next_step = main.get_by_role("button", name="Speichern und weiter")

    expect(page.locator("h1")).to_have_text("Die verstorbene Person")
    audit(page, "step 1, the deceased", shot="deceased")
    main.get_by_label("Vornamen").fill("Hildegard")
    main.get_by_label("Familienname").fill("Wupperthal")
    main.get_by_label("Geburtsdatum").fill("12.04.1938")
    main.get_by_label("Sterbedatum").fill(died.strftime("%d.%m.%Y"))
    main.get_by_label(re.compile("Letzte Anschrift")).fill("Brückenstraße 4")
    main.get_by_label("Postleitzahl").fill("42799")
    main.get_by_label("Ort", exact=True).fill("Leichlingen")
    click_and_wait(page, next_step)

    expect(page.locator("h1")).to_have_text("Sterbeurkunde")
    audit(page, "step 2, the death certificate", shot="certificate")
    main.get_by_label(re.compile("Sterbeurkunde oder Bestätigung")).set_input_files(
        pdf_file("sterbeurkunde.pdf", "Sterbeurkunde", "Hildegard Wupperthal"))
    click_and_wait(page, next_step)

    expect(page.locator("h1")).to_have_text("Bestattung")
    audit(page, "step 3, the burial", shot="burial")
    main.get_by_label("Urnenbeisetzung").check()
    main.get_by_label("Friedhof", exact=True).select_option(label="Friedhof Leichlingen-Mitte")
    main.get_by_label("In ein neues Grab").check()
    main.get_by_label("Grabart").select_option(label="Urnenwahlgrab")
    audit(page, "step 3 with the new grave's type")
    main.get_by_label("Gewünschter Tag der Bestattung").fill(wished.strftime("%d.%m.%Y"))
    main.get_by_label("Gewünschte Uhrzeit").fill("11:30")
    click_and_wait(page, next_step)

    expect(page.locator("h1")).to_have_text("Gebühren und Nutzungsrecht")
    audit(page, "step 4, fees and right of use", shot="fees")
    main.get_by_label(re.compile("Gebührenpflichtige Person")).fill("Klaus Wupperthal")
    main.get_by_label("Straße und Hausnummer", exact=True).fill("Am Wall 7")
    main.get_by_label("Postleitzahl", exact=True).fill("42799")
    main.get_by_label("Ort", exact=True).fill("Leichlingen")
    main.get_by_label("Dieselbe Person wie die gebührenpflichtige").check()
    main.get_by_label(re.compile("in der Grabsuche im Internet")).check()
    audit(page, "step 4 filled in")
    click_and_wait(page, next_step)

    expect(page).to_have_url(re.compile(r"/pruefen/$"))
    for value in ("Hildegard", "Urnenbeisetzung", "Urnenwahlgrab", "sterbeurkunde.pdf",
                  "Klaus Wupperthal"):
        expect(main).to_contain_text(value)
    audit(page, "summary", shot="summary")
    click_and_wait(page, main.get_by_role("button", name="Antrag absenden"), timeout=SLOW)
    subline = page.locator(".kern-hgroup .kern-subline")
    expect(subline).to_contain_text(REFERENCE)
    reference = REFERENCE.search(subline.inner_text()).group(0)
    audit(page, "receipt page", shot="received")

    # 2. The Friedhofsverwaltung books field, grave and date, then approves. ------------
    office = office_login(open_page, audit, world["clerk"], world["device"],
                          where="Friedhofsverwaltung")
    open_case_from_basket(office, audit, reference, where="Friedhofsverwaltung")
    office_main = office.locator("main")
    expect(office_main).to_contain_text(data.FIRM_NAME)
    click_and_wait(office, office_main.locator(".case-prepare a"))
    expect(office.locator("h1")).to_contain_text(reference)
    office_main.locator("#id_field").select_option(label="Friedhof Leichlingen-Mitte: Feld D")
    click_and_wait(office, office_main.locator("button[value=graves]"))
    first_free = office_main.locator("input[name=grave]").first
    grave_number = first_free.get_attribute("value")
    first_free.check()
    expect(office_main.locator("#id_day")).to_have_value(wished.strftime("%d.%m.%Y"))
    expect(office_main.locator("#id_time")).to_have_value("11:30")
    click_and_wait(office, office_main.locator("button[value=check]"))
    expect(office_main.locator(".case-preview")).to_contain_text(
        f"{AMOUNT:,.2f}".replace(",", "_").replace(".", ",").replace("_", "."))
    audit(office, "booking page, checked", shot="booking")
    click_and_wait(office, office_main.locator("button[value=book]"))
    expect(office.locator("h1")).to_contain_text(reference)
    expect(office_main.locator(".case-preview")).to_contain_text(grave_number)
    click_and_wait(office, office_main.get_by_role(
        "button", name=re.compile("Bestattung bestätigen|Confirm the burial")), timeout=SLOW)
    with authority_context(town):
        case = Case.objects.get(reference=reference)
        assert case.status == Case.Status.APPROVED
        burial = Burial.objects.get(case_reference=reference)
        assert (burial.state, burial.grave.asset.number) == ("confirmed", grave_number)

    # 3. The undertaker finds the confirmation and the fee notice in the mailbox. -------
    page.goto("/konto/postfach/")
    audit(page, "the firm's mailbox", shot="mailbox")
    row = page.get_by_role("listitem").filter(has_text=reference)
    click_and_wait(page, row.get_by_role("link").first)
    body = main.inner_text()
    assert "Hildegard Wupperthal" in body and grave_number in body
    audit(page, "the confirmation message", shot="message")
    attachment = main.get_by_role("link", name=re.compile(r"gebuehrenbescheid.*\.pdf"))
    with page.expect_download() as download_info:
        attachment.click()
    notice = Path(tmp_path) / "notice" / download_info.value.suggested_filename
    notice.parent.mkdir()
    download_info.value.save_as(notice)
    lines = read_girocode(notice).split("\n")
    assert Decimal(lines[7].removeprefix("EUR")) == AMOUNT == Decimal("1420.00")
    assert reference in lines[9] or reference in lines[10]
    audit.assert_clean()
