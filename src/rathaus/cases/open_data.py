"""The automatic dataset of the cases: online applications and processing times per
service and month. It publishes aggregates only, with counts below 3 suppressed."""

from collections import defaultdict

from django.utils import timezone

from rathaus.catalog.definitions import localize
from rathaus.catalog.registry import definition
from rathaus.publication.producers import Column, Produced, automatic_dataset
from rathaus.publication.small_counts import suppress_small_counts

from .models import Case
from .processing_times import DECIDED, days, summarise

# The dataset's name: its page and downloads are under /daten/<name>/.
DATASET = "antraege-und-bearbeitungszeiten"


def _offers_any_service() -> bool:
    from rathaus.catalog.models import Service

    return Service.objects.exists()


def processing_rows(cases) -> list[dict]:
    """`cases`: (service id, submitted at, decided at or None). One row per service and
    month of submission; durations in days from submission to the final decision."""
    groups = defaultdict(lambda: {"count": 0, "durations": []})
    for service_id, submitted_at, decided_at in cases:
        month = timezone.localtime(submitted_at).strftime("%Y-%m")
        group = groups[(service_id, month)]
        group["count"] += 1
        if decided_at is not None:
            group["durations"].append(days(decided_at - submitted_at))
    rows = []
    for (service_id, month), group in sorted(groups.items()):
        figures = summarise(group["durations"])
        service = definition(service_id)
        rows.append({
            "leistung": localize(service.title) if service else service_id,
            "monat": month,
            "antraege": group["count"],
            "entschieden": len(group["durations"]),
            "median_tage": figures.median_days if figures else None,
            "p90_tage": figures.p90_days if figures else None,
        })
    rows = suppress_small_counts(rows, count="entschieden", dependent=("median_tage",
                                                                        "p90_tage"))
    return suppress_small_counts(rows, count="antraege", dependent=("entschieden",))


@automatic_dataset(
    name=DATASET,
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
    cases = (
        (service_id, submitted_at, decided_at if status in DECIDED else None)
        for service_id, submitted_at, decided_at, status in Case.objects.order_by().values_list(
            "service_id", "submitted_at", "decided_at", "status").iterator()
    )
    return Produced(
        columns=[Column("leistung", "text"), Column("monat", "text"),
                 Column("antraege", "integer"), Column("entschieden", "integer"),
                 Column("median_tage", "decimal"), Column("p90_tage", "decimal")],
        rows=processing_rows(cases),
    )
