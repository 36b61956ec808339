"""The district's demo registers: a few fictional vehicles in the vehicle register, with
the hashes of their security codes, and a few hundred plates given out or reserved, so
that "Fahrzeug zulassen" can be tried and the plate check has something to refuse.

Every vehicle, number and code is invented (the makes too). The codes are printed in
the README ("Try it: register a car") and in docs/vehicles.md, for testers; a real
register never shows them. Loading again adds only what is missing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .identifiers import normalise_certificate_number, normalise_vin, parse_plate
from .models import PlateEntry, RegisteredVehicle
from .vehicle_register import hash_code


@dataclass(frozen=True)
class DemoVehicle:
    vin: str
    make: str
    model: str
    certificate_number: str  # Zulassungsbescheinigung Teil II
    certificate_code: str  # 12 characters, under the scratch-off field of part II
    plate: str = ""  # a used vehicle's plate, as written (GL-RB 101)
    part_one_code: str = ""  # 7 characters, part I
    seal_code: str = ""  # 3 characters, under the seal of the rear plate


# New ones (never registered) and used ones (registered in the district, with a plate).
DEMO_VEHICLES = [
    DemoVehicle("WRH0DEM0NEU000001", "Rheinwerk", "Kompakt E", "RB1000001", "K7M2P9X4R1T6"),
    DemoVehicle("WRH0DEM0NEU000002", "Rheinwerk", "Kombi 1.5", "RB1000002", "H3W8N5C2V7J4"),
    DemoVehicle("WBM0DEM0NEU000003", "Bergisch Motoren", "Stadtflitzer", "BM2000003",
                "D9F4L6S1Z8A3"),
    DemoVehicle("WRH0DEM0GEB000004", "Rheinwerk", "Kompakt 1.0", "RB1000004", "P2X7T4K9M1W5",
                plate="GL-RB 104", part_one_code="B4N8U2W", seal_code="7KX"),
    DemoVehicle("WBM0DEM0GEB000005", "Bergisch Motoren", "Transporter", "BM2000005",
                "G6R1Y3E8H5C2", plate="GL-BM 205", part_one_code="Z5L3A9D", seal_code="4TP"),
    DemoVehicle("WDU0DEM0GEB000006", "Wupperauto", "Cabrio", "WA3000006", "S8V2J7N4F1Q9",
                plate="GL-WA 6", part_one_code="M2E6C4R", seal_code="9HB"),
]

# Plates given out in the district (GL-LE 1 … GL-LE 40 and so on) and reserved
# Wunschkennzeichen (GL-WU 1 … GL-WU 60): the plate check refuses them as taken.
ASSIGNED_SERIES = ("A", "B", "L", "LE", "BU", "RB")
ASSIGNED_PER_SERIES = 40
RESERVED_SERIES, RESERVED_COUNT, RESERVED_DAYS = "WU", 60, 60
SIGN = "GL"


def _key(text: str) -> str:
    return parse_plate(text, sign=SIGN).key


def create_demo_vehicles() -> None:
    """The fictional vehicles, in the active authority's (the district's) register."""
    for vehicle in DEMO_VEHICLES:
        vin = normalise_vin(vehicle.vin)
        if RegisteredVehicle.objects.filter(vin=vin).exists():
            continue
        RegisteredVehicle.objects.create(
            vin=vin, make=vehicle.make, model=vehicle.model,
            certificate_number=normalise_certificate_number(vehicle.certificate_number),
            certificate_code_hash=hash_code(vehicle.certificate_code),
            part_one_code_hash=hash_code(vehicle.part_one_code) if vehicle.plate else "",
            seal_code_hash=hash_code(vehicle.seal_code) if vehicle.plate else "",
            plate=_key(vehicle.plate) if vehicle.plate else "",
            registered_at=timezone.now() - timedelta(days=700) if vehicle.plate else None,
            registration_reference="36.20.01-demo" if vehicle.plate else "")


def create_demo_plates() -> None:
    """The demo's plates given out and reserved, and the used vehicles' plates."""
    until = timezone.localdate() + timedelta(days=RESERVED_DAYS)
    rows = [PlateEntry(key=_key(f"{SIGN}-{letters} {number}"),
                       state=PlateEntry.State.ASSIGNED)
            for letters in ASSIGNED_SERIES for number in range(1, ASSIGNED_PER_SERIES + 1)]
    rows += [PlateEntry(key=_key(v.plate), state=PlateEntry.State.ASSIGNED)
             for v in DEMO_VEHICLES if v.plate]
    rows += [PlateEntry(key=_key(f"{SIGN}-{RESERVED_SERIES} {number}"),
                        state=PlateEntry.State.RESERVED, reserved_until=until,
                        holder_reference=f"36.20.01-demo-{number}")
             for number in range(1, RESERVED_COUNT + 1)]
    existing = set(PlateEntry.objects.values_list("key", flat=True))
    PlateEntry.objects.bulk_create([row for row in rows if row.key not in existing])


def load_demo_vehicles() -> None:
    create_demo_vehicles()
    create_demo_plates()
