"""The vehicle step of "Fahrzeug zulassen" in Leichlingen's portal, checked against the
Kreis's vehicle register: every wrong value gets its German message on its field, the
right ones pass, and wrong security codes cannot be guessed for long."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.forms.checks import ANSWER_CHECKS
from rathaus.vehicles.vehicle_register import InRathaus

from .conftest import NEW, USED, inspected, new_vehicle, two_years_before, used_vehicle

pytestmark = pytest.mark.django_db


def send_vehicle(client, draft_id, data):
    return client.post(f"/antraege/{draft_id}/schritt/2/", data)


def errors_of(response) -> dict:
    assert response.status_code == 200, "the step was accepted"
    return {field: " ".join(str(m) for m in messages)
            for field, messages in response.context["form"].errors.items()}


@pytest.fixture
def compared(monkeypatch):
    """How often the register compared codes (each comparison costs Argon2 time)."""
    calls = []
    original = InRathaus.check_codes

    def counting(self, **kwargs):
        calls.append(kwargs["vin"])
        return original(self, **kwargs)

    monkeypatch.setattr(InRathaus, "check_codes", counting)
    return calls


def test_a_new_vehicle_with_its_code_passes(anna, draft, compared):
    response = send_vehicle(anna, draft, new_vehicle(
        vin=NEW.vin.lower(), certificate_number="rb 100 0001",
        certificate_code=" ".join(NEW.certificate_code.lower())))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/antraege/{draft}/schritt/3/")
    assert compared == [NEW.vin]


def test_a_used_vehicle_with_its_three_codes_passes(anna, draft):
    response = send_vehicle(anna, draft, used_vehicle())
    assert response.status_code == 302


@pytest.mark.parametrize(("field", "value", "message"), [
    ("vin", "WRH0DEM0NEU00000", "17 Zeichen; Sie haben 16 eingegeben"),
    ("vin", "WRH0DEMONEU000001", "kein I, O oder Q"),
    ("vin", "WRH0DEM0NEU00000Ä", "nur Ziffern und Großbuchstaben"),
    ("certificate_number", "R1000001", "zwei Buchstaben und sieben Ziffern"),
    ("certificate_number", "RB10000012", "zwei Buchstaben und sieben Ziffern"),
    ("certificate_code", "K7M2P9X4R1T", "12 Buchstaben und Ziffern; Sie haben 11"),
    ("certificate_code", "K7M2P9X4R1T6Z", "12 Buchstaben und Ziffern; Sie haben 13"),
    ("certificate_code", "K7M2P9X4R1T!", "nur Buchstaben und Ziffern"),
    ("part_one_code", "B4N8U2", "7 Buchstaben und Ziffern; Sie haben 6"),
    ("part_one_code", "B4N8U2!", "nur Buchstaben und Ziffern"),
    ("seal_code", "7K", "3 Buchstaben und Ziffern; Sie haben 2"),
    ("seal_code", "7KXY", "3 Buchstaben und Ziffern; Sie haben 4"),
    ("last_inspection", "31.02.2026", "Diesen Tag gibt es nicht"),
    ("last_inspection", "gestern", "TT.MM.JJJJ"),
])
def test_a_malformed_answer_gets_its_message_and_no_code_is_compared(
        anna, draft, compared, field, value, message):
    errors = errors_of(send_vehicle(anna, draft, used_vehicle(**{field: value})))
    assert message in errors[field]
    assert compared == [], "the codes are compared only when every format is right"


@pytest.mark.parametrize("field", ["vin", "certificate_number", "certificate_code"])
def test_each_answer_of_a_new_vehicle_is_required(anna, draft, field):
    errors = errors_of(send_vehicle(anna, draft, new_vehicle(**{field: ""})))
    assert errors[field].startswith("Geben Sie")


def test_a_used_vehicle_needs_its_part_one_and_seal_codes_and_hu(anna, draft):
    errors = errors_of(send_vehicle(anna, draft, used_vehicle(
        part_one_code="", seal_code="", last_inspection="")))
    assert "Teil I ein" in errors["part_one_code"]
    assert "Plakettencode" in errors["seal_code"]
    assert "Hauptuntersuchung ein" in errors["last_inspection"]


@pytest.mark.parametrize("changes", [
    {"vin": "WRH0DEM0NEU000009"},  # well formed, but no such vehicle
    {"certificate_number": "RB1000009"},  # the vehicle exists, the certificate does not
    {"certificate_number": USED.certificate_number},  # another vehicle's certificate
])
def test_an_unknown_vehicle_is_refused(anna, draft, changes, compared):
    errors = errors_of(send_vehicle(anna, draft, new_vehicle(**changes)))
    assert "Das Fahrzeugregister kennt kein Fahrzeug" in errors["vin"]
    assert compared == []


def test_a_wrong_code_of_a_new_vehicle_is_refused(anna, draft):
    errors = errors_of(send_vehicle(anna, draft, new_vehicle(
        certificate_code="K7M2P9X4R1T7")))
    assert errors == {"certificate_code": "Der Sicherheitscode passt nicht zu diesem "
                                          "Fahrzeug. Prüfen Sie ihn Zeichen für Zeichen."}


@pytest.mark.parametrize("wrong", [
    {"certificate_code": "P2X7T4K9M1W6"},
    {"part_one_code": "B4N8U2X"},
    {"seal_code": "7KY"},
    {"certificate_code": "P2X7T4K9M1W6", "seal_code": "7KY"},
])
def test_a_wrong_code_of_a_used_vehicle_is_refused_without_saying_which(anna, draft, wrong):
    errors = errors_of(send_vehicle(anna, draft, used_vehicle(**wrong)))
    # The same message whichever code is wrong: a guesser learns nothing about the others.
    assert errors == {"certificate_code": (
        "Die Sicherheitscodes passen nicht zu diesem Fahrzeug. Prüfen Sie die Codes der "
        "Zulassungsbescheinigung Teil II und Teil I und der Stempelplakette Zeichen für "
        "Zeichen.")}


def test_a_registered_vehicle_cannot_be_registered_as_new(anna, draft, compared):
    errors = errors_of(send_vehicle(anna, draft, {
        "registration_kind": "new", "vin": USED.vin,
        "certificate_number": USED.certificate_number,
        "certificate_code": USED.certificate_code}))
    assert "schon zugelassen" in errors["registration_kind"]
    assert "„Ein gebrauchtes Fahrzeug, das schon einmal zugelassen war“" in \
        errors["registration_kind"]
    assert compared == []


def test_a_vehicle_never_registered_cannot_be_registered_as_used(anna, draft):
    errors = errors_of(send_vehicle(anna, draft, used_vehicle(
        vin=NEW.vin, certificate_number=NEW.certificate_number,
        certificate_code=NEW.certificate_code)))
    assert "noch nie zugelassen" in errors["registration_kind"]
    assert "„Ein neues Fahrzeug, das noch nie zugelassen war“" in errors["registration_kind"]


def test_an_hu_more_than_two_years_ago_is_overdue(anna, draft, compared):
    today = timezone.localdate()
    too_old = two_years_before(today) - timedelta(days=1)
    errors = errors_of(send_vehicle(anna, draft, used_vehicle(
        last_inspection=too_old.strftime("%d.%m.%Y"))))
    assert errors["last_inspection"].startswith(
        f"HU überfällig: Die letzte Hauptuntersuchung am {too_old:%d.%m.%Y}")
    assert compared == []


def test_an_hu_exactly_two_years_ago_is_still_valid(anna, draft):
    on_the_day = two_years_before(timezone.localdate())
    response = send_vehicle(anna, draft, used_vehicle(
        last_inspection=on_the_day.strftime("%d.%m.%Y")))
    assert response.status_code == 302


@pytest.mark.parametrize(("days", "message"), [
    (-1, "nicht in der Zukunft"),
    (4 * 366, "nicht mehr als 3 Jahre"),
])
def test_an_hu_date_in_the_future_or_long_ago_is_refused(anna, draft, days, message):
    errors = errors_of(send_vehicle(anna, draft, used_vehicle(
        last_inspection=inspected(days))))
    assert message in errors["last_inspection"]


def test_a_new_vehicle_ignores_the_used_vehicles_questions(anna, draft):
    response = send_vehicle(anna, draft, new_vehicle(
        part_one_code="x", seal_code="", last_inspection="01.01.1990"))
    assert response.status_code == 302


# --- Guessing codes ----------------------------------------------------------------------

def test_after_five_wrong_codes_no_code_is_compared_for_an_hour(
        anna, draft, rate_clock, compared):
    for attempt in range(5):
        errors = errors_of(send_vehicle(anna, draft, new_vehicle(
            certificate_code=f"AAAAAAAAAAA{attempt}")))
        assert "passt nicht" in errors["certificate_code"]
    rate_clock.advance(60)
    errors = errors_of(send_vehicle(anna, draft, new_vehicle()))  # even the right one
    assert errors["certificate_code"] == (
        "Sie haben zu oft falsche Sicherheitscodes eingegeben. Zu Ihrem Schutz prüfen wir "
        "vorerst keine weiteren Codes. Bitte versuchen Sie es in 59 Minuten erneut.")
    assert len(compared) == 5
    rate_clock.advance(59 * 60)
    assert send_vehicle(anna, draft, new_vehicle()).status_code == 302


def test_going_back_asks_the_register_nothing_and_counts_no_wrong_code(
        anna, draft, rate_clock, compared):
    for _ in range(6):
        response = send_vehicle(anna, draft, {**new_vehicle(certificate_code="AAAAAAAAAAAA"),
                                              "back": ""})
        assert response.status_code == 302  # back to step 1, the valid answers kept
    assert compared == []
    assert send_vehicle(anna, draft, new_vehicle()).status_code == 302


def test_right_codes_are_not_counted(anna, draft, rate_clock):
    for _ in range(6):
        assert send_vehicle(anna, draft, new_vehicle()).status_code == 302
    for attempt in range(5):
        errors = errors_of(send_vehicle(anna, draft, new_vehicle(
            certificate_code=f"BBBBBBBBBBB{attempt}")))
        assert "passt nicht" in errors["certificate_code"]


def test_wrong_codes_count_per_citizen_across_drafts(anna, draft, rate_clock):
    from .conftest import start

    for attempt in range(5):
        send_vehicle(anna, draft, new_vehicle(certificate_code=f"CCCCCCCCCCC{attempt}"))
    another_draft = start(anna)
    errors = errors_of(send_vehicle(anna, another_draft, new_vehicle()))
    assert "zu oft" in errors["certificate_code"]


def test_another_citizen_is_not_held_up(anna, draft, rate_clock, vehicle_town):
    from django.test import Client

    from tests.identity.saml_helpers import log_in

    from .conftest import start

    for attempt in range(5):
        send_vehicle(anna, draft, new_vehicle(certificate_code=f"DDDDDDDDDDD{attempt}"))
    bernd = Client()
    log_in(bernd, person="bernd")
    assert send_vehicle(bernd, start(bernd), new_vehicle()).status_code == 302


# --- Where the register is ---------------------------------------------------------------

def test_a_town_whose_district_is_elsewhere_asks_no_register(db):
    monheim = Authority.objects.create(
        slug="monheim", name="Stadt Monheim am Rhein", short_name="Monheim am Rhein",
        city="Monheim am Rhein", parent_name="Kreis Mettmann",
        parent_url="https://www.kreis-mettmann.de/")
    with authority_context(monheim):
        assert ANSWER_CHECKS["vehicles.vehicle"](new_vehicle(vin="WRH0DEM0NEU000009"),
                                                 applicant_id=1) == {}
