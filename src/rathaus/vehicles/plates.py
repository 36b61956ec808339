"""The district's plate register: is a chosen plate free, reserving it for 90 days,
drawing a free plate for who chose none, assigning a plate to a registration, and
releasing a reservation when its application is refused.

Reads and writes the active authority's register (the district's); the town's portal
asks it in the district's context (`authorities.responsibility`)."""

import secrets
import string
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record

from .identifiers import InvalidIdentifier, Plate, parse_plate, plate_from_key
from .models import PlateEntry

RESERVATION_DAYS = 90
# Tries at drawing a free plate before giving up: with a register nine tenths full, 40
# misses in a row happen once in 70 draws of a thousand million.
DRAWS = 200


class PlateTaken(Exception):
    """The plate is assigned to a vehicle or reserved by someone else."""


class NoFreePlate(Exception):
    """No free plate was found in `DRAWS` draws: the register is (nearly) full."""


def _taken(key: str, *, on: date):
    return PlateEntry.objects.filter(key=key).filter(
        Q(state=PlateEntry.State.ASSIGNED) | Q(reserved_until__gte=on))


@unguarded("whether a plate is free is public: anyone may ask the district")
def plate_is_free(plate: Plate, *, on: date | None = None) -> bool:
    return not _taken(plate.key, on=on or timezone.localdate()).exists()


@unguarded("a reservation names a case reference, not a person; the caller is the "
           "application's sending")
@transaction.atomic
def reserve_plate(plate: Plate, *, reference: str, on: date | None = None) -> PlateEntry:
    """The plate reserved for `reference` for 90 days from `on`; reserving it again for
    the same reference renews nothing and returns the entry. PlateTaken otherwise."""
    on = on or timezone.localdate()
    entry = PlateEntry.objects.select_for_update().filter(key=plate.key).first()
    if entry is not None:
        if entry.holder_reference == reference:
            return entry
        if entry.state == PlateEntry.State.ASSIGNED or entry.reserved_until >= on:
            raise PlateTaken(str(plate))
        entry.delete()  # a reservation that ran out frees the plate
    try:
        with transaction.atomic():
            entry = PlateEntry.objects.create(
                key=plate.key, state=PlateEntry.State.RESERVED, holder_reference=reference,
                reserved_until=on + timedelta(days=RESERVATION_DAYS))
    except IntegrityError as error:  # reserved by someone else this very moment
        raise PlateTaken(str(plate)) from error
    record("vehicles.plate_reserved", data={"plate": plate.key, "reference": reference,
                                            "until": entry.reserved_until.isoformat()})
    return entry


@unguarded("reads which plate the register holds for a case reference, no person")
def plate_held_for(reference: str, *, sign: str) -> Plate | None:
    """The plate reserved or assigned for the application `reference`, if any."""
    entry = PlateEntry.objects.filter(holder_reference=reference).order_by("-changed_at").first()
    return plate_from_key(entry.key, sign=sign) if entry else None


def _random_plate(sign: str) -> Plate:
    """A plate of the district drawn at random: 1–2 letters, 1–4 digits not starting
    with 0, as the rules of `parse_plate` allow (forbidden combinations drawn again)."""
    while True:
        letters = "".join(secrets.choice(string.ascii_uppercase)
                          for _ in range(1 + secrets.randbelow(2)))
        digits = str(1 + secrets.randbelow(10 ** (1 + secrets.randbelow(4)) - 1))
        try:
            return parse_plate(f"{sign}-{letters} {digits}", sign=sign)
        except InvalidIdentifier:
            continue


@unguarded("the decision of a registration draws the plate for its case reference; "
           "the clerk's approval was asked by the cases app")
def reserve_free_plate(*, sign: str, reference: str, on: date | None = None) -> Plate:
    """A free plate drawn at random and reserved for `reference`; the one it holds
    already if there is one, so that a repeated run draws nothing new."""
    held = plate_held_for(reference, sign=sign)
    if held is not None:
        return held
    for _ in range(DRAWS):
        plate = _random_plate(sign)
        try:
            reserve_plate(plate, reference=reference, on=on)
        except PlateTaken:
            continue
        return plate
    raise NoFreePlate(sign)


@unguarded("the decision of a registration assigns the plate to its case reference; "
           "the clerk's approval was asked by the cases app")
@transaction.atomic
def assign_plate(plate: Plate, *, reference: str, on: date | None = None) -> PlateEntry:
    """The plate assigned for good to the registration `reference`: its reservation
    for `reference` becomes the assignment, a free plate is assigned at once.
    PlateTaken if it is assigned or reserved for another application."""
    on = on or timezone.localdate()
    entry = reserve_plate(plate, reference=reference, on=on)
    if entry.state != PlateEntry.State.ASSIGNED:
        entry.state, entry.reserved_until = PlateEntry.State.ASSIGNED, None
        entry.save(update_fields=["state", "reserved_until", "changed_at"])
        record("vehicles.plate_assigned", data={"plate": plate.key, "reference": reference})
    return entry


@unguarded("a refused application gives back what was reserved under its reference")
@transaction.atomic
def release_plate(*, reference: str) -> list[str]:
    """The plates reserved (not assigned) for `reference` freed; their keys."""
    entries = PlateEntry.objects.select_for_update().filter(
        holder_reference=reference, state=PlateEntry.State.RESERVED)
    keys = sorted(entries.values_list("key", flat=True))
    if keys:
        entries.delete()
        record("vehicles.plate_released", data={"plates": keys, "reference": reference})
    return keys
