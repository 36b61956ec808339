"""The automatic dataset of the resident register: moves into, within and away from the
town per district and month, with counts below 3 shown without a number."""

from rathaus.publication.producers import Column, Produced, automatic_dataset
from rathaus.publication.small_counts import MIN_COUNT

from .statistics import moves_per_district_and_month as figures

SUPPRESSED_NOTE = "weniger als 3, nicht ausgewiesen"


def _offers_registration_of_residence() -> bool:
    from rathaus.catalog.models import Service

    return Service.objects.filter(slug="wohnsitzanmeldung").exists()


@automatic_dataset(
    name="zu-und-wegzuege-je-ortsteil",
    title="Zuzüge, Umzüge und Wegzüge je Ortsteil und Monat",
    description=(
        "Zahl der Personen, die in die Stadt zugezogen, innerhalb der Stadt umgezogen "
        "oder aus der Stadt weggezogen sind, je Ortsteil und Monat, aus dem Melderegister. "
        "Gezählt werden Personen mit Hauptwohnung; ein Umzug zählt im Ortsteil der neuen "
        "Wohnung, ein Wegzug in dem der bisherigen. Straßen ohne Ortsteil im "
        "Straßenverzeichnis stehen unter „ohne Zuordnung“. Zahlen von eins bis zwei werden "
        "ohne Zahl ausgewiesen, damit kein Haushalt erkennbar ist."
    ),
    theme="SOCI", keywords=("Einwohner", "Melderegister", "Zuzüge", "Wegzüge", "Umzüge",
                            "Ortsteile", "Statistik"),
    frequency="DAILY", applies=_offers_registration_of_residence,
)
def moves_per_district() -> Produced:
    return Produced(
        columns=[Column("ortsteil", "text"), Column("monat", "text"),
                 Column("zuzuege", "integer"), Column("umzuege", "integer"),
                 Column("wegzuege", "integer"), Column("hinweis", "text")],
        rows=[{"ortsteil": row["district"], "monat": row["month"],
               "zuzuege": row["moves_in"], "umzuege": row["moves_within"],
               "wegzuege": row["moves_away"],
               "hinweis": SUPPRESSED_NOTE if row["suppressed"] else None}
              for row in figures(min_count=MIN_COUNT)],
    )
