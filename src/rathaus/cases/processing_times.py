"""How long a service's applications actually take: the median and the 90th percentile
of the days from an application's arrival to its decision. The service page shows them
for the last 90 days beside the time the service promises; the open data publish them
per month (`open_data.py`). Both leave out figures from fewer than three cases, which
could describe a person."""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone

from rathaus.publication.small_counts import MIN_COUNT

from .models import Case

WINDOW_DAYS = 90
DECIDED = (Case.Status.APPROVED, Case.Status.REJECTED)


@dataclass(frozen=True)
class Durations:
    count: int  # decided applications the figures come from
    median_days: float
    p90_days: float


def days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 86400


def summarise(durations: list[float]) -> Durations | None:
    """Median and 90th percentile, in days to one decimal; None for fewer than
    MIN_COUNT durations."""
    if len(durations) < MIN_COUNT:
        return None
    ordered = sorted(durations)
    return Durations(
        count=len(ordered), median_days=round(statistics.median(ordered), 1),
        p90_days=round(statistics.quantiles(ordered, n=10, method="inclusive")[8], 1))


def recent_durations(*, service_id: str, now: datetime.datetime | None = None
                     ) -> Durations | None:
    """The active authority's applications for the service decided in the last
    WINDOW_DAYS days; None if there are too few."""
    since = (now or timezone.now()) - datetime.timedelta(days=WINDOW_DAYS)
    rows = (Case.objects.filter(service_id=service_id, status__in=DECIDED,
                                decided_at__gte=since)
            .order_by().values_list("submitted_at", "decided_at"))
    return summarise([days(decided - submitted) for submitted, decided in rows])
