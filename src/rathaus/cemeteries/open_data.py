"""The cemetery cadastre's automatic datasets, aggregates only:

- "friedhof-freie-grabstellen": free graves per cemetery and grave type of its bylaw
  (a type without a free grave is a row with 0: that there is none is the news);
- "bestattungen": confirmed burials per year, cemetery, kind of burial and grave type,
  counts below 3 suppressed (`publication.small_counts`).

Nothing names or singles out a person: no names, no grave numbers, no holders, no date
finer than the year, and no count of burials below 3. Free graves are counted without
suppression: a grave that is free holds nobody, and its count says nothing about
anyone buried. The figures move when graves are created, burials confirmed or graves
cleared (services.py sends `figures_changed` there); bookings and rights granted in
advance follow with the hourly refresh.
"""

from django.db.models import Count
from django.db.models.functions import ExtractYear

from rathaus.assets.models import Asset
from rathaus.publication.producers import Column, Produced, automatic_dataset
from rathaus.publication.small_counts import suppress_small_counts

from .kinds import CEMETERY
from .models import Burial, BurialKind, Grave, GraveKind, GraveType

FREE_GRAVES_DATASET = "friedhof-freie-grabstellen"
BURIALS_DATASET = "bestattungen"

# Open data speaks German whatever the visitor's language.
GRAVE_TYPES = {
    GraveKind.ROW: "Reihengrab", GraveKind.CHOICE: "Wahlgrab",
    GraveKind.URN_ROW: "Urnenreihengrab", GraveKind.URN_CHOICE: "Urnenwahlgrab",
    GraveKind.ANONYMOUS: "Anonymes Urnenfeld", GraveKind.TREE: "Baumbestattung",
}
BURIAL_KINDS = {BurialKind.COFFIN: "Erdbestattung", BurialKind.URN: "Urnenbeisetzung"}
KEYWORDS = ("Friedhöfe", "Grabstellen", "Bestattungen", "Friedhofswesen")


def _any_cemetery() -> bool:
    return Asset.objects.filter(kind=CEMETERY).exclude(status=Asset.Status.REMOVED).exists()


def _cemetery_names() -> dict[int, str]:
    return dict(Asset.objects.filter(kind=CEMETERY).values_list("pk", "name"))


@automatic_dataset(
    name=FREE_GRAVES_DATASET,
    title="Freie Grabstellen auf den Friedhöfen",
    description=(
        "Die Zahl der freien Grabstellen je Friedhof und Grabart der Friedhofssatzung "
        "(Reihengrab, Wahlgrab, Urnenreihengrab, Urnenwahlgrab, anonymes Urnenfeld, "
        "Baumbestattung). Frei ist eine Grabstelle ohne Nutzungsrecht, Buchung oder "
        "laufende Ruhezeit, die wieder vergeben werden kann."
    ),
    theme="SOCI", keywords=KEYWORDS, frequency="DAILY", applies=_any_cemetery,
)
def free_graves() -> Produced:
    return Produced(
        columns=[Column("friedhof", "text"), Column("grabart", "text"),
                 Column("freie_grabstellen", "integer")],
        rows=free_grave_rows(),
    )


def free_grave_rows() -> list[dict]:
    names = _cemetery_names()
    free = {(cemetery, kind): count for cemetery, kind, count in (
        Grave.objects.filter(state=Grave.State.FREE, asset__status=Asset.Status.IN_SERVICE)
        .order_by().values_list("cemetery_id", "grave_type__kind")
        .annotate(count=Count("pk")))}
    rows = [{"friedhof": names.get(cemetery, ""), "grabart": GRAVE_TYPES.get(kind, kind),
             "freie_grabstellen": free.get((cemetery, kind), 0)}
            for cemetery, kind in GraveType.objects.order_by().values_list("cemetery_id",
                                                                           "kind")]
    return sorted(rows, key=lambda row: (row["friedhof"], row["grabart"]))


@automatic_dataset(
    name=BURIALS_DATASET,
    title="Bestattungen je Jahr, Friedhof und Grabart",
    description=(
        "Die Zahl der Bestattungen (Erdbestattungen und Urnenbeisetzungen) je Jahr, "
        "Friedhof und Grabart. Zahlen unter drei werden nicht ausgewiesen; der Datensatz "
        "nennt keine Personen, keine Gräber und kein genaueres Datum als das Jahr."
    ),
    theme="SOCI", keywords=KEYWORDS, frequency="DAILY", applies=_any_cemetery,
)
def burials() -> Produced:
    return Produced(
        columns=[Column("jahr", "integer"), Column("friedhof", "text"),
                 Column("bestattungsart", "text"), Column("grabart", "text"),
                 Column("bestattungen", "integer")],
        rows=burial_rows(),
    )


def burial_rows() -> list[dict]:
    names = _cemetery_names()
    counted = (Burial.objects.filter(state=Burial.State.CONFIRMED).order_by()
               .annotate(year=ExtractYear("buried_at"))
               .values_list("year", "grave__cemetery_id", "kind", "grave__grave_type__kind")
               .annotate(count=Count("pk")))
    rows = [{"jahr": year, "friedhof": names.get(cemetery, ""),
             "bestattungsart": BURIAL_KINDS.get(kind, kind),
             "grabart": GRAVE_TYPES.get(grave_kind, grave_kind), "bestattungen": count}
            for year, cemetery, kind, grave_kind, count in counted]
    rows.sort(key=lambda row: (row["jahr"], row["friedhof"], row["bestattungsart"],
                               row["grabart"]))
    return suppress_small_counts(rows, count="bestattungen")
