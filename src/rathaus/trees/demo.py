"""The demo's street trees: about 5,000 trees along 40 streets of Leichlingen.

The street names are Leichlingen's; their courses are not surveyed but drawn near the
town centre (51.1063 N, 7.0117 E) and in Witzhelden, by a seeded random, so the demo is
the same on every machine. Trees stand every 8 to 15 m on both sides, with gaps for
driveways; each street was planted mostly in one year (an avenue) with later
replacements; species are weighted by what NRW streets plant; sizes follow age;
traffic expectation follows the street's kind; a few per cent are clearly damaged.

The trees are bulk-created with their planned regular inspection (by the FLL rules of
`intervals`) and one revision each, in one transaction: going through
`assets.services.create_asset` would take minutes for 5,000 trees. About 50 trees then
get an inspection by the demo inspector through the real service, so their history,
the audit log and some work orders are what real use leaves."""

import math
import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from rathaus.assets import services
from rathaus.assets.models import Asset, AssetRevision, Cadastre, Risk, ScheduledInspection
from rathaus.audit.services import record

from . import intervals
from .species import ensure_species
from .species_list import SPECIES

CENTRE = (7.0117, 51.1063)
WITZHELDEN = (7.0790, 51.1225)
MAIN, RESIDENTIAL, PATH = "main", "residential", "path"
TRAFFIC = {MAIN: intervals.HIGH, RESIDENTIAL: intervals.MEDIUM, PATH: intervals.LOW}

# (street, kind, near Witzhelden)
STREETS = (
    ("Brückenstraße", MAIN, False), ("Marktstraße", MAIN, False),
    ("Kirchstraße", RESIDENTIAL, False), ("Bahnhofstraße", MAIN, False),
    ("Mittelstraße", RESIDENTIAL, False), ("Neukirchener Straße", MAIN, False),
    ("Opladener Straße", MAIN, False), ("Gartenstraße", RESIDENTIAL, False),
    ("Am Büscherhof", MAIN, False), ("Unterberg", RESIDENTIAL, False),
    ("Oberschmitte", RESIDENTIAL, False), ("Witzheltersteg", PATH, False),
    ("Im Brückerfeld", RESIDENTIAL, False), ("Hasensprungmühle", PATH, False),
    ("Am Hammer", RESIDENTIAL, False), ("Moltkestraße", RESIDENTIAL, False),
    ("Kölner Straße", MAIN, False), ("Uferstraße", PATH, False),
    ("Am Wallgraben", RESIDENTIAL, False), ("Balker Aue", RESIDENTIAL, False),
    ("Büscherhofer Straße", RESIDENTIAL, False), ("Pilghauser Weg", RESIDENTIAL, False),
    ("Am Stadtpark", PATH, False), ("Hülstrunger Weg", PATH, False),
    ("Schulstraße", MAIN, False), ("Talstraße", RESIDENTIAL, False),
    ("Gerberstraße", RESIDENTIAL, False), ("Montanusstraße", RESIDENTIAL, False),
    ("Kradenpuhl", RESIDENTIAL, False), ("Bergstraße", RESIDENTIAL, False),
    ("Johannisberg", RESIDENTIAL, False), ("Sandstraße", RESIDENTIAL, False),
    ("Schraffenberg", RESIDENTIAL, False), ("Am Block", RESIDENTIAL, False),
    ("Rothenberg", RESIDENTIAL, False), ("Solinger Straße", MAIN, True),
    ("Burscheider Straße", MAIN, True), ("Kirchplatz", RESIDENTIAL, True),
    ("Wupperstraße", PATH, False), ("Stockberger Weg", PATH, True),
)

# How often NRW streets plant each species (shares, by key).
WEIGHTS = {
    "winterlinde": 14, "kaiserlinde": 6, "sommerlinde": 5, "spitzahorn": 12,
    "bergahorn": 7, "feldahorn": 4, "stieleiche": 7, "traubeneiche": 1, "roteiche": 2,
    "rotbuche": 2, "hainbuche": 7, "platane": 6, "esche": 3, "birke": 5,
    "rosskastanie": 5, "robinie": 3, "zierkirsche": 4, "vogelkirsche": 2, "ginkgo": 1,
    "baumhasel": 2, "schwarzerle": 1, "eberesche": 1, "mehlbeere": 2, "gleditschie": 1,
}
# The tallest each species usually grows in a street (m).
TALLEST = {"birke": 20, "zierkirsche": 8, "vogelkirsche": 15, "eberesche": 10,
           "mehlbeere": 12, "feldahorn": 12, "hainbuche": 15, "baumhasel": 18,
           "robinie": 20, "gleditschie": 18}
