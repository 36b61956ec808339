"""Registering a car in the browser, across two authorities: a Leichlingen citizen
applies with a chosen plate in the town's portal, the application goes over encrypted
to the Rheinisch-Bergischer Kreis, whose clerk approves it at rbk.localhost; the citizen
follows the status in the town's portal and finds the registration and fee notices in
the mailbox at the Kreis. The Kreis's eAkte holds the case; the town holds no value of
the application. Every page passes axe-core at both widths."""

import json
import re

import pytest
from django.apps import apps
from django.core import serializers
from playwright.sync_api import expect

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import TenantScopedModel, authority_context
from rathaus.cases.models import Case
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.vehicles.models import PlateEntry, RegisteredVehicle
from rathaus.vehicles.vehicle_register import hash_code
from tests.factories import make_department, make_staff

from .test_dog_registration import SLOW, click_and_wait, office_login, open_case_from_basket
from .test_moving_house import Audit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERVICE = "fahrzeugzulassung"
VIN = "WBA3A5C50DF358061"
CERTIFICATE, CODE = "AB1234567", "K7M2P9Q4R8T3"
IBAN = "DE02120300000000202051"


@pytest.fixture
def kreis(town, district, settings, live_server):
    """The Kreis above Leichlingen on the same instance, its Straßenverkehrsamt with a
    clerk, a new car in its vehicle register, and a taken plate."""
    settings.RATHAUS_PUBLIC_URL = live_server.url.replace("localhost", "{host}")
    district.kind, district.municipality_key = Authority.Kind.DISTRICT, "05378"
    district.name, district.name_in_sentence = ("Rheinisch-Bergischer Kreis",
                                                "der Rheinisch-Bergische Kreis")
    district.save()
    town.parent, town.municipality_key, town.city = district, "05378020", "Leichlingen"
    town.save()
    office = make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    with authority_context(district):
        offer_service(definition=definition(SERVICE))
        prepare_the_kreis_for_notices()
        RegisteredVehicle.objects.create(
            vin=VIN, make="Volkswagen", model="ID.3", certificate_number=CERTIFICATE,
            certificate_code_hash=hash_code(CODE))
        PlateEntry.objects.create(key="GLRH1", state=PlateEntry.State.ASSIGNED,
                                  holder_reference="36.20.01-2025-000001")
    with authority_context(town):
        offer_service(definition=definition(SERVICE))
    clerk, device = make_staff(district, departments=[office], email="klara@rbk.example")
    clerk.first_name, clerk.last_name = "Klara", "Kreisbeispiel"
    clerk.save(update_fields=["first_name", "last_name"])
    return district, clerk, device


def prepare_the_kreis_for_notices():
    """What the Kreis's notices need: the letterhead settings and the account for fees."""
    from rathaus.notices.demo import create_demo_notice_settings
    from rathaus.payments.demo import create_demo_payment_account

    create_demo_notice_settings()
    create_demo_payment_account()


def at(live_server, host: str, path: str) -> str:
    return live_server.url.replace("localhost", host) + path


def id_card_login(page, *, main):
    """At the test identity provider (following the login page's link to it if on it)."""
    link = page.get_by_role("link", name="Mit dem Online-Ausweis anmelden")
    if link.count():
        click_and_wait(page, link.first)
    expect(main).to_contain_text("Test-Identität – keine echte Anmeldung")
    page.get_by_label(re.compile("Anna Testfrau")).check()
    page.get_by_label(re.compile("Hoch")).check()
    click_and_wait(page, page.get_by_role("button", name="Mit der Test-Identität anmelden"))
    click_and_wait(page, page.get_by_role("button", name=re.compile("^Weiter")))


