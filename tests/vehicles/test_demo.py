"""The demo's vehicle registration: the Kreis and its towns offer it, the Kreis's
registers hold the fictional vehicles (their codes match) and plates, loading again
adds nothing, and the README and docs print the codes the register holds."""

from pathlib import Path

import pytest

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.models import Service
from rathaus.payments.models import PaymentAccount
from rathaus.vehicles.demo import DEMO_VEHICLES, load_demo_vehicles
from rathaus.vehicles.identifiers import (
    normalise_certificate_number,
    normalise_vin,
    parse_plate,
    security_code_normaliser,
)
from rathaus.vehicles.models import PlateEntry, RegisteredVehicle
from rathaus.vehicles.vehicle_register import vehicle_register

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("vehicle", DEMO_VEHICLES, ids=lambda v: v.vin)
def test_every_demo_vehicle_keeps_the_rules(vehicle):
    assert normalise_vin(vehicle.vin) == vehicle.vin
    assert normalise_certificate_number(vehicle.certificate_number) == \
        vehicle.certificate_number
    assert security_code_normaliser("part_two")(vehicle.certificate_code)
    if vehicle.plate:
        assert security_code_normaliser("part_one")(vehicle.part_one_code)
        assert security_code_normaliser("seal")(vehicle.seal_code)
        assert parse_plate(vehicle.plate, sign="GL")


@pytest.mark.django_db
def test_the_kreis_registers_hold_the_demo_once(kreis):
    with authority_context(kreis):
        load_demo_vehicles()  # the fixture loaded them already
        assert RegisteredVehicle.objects.count() == len(DEMO_VEHICLES)
        assert PlateEntry.objects.count() == 303
        register = vehicle_register()
        for vehicle in DEMO_VEHICLES:
            facts = register.facts(vin=vehicle.vin,
                                   certificate_number=vehicle.certificate_number)
            assert facts.plate == (parse_plate(vehicle.plate, sign="GL").key
                                   if vehicle.plate else "")
            register.check_codes(vin=vehicle.vin, certificate_code=vehicle.certificate_code,
                                 part_one_code=vehicle.part_one_code,
                                 seal_code=vehicle.seal_code)


@pytest.mark.parametrize("document", ["README.md", "docs/vehicles.md"])
def test_the_documentation_prints_every_demo_vehicles_codes(document):
    text = (ROOT / document).read_text()
    for vehicle in DEMO_VEHICLES:
        row = next(line for line in text.splitlines() if f"`{vehicle.vin}`" in line)
        for value in (vehicle.certificate_number, vehicle.certificate_code,
                      vehicle.part_one_code, vehicle.seal_code):
            assert not value or f"`{value}`" in row, (document, vehicle.vin, value)
        assert (vehicle.plate or "–") in row


@pytest.mark.django_db
def test_the_demo_offers_it_in_the_kreis_and_its_towns_and_adds_it_to_an_old_demo():
    from rathaus.demo.loader import load_demo

    load_demo()
    authorities = {a.slug: a for a in Authority.objects.all()}
    with authority_context(authorities["rbk"]):
        assert Service.objects.get(slug="fahrzeugzulassung").department.slug == \
            "strassenverkehrsamt"
        assert RegisteredVehicle.objects.count() == len(DEMO_VEHICLES)
        # The Kreis's fees go to its own account, not to the town's.
        assert PaymentAccount.objects.get().account_holder == \
            "Kreiskasse Rheinisch-Bergischer Kreis"
    for town in ("leichlingen", "burscheid"):
        with authority_context(authorities[town]):
            assert Service.objects.get(slug="fahrzeugzulassung").department is None
    with authority_context(authorities["burscheid"]):
        # Its own account, for services it adopts (Einer für Alle), never the Kreis's.
        assert PaymentAccount.objects.get().account_holder == "Stadtkasse Burscheid"

    # A demo loaded before the vehicle registration existed.
    for slug in ("rbk", "leichlingen", "burscheid"):
        with authority_context(authorities[slug]):
            Service.objects.filter(slug="fahrzeugzulassung").delete()
            RegisteredVehicle.objects.all().delete()
            PlateEntry.objects.all().delete()
    assert load_demo() is None
    assert load_demo() is None
    for slug in ("rbk", "leichlingen", "burscheid"):
        with authority_context(authorities[slug]):
            assert Service.objects.filter(slug="fahrzeugzulassung").count() == 1
    with authority_context(authorities["rbk"]):
        assert RegisteredVehicle.objects.count() == len(DEMO_VEHICLES)
        assert PlateEntry.objects.count() == 303
