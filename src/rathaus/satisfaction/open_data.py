"""The satisfaction check as open data: per service and month, how many answered, the
average (1 to 5) and the share who were satisfied (4 or 5). Counts below three and what
is computed from them are left out; the comments are never published."""

from rathaus.catalog.definitions import localize
from rathaus.catalog.registry import definition
from rathaus.publication.producers import Column, Produced, automatic_dataset
from rathaus.publication.small_counts import suppress_small_counts

from .models import Rating
from .selectors import by_service_and_month, satisfied_percent

DATASET = "zufriedenheit"


def _any_rating() -> bool:
    return Rating.objects.exists()


def satisfaction_rows(groups) -> list[dict]:
    rows = []
    for group in sorted(groups, key=lambda g: (g["month"], g["service_id"])):
        service = definition(group["service_id"])
        rows.append({
            "leistung": localize(service.title) if service else group["service_id"],
            "monat": group["month"].strftime("%Y-%m"),
            "bewertungen": group["count"],
            "durchschnitt": round(group["average"], 1),
            "zufrieden_prozent": satisfied_percent(group),
        })
    return suppress_small_counts(rows, count="bewertungen",
                                 dependent=("durchschnitt", "zufrieden_prozent"))


@automatic_dataset(
    name=DATASET,
    title="Zufriedenheit mit den Leistungen je Leistung und Monat (Heimat-Check)",
    description=(
        "Antworten auf die Frage nach der Zufriedenheit, die Bürgerinnen und Bürger nach "
        "einem erledigten Anliegen freiwillig und anonym beantworten: Zahl der Antworten, "
        "Durchschnitt auf einer Skala von 1 (sehr unzufrieden) bis 5 (sehr zufrieden) und "
        "Anteil der Zufriedenen (4 oder 5) in Prozent, je Leistung und Monat. Zahlen unter "
        "drei werden nicht ausgewiesen, Kommentare nicht veröffentlicht."
    ),
    theme="GOVE", keywords=("Verwaltung", "Zufriedenheit", "Bürgerbeteiligung", "Statistik"),
    frequency="DAILY", applies=_any_rating,
)
def satisfaction() -> Produced:
    return Produced(
        columns=[Column("leistung", "text"), Column("monat", "text"),
                 Column("bewertungen", "integer"), Column("durchschnitt", "decimal"),
                 Column("zufrieden_prozent", "integer")],
        rows=satisfaction_rows(by_service_and_month()),
    )
