"""What the ratings say, in aggregate for everyone, with the comments for staff."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils import timezone

from rathaus.cases.models import Case
from rathaus.publication.small_counts import MIN_COUNT

from .models import RatedCase, Rating
from .permissions import FINISHED  # the views ask it too


def may_be_asked(*, case: Case) -> bool:
    """The matter is finished and its applicant has not answered yet."""
    return case.status in FINISHED and not RatedCase.objects.filter(case=case).exists()


@dataclass(frozen=True)
class Summary:
    count: int
    average: float  # 1 … 5, one decimal
    satisfied_percent: int  # who answered 4 or 5


# Count, average and the answers of 4 or 5, for one aggregate or per group.
_FIGURES = {"count": Count("pk"), "average": Avg("score"),
            "satisfied": Count("pk", filter=Q(score__gte=4))}


def satisfied_percent(group: dict) -> int:
    """The share of a group's answers that were 4 or 5, in per cent."""
    return round(100 * group["satisfied"] / group["count"])


def _summary(figures: dict) -> Summary | None:
    if figures["count"] < MIN_COUNT:
        return None
    return Summary(count=figures["count"], average=round(figures["average"], 1),
                   satisfied_percent=satisfied_percent(figures))


def last_twelve_months(*, today: datetime.date | None = None) -> Summary | None:
    """All services' ratings of this month and the eleven before; None below MIN_COUNT."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - 11  # eleven months before this one
    first = datetime.date(months // 12, months % 12 + 1, 1)
    return _summary(Rating.objects.filter(month__gte=first).aggregate(**_FIGURES))


def by_service_and_month():
    """Rows of service_id, month, count, average and satisfied (answers of 4 or 5),
    newest month first: for the office's page and the open data."""
    rows = (Rating.objects.values("service_id", "month")
            .annotate(**_FIGURES)
            .order_by("-month", "service_id"))
    return list(rows)


def comments(*, service_id: str, month: datetime.date) -> list[tuple[int, str]]:
    """(score, comment) of the month's ratings of the service that have a comment."""
    return list(Rating.objects.filter(service_id=service_id, month=month)
                .exclude(comment="").order_by("score", "comment")
                .values_list("score", "comment"))
