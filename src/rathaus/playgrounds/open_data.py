"""The playground cadastre's automatic datasets, points with lon/lat (so each is an OGC
API collection too):

- "spielplatzkataster": one row per playground: number, name, street, age group, pieces
  of equipment, how many are closed, and open / partly closed / closed;
- "spielgeraete": one row per piece of equipment: number, its playground's number,
  type, DIN EN 1176 part, manufacturer, year installed, open or closed.

Only what `kinds.public_properties` publishes; never inspections, findings or staff.
The names leave "spielplaetze" to a dataset an authority uploads itself.

A closure or a reopening (a change of an asset's status in its history) tells the
publishing layer that the figures moved (`figures_changed`), in the transaction of the
change; other changes follow with the hourly refresh.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from rathaus.assets.models import Asset, AssetRevision
from rathaus.publication.producers import Column, Produced, automatic_dataset

from .kinds import EQUIPMENT, PLAYGROUND, PublicStatus
from .selectors import public_equipment, public_playgrounds

PLAYGROUNDS_DATASET = "spielplatzkataster"
EQUIPMENT_DATASET = "spielgeraete"

# Open data speaks German whatever the visitor's language.
STATUS = {PublicStatus.OPEN: "offen", PublicStatus.PARTLY_CLOSED: "teilweise gesperrt",
          PublicStatus.CLOSED: "gesperrt"}
STREET = Column("strasse", "text", reason="Die Straße, an der ein öffentlicher Spielplatz "
                                          "liegt, ohne Hausnummer: keine Anschrift einer Person.")
KEYWORDS = ("Spielplätze", "Spielgeräte", "Freizeit", "Kinder", "DIN EN 1176")


def _any_playground() -> bool:
    return Asset.objects.filter(kind=PLAYGROUND).exclude(status=Asset.Status.REMOVED).exists()


@automatic_dataset(
    name=PLAYGROUNDS_DATASET,
    title="Spielplatzkataster",
    description=(
        "Die öffentlichen Spielplätze der Kommune mit Lage (WGS 84), Straße, Altersgruppe, "
        "Zahl der Spielgeräte, davon gesperrte, und Zustand: offen, teilweise gesperrt "
        "(einzelne Geräte gesperrt) oder gesperrt. Die Geräte werden nach DIN EN 1176-7 "
        "regelmäßig kontrolliert; ein Gerät mit sehr hohem Risiko wird sofort gesperrt."
    ),
    theme="EDUC", keywords=KEYWORDS, frequency="DAILY", applies=_any_playground,
)
def playgrounds() -> Produced:
    return Produced(
        columns=[Column("nummer", "text"), Column("spielplatz", "text"), STREET,
                 Column("altersgruppe", "text"), Column("geraete", "integer"),
                 Column("gesperrte_geraete", "integer"), Column("zustand", "text"),
                 Column("lon", "decimal", role="lon"), Column("lat", "decimal", role="lat")],
        rows=({"nummer": p.properties["number"], "spielplatz": p.properties["name"],
               "strasse": p.properties["street"], "altersgruppe": p.properties["age_group"],
               "geraete": p.properties["equipment"],
               "gesperrte_geraete": p.properties["equipment_closed"],
               "zustand": STATUS[p.properties["status"]], "lon": p.lon, "lat": p.lat}
              for p in public_playgrounds()),
    )


@automatic_dataset(
    name=EQUIPMENT_DATASET,
    title="Spielgeräte auf öffentlichen Spielplätzen",
    description=(
        "Die Spielgeräte der öffentlichen Spielplätze mit Lage (WGS 84), Nummer des "
        "Spielplatzes, Geräteart, Teil der DIN EN 1176, Hersteller, Einbaujahr und "
        "Zustand (offen oder gesperrt)."
    ),
    theme="EDUC", keywords=KEYWORDS, frequency="DAILY", applies=_any_playground,
)
def equipment() -> Produced:
    return Produced(
        columns=[Column("nummer", "text"), Column("spielplatz_nummer", "text"),
                 Column("geraeteart", "text"), Column("din_en_1176_teil", "text"),
                 Column("hersteller", "text"), Column("einbaujahr", "integer"),
                 Column("zustand", "text"),
                 Column("lon", "decimal", role="lon"), Column("lat", "decimal", role="lat")],
        rows=({"nummer": props["number"], "spielplatz_nummer": props["playground"],
               "geraeteart": _german_type(props), "din_en_1176_teil": _part(props),
               "hersteller": props["manufacturer"], "einbaujahr": props["installed_year"],
               "zustand": STATUS[props["status"]], "lon": piece.lon, "lat": piece.lat}
              for piece, props in public_equipment()),
    )


# The equipment types in German (open data does not follow the translation files).
GERMAN_TYPES = {
    "schaukel": "Schaukel", "nestschaukel": "Nestschaukel", "rutsche": "Rutsche",
    "seilbahn": "Seilbahn", "karussell": "Karussell", "wippe": "Wippe",
    "federwippgeraet": "Federwippgerät", "spielhaus": "Spielhaus",
    "kriechtunnel": "Kriechtunnel", "netz": "Kletternetz", "klettergeruest": "Klettergerüst",
    "kombination": "Spielturm mit Rutsche", "sandkasten": "Sandkasten",
    "balancierbalken": "Balancierbalken", "trampolin": "Trampolin",
}


def _german_type(props: dict) -> str:
    return GERMAN_TYPES.get(props["type"], props["type"])


def _part(props: dict) -> str:
    return f"DIN EN 1176-{props['en1176_part']}" if props["en1176_part"] else ""


@receiver(post_save, sender=AssetRevision, dispatch_uid="playgrounds.figures_changed")
def _closed_or_opened(sender, instance: AssetRevision, created: bool, **kwargs) -> None:
    if not created or "status" not in instance.changes:
        return
    if instance.asset.kind not in (PLAYGROUND, EQUIPMENT):
        return
    from rathaus.publication.signals import figures_changed

    figures_changed.send(sender=Asset)
