"""The insurance and plate steps of "Fahrzeug zulassen" in Leichlingen's portal: the eVB
number's format, and a chosen plate checked live against the Kreis's plate register
(the demo's plates given out and reserved are taken); then the summary."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.forms.models import Draft

from .conftest import new_vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_insurance(anna, draft):
    response = anna.post(f"/antraege/{draft}/schritt/2/", new_vehicle())
    assert response.status_code == 302
    return draft


@pytest.fixture
def at_plate(anna, at_insurance):
    response = anna.post(f"/antraege/{at_insurance}/schritt/3/", {"evb": "a1b 2c3d"})
    assert response.status_code == 302
    return at_insurance


@pytest.mark.parametrize(("evb", "message"), [
    ("A1B2C3", "7 Buchstaben und Ziffern"),
    ("A1B2C3D4", "7 Buchstaben und Ziffern"),
    ("A1B2C3!", "7 Buchstaben und Ziffern"),
    ("", "Geben Sie die eVB-Nummer"),
])
def test_a_wrong_evb_number_is_refused(anna, at_insurance, evb, message):
    response = anna.post(f"/antraege/{at_insurance}/schritt/3/", {"evb": evb})
    assert message in " ".join(response.context["form"].errors["evb"])


@pytest.mark.parametrize(("plate", "message"), [
    ("GL-SS 12", "Diese Kombination wird nicht vergeben (§ 8 FZV)"),
    ("GL-KZ 1", "Diese Kombination wird nicht vergeben (§ 8 FZV)"),
    ("GL-AH 88", "Diese Kombination wird nicht vergeben (§ 8 FZV)"),
    ("GL-LE 7", "GL-LE 7 ist schon vergeben"),  # given out
    ("GL-RB 104", "GL-RB 104 ist schon vergeben"),  # the used demo vehicle's
    ("GL-WU 3", "GL-WU 3 ist schon vergeben"),  # reserved for someone else
    ("GL-ABC 1", "GL, ein oder zwei Buchstaben und eine bis vier Ziffern"),
    ("K-AB 1", "GL, ein oder zwei Buchstaben und eine bis vier Ziffern"),
    ("GL-AB 12345", "GL, ein oder zwei Buchstaben und eine bis vier Ziffern"),
    ("GL-AB 0123", "beginnen nicht mit 0"),
    ("", "Geben Sie Ihr Wunschkennzeichen ein"),
])
def test_a_chosen_plate_that_cannot_be_had_is_refused(anna, at_plate, plate, message):
    response = anna.post(f"/antraege/{at_plate}/schritt/4/",
                         {"plate_choice": "chosen", "plate": plate})
    assert message in " ".join(response.context["form"].errors["plate"])


def test_a_free_plate_is_kept_and_the_summary_is_reached(anna, at_plate, vehicle_town):
    response = anna.post(f"/antraege/{at_plate}/schritt/4/",
                         {"plate_choice": "chosen", "plate": "gl ab 123"})
    assert response.status_code == 302
    response = anna.post(f"/antraege/{at_plate}/schritt/5/", {
        "account_holder": "Anna Testfrau", "iban": "DE02 1203 0000 0000 2020 51",
        "sepa_consent": "on"})
    assert response["Location"].endswith(f"/antraege/{at_plate}/pruefen/")
    summary = anna.get(response["Location"]).content.decode()
    assert "GL-AB 123" in summary and "RB1000001" in summary
    with authority_context(vehicle_town):
        answers = Draft.objects.get(pk=at_plate).answers
    assert (answers["plate"], answers["evb"], answers["certificate_number"]) == (
        "GL-AB 123", "A1B2C3D", "RB1000001")


def test_the_towns_service_pages_open_without_a_department_of_their_own(client,
                                                                         vehicle_town):
    page = client.get("/leistungen/fahrzeugzulassung/")
    assert page.status_code == 200 and "Fahrzeug zulassen" in page.content.decode()
    easy = client.get("/leistungen/fahrzeugzulassung/leichte-sprache/").content.decode()
    assert "Ein Auto zulassen" in easy and "Kenn-Zeichen" in easy
