"""The district's plate register: is a chosen plate free, and reserving it for 90 days.

Reads and writes the active authority's register (the district's); the town's portal
asks it in the district's context (`authorities.responsibility`)."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record

from .identifiers import Plate
from .models import PlateEntry

RESERVATION_DAYS = 90


class PlateTaken(Exception):
    """The plate is assigned to a vehicle or reserved by someone else."""


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
