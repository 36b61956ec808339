"""The automatic dataset of the dog register: dogs per district, with districts of
fewer than 3 dogs shown without a number."""

from rathaus.publication.producers import Column, Produced, automatic_dataset
from rathaus.publication.small_counts import MIN_COUNT

from .statistics import dogs_per_district as figures

SUPPRESSED_NOTE = "weniger als 3, nicht ausgewiesen"


def _offers_dog_registration() -> bool:
    from rathaus.catalog.models import Service

    return Service.objects.filter(slug="hundeanmeldung").exists()


@automatic_dataset(
    name="hunde-je-ortsteil",
    title="Angemeldete Hunde je Ortsteil",
    description=(
        "Zahl der zur Hundesteuer angemeldeten Hunde je Ortsteil am Tag der "
        "Aktualisierung, aus dem Hunderegister. Ortsteile mit weniger als drei Hunden "
        "werden ohne Zahl ausgewiesen, damit keine Halterin und kein Halter erkennbar ist."
    ),
    theme="SOCI", keywords=("Hunde", "Hundesteuer", "Ortsteile", "Statistik"),
    frequency="DAILY", applies=_offers_dog_registration,
)
def dogs_per_district() -> Produced:
    return Produced(
        columns=[Column("ortsteil", "text"), Column("hunde", "integer"),
                 Column("hinweis", "text")],
        rows=[{"ortsteil": row["district"], "hunde": row["dogs"],
               "hinweis": SUPPRESSED_NOTE if row["suppressed"] else None}
              for row in figures(min_count=MIN_COUNT)],
    )