DAMAGED_SHARE = 0.05
AGEING = {key: ageing for key, _botanical, _german, ageing in SPECIES}
METRES_PER_DEGREE = 111_320.0


def _street_line(rng: random.Random, witzhelden: bool) -> list[tuple[float, float]]:
    """A street's course: three or four straight pieces of 180–320 m, bending a little."""
    if witzhelden:
        lon, lat = WITZHELDEN[0] + rng.uniform(-0.008, 0.004), WITZHELDEN[1] + rng.uniform(
            -0.005, 0.005)
    else:  # the centre lies in the west of the town, by the Wupper
        lon, lat = CENTRE[0] + rng.uniform(-0.004, 0.025), CENTRE[1] + rng.uniform(
            -0.012, 0.014)
    bearing = rng.uniform(0, 2 * math.pi)
    points = [(lon, lat)]
    for _piece in range(rng.randint(3, 4)):
        bearing += rng.uniform(-0.45, 0.45)
        length = rng.uniform(180, 320)
        lat += length * math.cos(bearing) / METRES_PER_DEGREE
        lon += length * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
        points.append((lon, lat))
    return points


def _places(rng: random.Random, line) -> Iterator[tuple[float, float]]:
    """Tree places every 8–15 m on both sides of the line, 6–8 m off its middle."""
    for side in (-1, 1):
        for (lon1, lat1), (lon2, lat2) in zip(line, line[1:], strict=False):
            scale = METRES_PER_DEGREE * math.cos(math.radians(lat1))
            dx, dy = (lon2 - lon1) * scale, (lat2 - lat1) * METRES_PER_DEGREE
            length = math.hypot(dx, dy)
            ux, uy = dx / length, dy / length
            along = rng.uniform(2, 8)
            while along < length:
                if rng.random() > 0.1:  # a driveway or a lamp post: no tree
                    offset = side * rng.uniform(6, 8)
                    x, y = ux * along - uy * offset, uy * along + ux * offset
                    yield lon1 + x / scale, lat1 + y / METRES_PER_DEGREE
                along += rng.uniform(8, 15)


def _tree(rng: random.Random, keys, weights, street: str, kind: str, avenue: tuple,
          today: date) -> dict:
    avenue_species, avenue_year = avenue
    if rng.random() < 0.75:
        species, year = avenue_species, avenue_year
    else:  # replanted or added later
        species = rng.choices(keys, weights)[0]
        year = rng.randint(max(avenue_year, 1950), 2024)
    age = max(today.year - year, 1)
    tallest = TALLEST.get(species, 30)
    height = min(tallest, 2.5 + 0.42 * age) * rng.uniform(0.85, 1.15)
    ageing_from = AGEING[species]
    damaged = rng.random() < DAMAGED_SHARE * (2.5 if age >= ageing_from else 0.7)
    attributes = {
        "planting_year": year,
        "height": round(height, 1),
        "crown_diameter": round(height * rng.uniform(0.45, 0.7), 1),
        "trunk_circumference": int(age * rng.uniform(2.4, 3.6) + 15),
        "traffic_expectation": TRAFFIC[kind],
        "street": street,
        "condition": intervals.DAMAGED if damaged else intervals.HEALTHY,
    }
    # The last regular inspection lay somewhere within its interval, or up to a month
    # beyond: the plan of the next weeks has work every week, and a few are overdue.
    years = intervals.regular_due(attributes, ageing_from, today).year - today.year
    inspected_on = today - timedelta(days=rng.randint(1, 365 * years + 30))
    return {"type": species, "attributes": attributes,
            "next_due": intervals.regular_due(attributes, ageing_from, inspected_on)}



