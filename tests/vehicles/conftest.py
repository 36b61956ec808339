"""The district (Rheinisch-Bergischer Kreis) offering Fahrzeug zulassen, with its
Straßenverkehrsamt, account and court, two vehicles in its register, and applications
sent through the cases app's normal submission."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.authorities.models import Authority, Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.cases.submission import submit_application
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.forms.services import fill_in, start_draft
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.payments.models import PaymentAccount
from rathaus.vehicles.models import RegisteredVehicle
from rathaus.vehicles.vehicle_register import hash_code
from tests.factories import make_department, make_staff

SERVICE = "fahrzeugzulassung"
NEW, USED = "WVWZZZ1JZ3W386752", "WF0AXXGCHAJY12345"
CODES = {NEW: {"certificate_code": "K7M2Q9XT4R8W"},
         USED: {"certificate_code": "P3N8V6ZL2K5J", "part_one_code": "H4T9R2M",
                "seal_code": "X7Q"}}
KREISKASSE_IBAN = "DE02370501980001802057"


@pytest.fixture
def kreis(district):
    """The district with its sign's municipality key, its Straßenverkehrsamt, the
    service offered, its account (Kreiskasse) and its court, and two vehicles: a new
    Golf and a Focus registered as GL-FF 815 two and a half years ago."""
    district.kind, district.municipality_key = Authority.Kind.DISTRICT, "05378"
    district.save()
    make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    with authority_context(district):
        offer_service(definition=definition(SERVICE))
        create_demo_notice_settings()
        PaymentAccount.objects.create(
            account_holder="Kreiskasse Rheinisch-Bergischer Kreis", iban=KREISKASSE_IBAN,
            bic="COLSDE33XXX", bank_name="Kreissparkasse Köln")
        RegisteredVehicle.objects.create(
            vin=NEW, make="Volkswagen", model="Golf", certificate_number="AB1234567",
            certificate_code_hash=hash_code(CODES[NEW]["certificate_code"]))
        RegisteredVehicle.objects.create(
            vin=USED, make="Ford", model="Focus", certificate_number="CD7654321",
            certificate_code_hash=hash_code(CODES[USED]["certificate_code"]),
            part_one_code_hash=hash_code(CODES[USED]["part_one_code"]),
            seal_code_hash=hash_code(CODES[USED]["seal_code"]),
            plate="GLFF815", registered_at=timezone.now() - timedelta(days=900))
    return district


@pytest.fixture
def in_kreis(kreis):
    with authority_context(kreis):
        yield kreis


@pytest.fixture
def klara(kreis):
    """Klara Kreisbeispiel, clerk of the Straßenverkehrsamt."""
    with authority_context(kreis):
        office = Department.objects.get(slug="strassenverkehrsamt")
    return make_staff(kreis, departments=[office], email="klara.kreis@rbk.example")


@dataclass(frozen=True)
class Vehicle:
    vin: str
    certificate_number: str
    kind: str


GOLF = Vehicle(NEW, "AB1234567", "new")
FOCUS = Vehicle(USED, "CD7654321", "used")


def registration_pages(vehicle: Vehicle = GOLF, *, plate: str = "", codes=None) -> list[dict]:
    """The five steps as a browser posts them: Bettina Beispiel of Leichlingen registers
    `vehicle`, with the chosen `plate` or (empty) one the district assigns."""
    codes = codes or CODES[vehicle.vin]
    used = {"part_one_code": codes.get("part_one_code", ""),
            "seal_code": codes.get("seal_code", ""),
            "last_inspection": (timezone.localdate() - timedelta(days=200)).strftime(
                "%d.%m.%Y")} if vehicle.kind == "used" else {}
    return [
        {"first_name": "Bettina", "last_name": "Beispiel", "date_of_birth": "02.03.1985",
         "street": "Marktstraße", "house_number": "17", "postcode": "42799",
         "city": "Leichlingen"},
        {"registration_kind": vehicle.kind, "vin": vehicle.vin,
         "certificate_number": vehicle.certificate_number,
         "certificate_code": codes["certificate_code"], **used},
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
