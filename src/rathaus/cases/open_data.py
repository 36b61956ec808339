"""The automatic dataset of the cases: online applications and processing times per
service and month. It publishes aggregates only, with counts below 3 suppressed."""

import statistics
from collections import defaultdict

from django.utils import timezone

from rathaus.catalog.definitions import localize
from rathaus.catalog.registry import definition
from rathaus.publication.producers import Column, Produced, automatic_dataset
from rathaus.publication.small_counts import MIN_COUNT, suppress_small_counts

from .models import Case


def _offers_any_service() -> bool:
    from rathaus.catalog.models import Service

    return Service.objects.exists()


def _days(delta) -> float:
    return delta.total_seconds() / 86400


def processing_rows(cases) -> list[dict]:
    """`cases`: (service id, submitted at, decided at or None). One row per service and
    month of submission; durations in days from submission to the final decision."""
    groups = defaultdict(lambda: {"count": 0, "durations": []})
    for service_id, submitted_at, decided_at in cases:
        month = timezone.localtime(submitted_at).strftime("%Y-%m")
        group = groups[(service_id, month)]
        group["count"] += 1
        if decided_at is not None:
            group["durations"].append(_days(decided_at - submitted_at))
    rows = []
    for (service_id, month), group in sorted(groups.items()):
        durations = sorted(group["durations"])
        enough = len(durations) >= MIN_COUNT
        service = definition(service_id)
        rows.append({
            "leistung": localize(service.title) if service else service_id,
            "monat": month,
            "antraege": group["count"],
            "entschieden": len(durations),
            "median_tage": round(statistics.median(durations), 1) if enough else None,
            "p90_tage": round(statistics.quantiles(durations, n=10, method="inclusive")[8], 1)
            if enough else None,
        })
    rows = suppress_small_counts(rows, count="entschieden", dependent=("median_tage",
                                                                        "p90_tage"))
    return suppress_small_counts(rows, count="antraege", dependent=("entschieden",))


@automatic_dataset(
    name="antraege-und-bearbeitungszeiten",
    title="Online-Anträge und Bearbeitungszeiten je Leistung und Monat",
    description=(
        "Zahl der online gestellten Anträge je Leistung und Monat des Eingangs, davon "
        "entschiedene, mit Median und 90. Perzentil der Bearbeitungszeit in Tagen vom "
        "Eingang bis zur Entscheidung. Zahlen unter drei werden nicht ausgewiesen."
    ),
    theme="GOVE", keywords=("Verwaltung", "Bearbeitungszeit", "Onlinedienste", "Statistik"),
    frequency="DAILY", applies=_offers_any_service,
)
def applications_and_processing_times() -> Produced:
    decided = {Case.Status.APPROVED, Case.Status.REJECTED}
    cases = (
        (service_id, submitted_at, decided_at if status in decided else None)
        for service_id, submitted_at, decided_at, status in Case.objects.order_by().values_list(
            "service_id", "submitted_at", "decided_at", "status").iterator()
    )
    return Produced(
        columns=[Column("leistung", "text"), Column("monat", "text"),
                 Column("antraege", "integer"), Column("entschieden", "integer"),
                 Column("median_tage", "decimal"), Column("p90_tage", "decimal")],
        rows=processing_rows(cases),
    )
