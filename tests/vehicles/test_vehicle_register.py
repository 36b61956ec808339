"""The vehicle register through its adapter: facts only with the right certificate
number, the hidden codes checked against their hashes, and a vehicle registered once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.vehicles.models import RegisteredVehicle
from rathaus.vehicles.vehicle_register import (
    AlreadyRegistered,
    UnknownVehicle,
    WrongSecurityCode,
    hash_code,
    vehicle_register,
)

pytestmark = pytest.mark.django_db

NEW, USED = "WVWZZZ1JZ3W386752", "WF0AXXGCHAJY12345"


@pytest.fixture
def kreis(db):
    kreis = Authority.objects.create(slug="rbk", name="Rheinisch-Bergischer Kreis",
                                     short_name="Kreis", kind="district")
    with authority_context(kreis):
        RegisteredVehicle.objects.create(
            vin=NEW, make="Volkswagen", model="Golf", certificate_number="AB1234567",
            certificate_code_hash=hash_code("K7M2Q9XT4R8W"))
        RegisteredVehicle.objects.create(
            vin=USED, make="Ford", model="Focus", certificate_number="CD7654321",
            certificate_code_hash=hash_code("P3N8V6ZL2K5J"),
            part_one_code_hash=hash_code("H4T9R2M"), seal_code_hash=hash_code("X7Q"),
            plate="GLFF815", registered_at=timezone.now() - timedelta(days=900))
    with authority_context(kreis):
        yield kreis


def test_the_facts_need_the_right_certificate_number(kreis):
    facts = vehicle_register().facts(vin=NEW, certificate_number="ab1234567")
    assert (facts.make, facts.plate) == ("Volkswagen", "")
    with pytest.raises(UnknownVehicle):
        vehicle_register().facts(vin=NEW, certificate_number="AB1234568")


def test_a_wrong_security_code_is_refused(kreis):
    register = vehicle_register()
    register.check_codes(vin=NEW, certificate_code="k7m2q9xt4r8w")
    with pytest.raises(WrongSecurityCode):
        register.check_codes(vin=NEW, certificate_code="K7M2Q9XT4R8X")


def test_a_used_vehicle_needs_part_ones_code_and_the_seal_too(kreis):
    register = vehicle_register()
    with pytest.raises(WrongSecurityCode):
        register.check_codes(vin=USED, certificate_code="P3N8V6ZL2K5J")
    register.check_codes(vin=USED, certificate_code="P3N8V6ZL2K5J", part_one_code="H4T9R2M",
                         seal_code="x7q")


@pytest.mark.parametrize("wrong", [
    {"certificate_code": "P3N8V6ZL2K5X"}, {"part_one_code": "H4T9R2X"}, {"seal_code": "X7X"},
    {},
])
def test_every_code_is_compared_whichever_is_wrong(kreis, monkeypatch, wrong):
    """The same number of slow hashes every time: the time taken tells nothing about
    which code was right."""
    from rathaus.vehicles import vehicle_register as module

    compared = []
    original = module.check_password
    monkeypatch.setattr(module, "check_password",
                        lambda code, hashed: compared.append(code) or original(code, hashed))
    codes = {"certificate_code": "P3N8V6ZL2K5J", "part_one_code": "H4T9R2M",
             "seal_code": "X7Q", **wrong}
    try:
        vehicle_register().check_codes(vin=USED, **codes)
    except WrongSecurityCode:
        assert wrong
    assert len(compared) == 3


def test_a_vehicle_is_never_registered_twice(kreis):
    register = vehicle_register()
    applied = timezone.now() - timedelta(hours=1)
    assert register.register(vin=NEW, plate="GLAB123", reference="A",
                             applied_at=applied).plate == "GLAB123"
    assert register.register(vin=NEW, plate="GLAB123", reference="A",
                             applied_at=applied).plate == "GLAB123"
    with pytest.raises(AlreadyRegistered):
        register.register(vin=NEW, plate="GLXY9", reference="B", applied_at=applied)


def test_a_used_vehicle_is_registered_anew_by_a_later_application(kreis):
    facts = vehicle_register().register(vin=USED, plate="GLAB7", reference="C",
                                        applied_at=timezone.now() - timedelta(minutes=5))
    assert facts.plate == "GLAB7"