def generate_tree_rows(count: int, seed: int = 1955, *, today: date | None = None
                       ) -> Iterator[dict]:
    """`count` plausible street trees (number, type, lon, lat, attributes, next_due),
    the same for the same seed: the demo's and the benchmarks' trees. Beyond one pass
    over the streets (about 5,500 trees) the streets are drawn again elsewhere."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311  (a repeatable demo, no secret)
    keys, weights = list(WEIGHTS), list(WEIGHTS.values())
    made = 0
    while True:
        for street, kind, witzhelden in STREETS:
            avenue = (rng.choices(keys, weights)[0], rng.randint(1950, 2020))
            for lon, lat in _places(rng, _street_line(rng, witzhelden)):
                made += 1
                yield {"number": f"B-{made:05d}", "lon": round(lon, 7), "lat": round(lat, 7),
                       **_tree(rng, keys, weights, street, kind, avenue, today)}
                if made >= count:
                    return


def bulk_create_trees(cadastre: Cadastre, rows, *, reason: str, batch: int = 2000) -> int:
    """Asset rows with their planned regular inspection and a first revision, in
    batches. The caller holds the transaction and the authority."""
    created = 0
    rows = iter(rows)
    while True:
        chunk = [row for _i, row in zip(range(batch), rows, strict=False)]
        if not chunk:
            return created
        assets = Asset.objects.bulk_create([
            Asset(cadastre=cadastre, kind="tree", number=row["number"], type=row["type"],
                  lon=row["lon"], lat=row["lat"], attributes=row["attributes"],
                  next_due=row["next_due"]) for row in chunk])
        ScheduledInspection.objects.bulk_create([
            ScheduledInspection(asset=asset, kind="regular", due_on=asset.next_due)
            for asset in assets])
        AssetRevision.objects.bulk_create([
            AssetRevision(asset=asset, version=1, reason=reason,
                          changes={"created": [None, asset.number]}) for asset in assets])
        created += len(assets)


FINDINGS = (
    ("Totholz in der Krone über dem Gehweg", Risk.MEDIUM, "Totholz entfernen"),
    ("Rindenschaden am Stammfuß durch Anfahren", Risk.LOW, "Wunde beobachten"),
    ("Pilzfruchtkörper am Stammfuß (Brandkrustenpilz?)", Risk.HIGH,
     "Eingehende Untersuchung beauftragen"),
)


def load_demo_trees(*, inspector, count: int = 5000, seed: int = 1955) -> int:
    """The demo town's street trees (see the module's text); nothing when trees are
    there already. Run with the town's authority active. Returns how many it made."""
    ensure_species()
    if Asset.objects.filter(kind="tree").exists():
        return 0
    cadastre = Cadastre.objects.get(name="trees")
    with transaction.atomic():
        created = bulk_create_trees(cadastre, generate_tree_rows(count, seed),
                                    reason="Demo-Bestand")
        record("trees.demo_loaded", actor=None, target=cadastre, data={"count": created})
        _inspect_some(inspector, random.Random(seed + 1))  # noqa: S311  (demo, no secret)
        from rathaus.publication.signals import figures_changed

        figures_changed.send(sender=Asset)
    return created


def _inspect_some(inspector, rng: random.Random, how_many: int = 50) -> None:
    trees = list(Asset.objects.filter(kind="tree").order_by("pk")[:2000])
    now = timezone.now()
    for tree in rng.sample(trees, min(how_many, len(trees))):
        day = timezone.localdate() - timedelta(days=rng.randint(1, 90))
        inspected_at = timezone.make_aware(datetime.combine(day, time(9 + rng.randint(0, 6))))
        damaged = tree.attributes.get("condition") == intervals.DAMAGED
        findings = []
        if damaged:
            description, risk, measure = rng.choice(FINDINGS)
            findings.append(services.NewFinding(description, risk, measure))
        services.record_inspection(
            actor=inspector, asset=tree, client_id=uuid.UUID(int=rng.getrandbits(128)),
            kind="regular", inspected_at=min(inspected_at, now),
            seen_version=tree.version, condition=tree.attributes.get("condition", ""),
            notes="Sichtkontrolle vom Boden aus.", findings=findings)
