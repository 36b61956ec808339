"""The automatic dataset of the vehicle registration: registrations per month, new and
used vehicles apart, with counts below 3 shown without a number."""

from rathaus.publication.producers import Column, Produced, automatic_dataset

from .registration import SERVICE
from .statistics import registrations_per_month

SUPPRESSED_NOTE = "weniger als 3, nicht ausgewiesen"


def _offers_vehicle_registration() -> bool:
    from rathaus.catalog.models import Service

    return Service.objects.filter(slug=SERVICE).exists()


@automatic_dataset(
    name="kfz-zulassungen-je-monat",
    title="Kfz-Zulassungen je Monat",
    description=(
        "Zahl der Fahrzeuge, die die Zulassungsbehörde auf einen Online-Antrag hin "
        "zugelassen hat, je Monat der Entscheidung, zusammen und getrennt nach neuen und "
        "gebrauchten Fahrzeugen. Zahlen von eins bis zwei werden ohne Zahl ausgewiesen; "
        "ist eine der beiden Teilzahlen so klein, fehlen beide, damit keine Halterin und "
        "kein Halter erkennbar ist."
    ),
    theme="TRAN", keywords=("Kfz", "Zulassung", "Fahrzeuge", "Straßenverkehr", "Statistik"),
    frequency="DAILY", applies=_offers_vehicle_registration,
)
def registrations_per_month_dataset() -> Produced:
    return Produced(
        columns=[Column("monat", "text"), Column("zulassungen", "integer"),
                 Column("neufahrzeuge", "integer"), Column("gebrauchtfahrzeuge", "integer"),
                 Column("hinweis", "text")],
        rows=[{"monat": row["month"], "zulassungen": row["registrations"],
               "neufahrzeuge": row["new"], "gebrauchtfahrzeuge": row["used"],
               "hinweis": SUPPRESSED_NOTE if row["suppressed"] else None}
              for row in registrations_per_month()],
    )
