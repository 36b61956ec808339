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
