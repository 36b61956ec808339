"""Leichlingen's portal offering "Fahrzeug zulassen", worked by the Rheinisch-Bergischer
Kreis above it, whose registers hold the demo's vehicles and plates; Anna Testfrau of
the test identity provider, who lives in Leichlingen, logged in at level hoch."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from rathaus.authorities.models import Authority, AuthorityHost, Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.cases.submission import submit_application
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.forms.services import fill_in, start_draft
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.payments.models import PaymentAccount
from rathaus.vehicles.demo import DEMO_VEHICLES, DemoVehicle, load_demo_vehicles
from tests.factories import make_department, make_staff
from tests.identity.saml_helpers import log_in

SERVICE = "fahrzeugzulassung"
NEW = DEMO_VEHICLES[0]  # never registered
USED = DEMO_VEHICLES[3]  # registered, plate GL-RB 104


@pytest.fixture
def kreis(db):
    kreis = Authority.objects.create(slug="rbk", name="Rheinisch-Bergischer Kreis",
                                     short_name="Rhein.-Berg. Kreis", kind="district",
                                     municipality_key="05378", city="Bergisch Gladbach")
    AuthorityHost.objects.create(authority=kreis, host="rbk.localhost")
    make_department(kreis, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    with authority_context(kreis):
        offer_service(definition=definition(SERVICE))
        load_demo_vehicles()
    return kreis


@pytest.fixture
def vehicle_town(town, kreis):
    """Leichlingen (the default authority, so the SAML helpers' testserver reaches it)
    under the Kreis, offering the Kreis's service."""
    town.parent, town.municipality_key = kreis, "05378020"
    town.save(update_fields=["parent", "municipality_key"])
    with authority_context(town):
        offer_service(definition=definition(SERVICE))
    return town


@pytest.fixture
def anna(vehicle_town, client):
    """Anna Testfrau, logged in with the online ID card (level hoch)."""
    assert log_in(client, person="anna").status_code == 302
    return client


def start(client) -> str:
    """Starts the application and sends the first step (the ID card's answers); returns
    the draft's id."""
    response = client.post(f"/leistungen/{SERVICE}/beantragen/")
    assert response.status_code == 302, response.status_code
    draft_id = response["Location"].split("/")[2]
    answer = client.post(f"/antraege/{draft_id}/schritt/1/", {
        "first_name": "Anna", "last_name": "Testfrau", "date_of_birth": "14.03.1985",
        "street": "Brückenstraße", "house_number": "12", "postcode": "42799",
        "city": "Leichlingen"})
    assert answer.status_code == 302, answer.context["form"].errors
    return draft_id


@pytest.fixture
def draft(anna):
    return start(anna)


def inspected(days_ago: int = 300) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).strftime("%d.%m.%Y")


def new_vehicle(**changes) -> dict:
    return {"registration_kind": "new", "vin": NEW.vin,
            "certificate_number": NEW.certificate_number,
            "certificate_code": NEW.certificate_code, **changes}


def used_vehicle(**changes) -> dict:
    return {"registration_kind": "used", "vin": USED.vin,
            "certificate_number": USED.certificate_number,
            "certificate_code": USED.certificate_code, "part_one_code": USED.part_one_code,
            "seal_code": USED.seal_code, "last_inspection": inspected(), **changes}


def two_years_before(day: date) -> date:
    return day.replace(year=day.year - 2) if (day.month, day.day) != (2, 29) else \
        date(day.year - 2, 2, 28)


# --- The Straßenverkehrsamt deciding: its account and court, a clerk, applications sent
# in the Kreis's own portal through the cases app's normal submission ---------------------

KREISKASSE_IBAN = "DE02370501980001802057"


@pytest.fixture
def in_kreis(kreis):
    """The Kreis active, with its account (Kreiskasse) and its court."""
    with authority_context(kreis):
        create_demo_notice_settings()
        PaymentAccount.objects.create(
            account_holder="Kreiskasse Rheinisch-Bergischer Kreis", iban=KREISKASSE_IBAN,
            bic="COLSDE33XXX", bank_name="Kreissparkasse Köln")
        yield kreis


@pytest.fixture
def klara(kreis):
    """Klara Kreisbeispiel, clerk of the Straßenverkehrsamt: (user, TOTP device)."""
    with authority_context(kreis):
        office = Department.objects.get(slug="strassenverkehrsamt")
    return make_staff(kreis, departments=[office], email="klara.kreis@rbk.example")


def registration_pages(vehicle: DemoVehicle = NEW, *, plate: str = "") -> list[dict]:
    """The five steps as a browser posts them: Bettina Beispiel of Leichlingen registers
    `vehicle`, with the chosen `plate` or (empty) one the district assigns."""
    return [
        {"first_name": "Bettina", "last_name": "Beispiel", "date_of_birth": "02.03.1985",
         "street": "Marktstraße", "house_number": "17", "postcode": "42799",
         "city": "Leichlingen"},
        used_vehicle() if vehicle == USED else new_vehicle(
            vin=vehicle.vin, certificate_number=vehicle.certificate_number,
            certificate_code=vehicle.certificate_code),
        {"evb": "A1B2C3D"},
        {"plate_choice": "chosen", "plate": plate} if plate else {"plate_choice": "assigned"},
        {"account_holder": "Bettina Beispiel", "iban": "DE02120300000000202051",
         "sepa_consent": "on"},
    ]


def apply_for_registration(citizen, **pages) -> Case:
    """Fill in and send Fahrzeug zulassen in the active authority, through the cases
    app's normal submission (service functions do not check the login level hoch)."""
    service = definition(SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                    pages=registration_pages(**pages))
    return submit_application(user=citizen, draft_id=draft.pk, definition=service)
