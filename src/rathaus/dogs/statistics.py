"""Aggregated, privacy-safe figures of the dog register, for the open data portal."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import Dog, StreetDistrict, normalise_street

UNASSIGNED = "ohne Zuordnung"


def district_for(street: str) -> str:
    """The district of a street from the authority's street directory, or ""."""
    found = (StreetDistrict.objects.filter(street_key=normalise_street(street))
             .values_list("district", flat=True).first())
    return found or ""


def dogs_per_district(*, min_count: int = 3, on=None) -> list[dict]:
    """Dogs registered on `on` (today) per district. A district with fewer than
    `min_count` dogs shows no number, so that no holder can be singled out."""
    on = on or timezone.localdate()
    rows = (
        Dog.objects.filter(liable_from__lte=on)
        .filter(Q(given_up_on__isnull=True) | Q(given_up_on__gte=on))
        .values("district").annotate(dogs=Count("pk")).order_by("district")
    )
    return [
        {
            "district": row["district"] or UNASSIGNED,
            "dogs": row["dogs"] if row["dogs"] >= min_count else None,
            "suppressed": row["dogs"] < min_count,
        }
        for row in rows
    ]
