"""Aggregated, privacy-safe figures of the district's vehicle registrations, for the
open data portal."""

from collections import Counter, defaultdict

from django.utils import timezone

from rathaus.cases.models import Case
from rathaus.publication.small_counts import MIN_COUNT

from .registration import SERVICE

KINDS = ("new", "used")


def registrations_per_month(*, min_count: int = MIN_COUNT) -> list[dict]:
    """Registrations the district approved online, per month of the decision (YYYY-MM),
    in total and split into new and used vehicles.

    A total from 1 to `min_count` - 1 shows no numbers at all; a split with such a
    count shows neither part (the total minus the other would give it away). Zeros are
    shown: nobody stands behind them."""
    months: dict[str, Counter] = defaultdict(Counter)
    approved = Case.objects.filter(service_id=SERVICE, status=Case.Status.APPROVED,
                                   decided_at__isnull=False).order_by()
    for decided_at, kind in approved.values_list("decided_at",
                                                 "answers__registration_kind").iterator():
        months[timezone.localtime(decided_at).strftime("%Y-%m")][kind] += 1
    rows = []
    for month, counts in sorted(months.items()):
        registrations = sum(counts[kind] for kind in KINDS)
        too_few_in_all = registrations < min_count
        too_few_in_part = any(0 < counts[kind] < min_count for kind in KINDS)
        rows.append({
            "month": month,
            "registrations": None if too_few_in_all else registrations,
            **{kind: None if too_few_in_all or too_few_in_part else counts[kind]
               for kind in KINDS},
            "suppressed": too_few_in_all or too_few_in_part,
        })
    return rows