def test_a_car_registered_in_the_towns_portal_is_decided_by_the_kreis(
        town, kreis, open_page, live_server):
    district, clerk, device = kreis
    audit = Audit()

    # 1. The town's portal names the Kreis and the encrypted way.
    page = open_page()
    main = page.locator("main")
    page.goto(at(live_server, "leichlingen.localhost", f"/leistungen/{SERVICE}/"))
    expect(main).to_contain_text("Zuständig ist der Rheinisch-Bergische Kreis. Ihr Antrag "
                                 "geht verschlüsselt dorthin.")
    audit(page, "town's service page", shot="vehicle-service")

    # 2. The online ID card, at the test identity provider.
    page.goto(at(live_server, "leichlingen.localhost", "/saml/anmelden/?level=hoch&next="
                 f"/leistungen/{SERVICE}/"))
    id_card_login(page, main=main)
    click_and_wait(page, main.get_by_role("button", name="Antrag starten"))
    first_name = main.get_by_label("Vornamen", exact=True)
    expect(first_name).to_have_value("Anna")
    expect(first_name).to_have_attribute("readonly", "")
    audit(page, "step 1 from the ID card", shot="vehicle-step1")
    next_step = main.get_by_role("button", name="Speichern und weiter")
    click_and_wait(page, next_step)

    # 3. The vehicle: wrong values get German messages.
    main.get_by_label(re.compile("Ein neues Fahrzeug")).check()
    main.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)").fill("WBA3A5C50DF35806I")
    main.get_by_label("Nummer der Zulassungsbescheinigung Teil II").fill(CERTIFICATE)
    main.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil II").fill(CODE)
    click_and_wait(page, next_step)
    expect(main).to_contain_text("kein I, O oder Q")
    audit(page, "vehicle step with a wrong VIN", shot="vehicle-step2-error")
    main.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)").fill(VIN)
    main.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil II").fill(
        "XXXXXXXXXXXX")
    click_and_wait(page, next_step)
    expect(main).to_contain_text("Sicherheitscode")
    main.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil II").fill(CODE)
    click_and_wait(page, next_step)

    # 4. Insurance, then the plate: a forbidden and a taken one refused.
    main.get_by_label("eVB-Nummer").fill("A1B2C3")
    click_and_wait(page, next_step)
    expect(main).to_contain_text("7 Buchstaben und Ziffern")
    main.get_by_label("eVB-Nummer").fill("A1B2C3D")
    click_and_wait(page, next_step)
    main.get_by_label(re.compile("Ein Wunschkennzeichen")).check()
    for refused, says in (("GL-SS 1", "§ 8 FZV"), ("GL-RH 1", "vergeben")):
        main.get_by_label("Wunschkennzeichen", exact=True).fill(refused)
        click_and_wait(page, next_step)
        expect(main).to_contain_text(says)
    audit(page, "plate step with a taken plate", shot="vehicle-plate-taken")
    main.get_by_label("Wunschkennzeichen", exact=True).fill("GL-RH 2026")
    click_and_wait(page, next_step)

    # 5. The SEPA mandate for the Hauptzollamt, the summary, sending.
    main.get_by_label("Kontoinhaberin oder Kontoinhaber").fill("Anna Testfrau")
    main.get_by_label("IBAN").fill(IBAN)
    main.get_by_label(re.compile("Hauptzollamt")).check()
    audit(page, "tax step", shot="vehicle-tax")
    click_and_wait(page, next_step)
    audit(page, "summary", shot="vehicle-summary")
    click_and_wait(page, main.get_by_role("button", name="Antrag absenden"), timeout=SLOW)
    expect(page).to_have_url(re.compile(r"/vorgaenge/weitergeleitet/[0-9a-f-]+/"))
    status_url = page.url
    expect(main).to_contain_text("Ihr Antrag ist abgeschickt")
    expect(main.locator("dl .kern-badge")).to_have_text("Eingegangen")
    audit(page, "town's status page, received", shot="vehicle-sent")
    with authority_context(district):
        case = Case.objects.get(service_id=SERVICE)
        assert PlateEntry.objects.get(key="GLRH2026").holder_reference == case.reference
    expect(main).to_contain_text(case.reference)

    # 6. The Kreis's clerk approves at rbk.localhost.
    office = office_login(lambda: open_page(host="rbk.localhost"), audit, clerk, device,
                          where="Kreis")
    open_case_from_basket(office, audit, case.reference, where="Kreis", shot="vehicle-clerk")
    click_and_wait(office, office.locator("main").get_by_role("button",
                                                         name="Zulassen und Kennzeichen zuteilen"),
                   timeout=SLOW)
    with authority_context(district):
        case.refresh_from_db()
        assert case.status == Case.Status.APPROVED
        vehicle = RegisteredVehicle.objects.get(vin=VIN)
        assert vehicle.plate == "GLRH2026" or vehicle.plate == "GL-RH 2026"
        kinds = set(case.case_file.documents.values_list("kind", flat=True))
        assert {"application", "receipt"} <= kinds and len(kinds) >= 3

    # 7. The citizen sees the decision in the town's portal, then the notices at the Kreis.
    page.goto(status_url)
    expect(main.locator("dl .kern-badge")).to_have_text("Genehmigt")
    audit(page, "town's status page, approved", shot="vehicle-approved")
    click_and_wait(page, main.get_by_role("link", name="Ihren Antrag dort öffnen"))
    expect(page).to_have_url(re.compile(r"rbk\.localhost"))
    if "/konto/anmelden/" in page.url:
        id_card_login(page, main=main)
    expect(page.locator("h1")).to_have_text("Fahrzeug zulassen")
    expect(main).to_contain_text("genehmigt")
    audit(page, "the case at the Kreis", shot="vehicle-kreis-case")
    page.goto(at(live_server, "rbk.localhost", "/konto/postfach/"))
    expect(main).to_contain_text(case.reference)
    expect(page.get_by_role("listitem").filter(has_text=case.reference)).to_have_count(2)
    audit(page, "the mailbox at the Kreis", shot="vehicle-mailbox")

    # 8. The town's database holds no value of the application.
    kept = []
    for model in apps.get_models():
        if issubclass(model, TenantScopedModel) and not model._meta.proxy:
            with authority_context(town):
                kept += json.loads(serializers.serialize("json", model.objects.all()))
    text = json.dumps(kept, ensure_ascii=False)
    assert not [v for v in (VIN, CERTIFICATE, CODE, IBAN, "A1B2C3D", "GLRH2026", "RH 2026")
                if v in text]
    audit.assert_clean()
