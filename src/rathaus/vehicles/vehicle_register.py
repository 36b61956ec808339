"""The vehicle register the registration asks (in reality the Kraftfahrt-Bundesamt's
central register, reached through the district's specialist system): is there such a
vehicle, do the hidden security codes of its registration certificates match, and
entering the registration. An adapter registry, as for the resident register: the
setting RATHAUS_VEHICLE_REGISTER names the adapter; "rathaus" (the default) is the
district's own table `RegisteredVehicle`, filled with fictional vehicles for the demo.

The codes are compared with the hashes the register keeps (Django's password hashers:
salted, slow), never stored or logged. A vehicle is registered once: `register` locks
its row and refuses a second registration.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from rathaus.registry import Registry

from .models import RegisteredVehicle


class UnknownVehicle(Exception):
    """No vehicle with this identification number and certificate number."""


class WrongSecurityCode(Exception):
    """A security code does not match the one on the certificate."""


class AlreadyRegistered(Exception):
    """The vehicle carries a plate already."""


@dataclass(frozen=True)
class VehicleFacts:
    vin: str
    make: str
    model: str
    plate: str  # "" while not registered
    registered_at: datetime | None = None  # of the current registration
    reference: str = ""  # the application that gave the current plate


class VehicleRegister(Protocol):
    name: str

    def facts(self, *, vin: str, certificate_number: str) -> VehicleFacts: ...

    def check_codes(self, *, vin: str, certificate_code: str, part_one_code: str = "",
                    seal_code: str = "") -> None: ...

    def register(self, *, vin: str, plate: str, reference: str,
                 applied_at) -> VehicleFacts: ...


REGISTERS: Registry[VehicleRegister] = Registry("vehicle register")


def vehicle_register() -> VehicleRegister:
    return REGISTERS[settings.RATHAUS_VEHICLE_REGISTER]


def hash_code(code: str) -> str:
    return make_password(code.strip().upper())


def _matches(code: str, hashed: str) -> bool:
    return bool(hashed) and check_password(code.strip().upper(), hashed)


class InRathaus:
    """The district's own table of vehicles (the demo's fictional ones)."""

    name = "rathaus"

    @staticmethod
    def _vehicle(vin: str, *, lock: bool = False) -> RegisteredVehicle:
        rows = RegisteredVehicle.objects.select_for_update() if lock else \
            RegisteredVehicle.objects
        found = rows.filter(vin=vin).first()
        if found is None:
            raise UnknownVehicle(vin)
        return found

    @staticmethod
    def _facts(vehicle: RegisteredVehicle) -> VehicleFacts:
        return VehicleFacts(vin=vehicle.vin, make=vehicle.make, model=vehicle.model,
                            plate=vehicle.plate, registered_at=vehicle.registered_at,
                            reference=vehicle.registration_reference)

    def facts(self, *, vin: str, certificate_number: str) -> VehicleFacts:
        vehicle = self._vehicle(vin)
        if vehicle.certificate_number != certificate_number.strip().upper():
            raise UnknownVehicle(vin)
        return self._facts(vehicle)

    def check_codes(self, *, vin: str, certificate_code: str, part_one_code: str = "",
                    seal_code: str = "") -> None:
        vehicle = self._vehicle(vin)
        wanted = [(certificate_code, vehicle.certificate_code_hash)]
        if vehicle.plate:  # a used vehicle: its part I and its plate's seal as well
            wanted += [(part_one_code, vehicle.part_one_code_hash),
                       (seal_code, vehicle.seal_code_hash)]
        # Every code compared, even after a wrong one: stopping early would take one
        # slow hash less and so tell by the time which code was wrong.
        matched = [_matches(code, hashed) for code, hashed in wanted]
        if not all(matched):
            raise WrongSecurityCode(vin)

    @transaction.atomic
    def register(self, *, vin: str, plate: str, reference: str, applied_at) -> VehicleFacts:
        """The vehicle registered with `plate` by the application `reference`, made at
        `applied_at`. The same application again changes nothing; another application
        registered since then wins, and this one is refused."""
        vehicle = self._vehicle(vin, lock=True)
        if vehicle.registration_reference == reference:
            return self._facts(vehicle)
        if vehicle.registered_at is not None and vehicle.registered_at >= applied_at:
            raise AlreadyRegistered(vin)
        vehicle.plate, vehicle.registered_at = plate, timezone.now()
        vehicle.registration_reference = reference
        vehicle.save(update_fields=["plate", "registered_at", "registration_reference"])
        return self._facts(vehicle)


REGISTERS.register(InRathaus.name, InRathaus())
