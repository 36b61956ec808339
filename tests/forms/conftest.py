import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from tests.conftest import PASSWORD, make_department


@pytest.fixture
def dog_service(town):
    make_department(town, "steueramt", "Steueramt")
    make_department(town, "ordnungsamt", "Ordnungsamt")
    with authority_context(town):
        return offer_service(definition=definition("hundeanmeldung"))


@pytest.fixture
def citizen_client(citizen):
    client = Client()
    client.post("/konto/anmelden/", {"username": citizen.email, "password": PASSWORD})
    return client


HOLDER = {
    "first_name": "Bettina", "last_name": "Beispiel", "date_of_birth": "12.04.1956",
    "street": "Musterweg", "house_number": "12", "postcode": "42799",
    "city": "Leichlingen", "dogs_in_household": "1",
}
DOG = {
    "dog_name": "Bello", "breed": "labrador", "breed_other": "", "sex": "male",
    "dog_birth_date": "01.06.2022", "colour": "schwarz", "microchip": "276 098 100 123 456",
    "taken_in": "14.03.2026", "previous_municipality": "",
}
SMALL_DOG = {**DOG, "breed": "dackel"}
PAYMENT_TRANSFER = {"payment_method": "transfer"}
PAYMENT_SEPA = {"payment_method": "sepa", "account_holder": "Bettina Beispiel",
                "iban": "DE02 1203 0000 0000 2020 51", "sepa_consent": "on"}


@pytest.fixture
def dog_town(town, dog_service):
    """The town with the dog tax bylaw, its bank account and its court."""
    from rathaus.dogs.demo import create_demo_dog_tax_bylaw
    from rathaus.notices.demo import create_demo_notice_settings
    from rathaus.payments.demo import create_demo_payment_account

    with authority_context(town):
        create_demo_dog_tax_bylaw()
        create_demo_payment_account()
        create_demo_notice_settings()
    return town


def send_application(client, *, dog=None, safety=None, payment=None, files=None) -> str:
    """Fills in every step and sends; returns the case id."""
    response = client.post("/leistungen/hundeanmeldung/beantragen/")
    draft_id = response["Location"].split("/")[2]
    steps = [HOLDER, dog or DOG, {**(safety or {"is_large": "no"}), **(files or {})},
             payment or PAYMENT_TRANSFER]
    for number, data in enumerate(steps, 1):
        answer = client.post(f"/antraege/{draft_id}/schritt/{number}/", data)
        assert answer.status_code == 302, answer.context["form"].errors
    response = client.post(f"/antraege/{draft_id}/absenden/")
    return response["Location"].split("/")[2]
