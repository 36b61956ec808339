"""Aggregated, privacy-safe figures of the resident register, for the open data portal."""

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import EndedBy, Residence, ResidenceKind, StartedBy, Street

UNASSIGNED = "ohne Zuordnung"

# What each figure counts: residences that started or ended by that change, on which
# date, in the district of which dwelling (the new one for a move within the town).
_FIGURES = {
    "moves_in": ({"started_by": StartedBy.MOVE_IN}, "moved_in"),
    "moves_within": ({"started_by": StartedBy.MOVE_WITHIN}, "moved_in"),
    "moves_away": ({"ended_by": EndedBy.MOVE_OUT}, "moved_out"),
}


def _per_street_and_month(condition: dict, day: str, until: date):
    """(street key, first day of the month, count), counted by the database."""
    return (Residence.objects.filter(kind=ResidenceKind.MAIN, **condition,
                                     **{f"{day}__lte": until})
            .annotate(month=TruncMonth(day)).values("dwelling__street_key", "month")
            .annotate(persons=Count("pk"))
            .values_list("dwelling__street_key", "month", "persons"))


def moves_per_district_and_month(*, min_count: int = 3, until: date | None = None
                                 ) -> list[dict]:
    """Persons who moved into the town, within it, and away from it, per district of
    the street directory and month (YYYY-MM), up to `until` (today): moves registered
    ahead of their day count once the day has come.

    Only main residences count, so that each figure counts persons, as the population
    does. A count from 1 to `min_count` - 1 shows no number (`suppressed`), so that no
    household can be singled out. A zero is shown: nobody stands behind it, and a row
    for every group where anything happened has zeros in most of its three figures,
    which would otherwise hide them all. A street missing from the directory counts as
    `UNASSIGNED`."""
    until = until or timezone.localdate()
    district_of = dict(Street.objects.values_list("key", "district"))
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for figure, (condition, day) in _FIGURES.items():
        for street_key, month, persons in _per_street_and_month(condition, day, until):
            district = district_of.get(street_key) or UNASSIGNED
            groups[(district, f"{month:%Y-%m}")][figure] += persons
    rows = []
    for (district, month), counts in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0])):
        small = {f for f in _FIGURES if 0 < counts[f] < min_count}
        rows.append({"district": district, "month": month,
                     **{f: None if f in small else counts[f] for f in _FIGURES},
                     "suppressed": bool(small)})
    return rows
