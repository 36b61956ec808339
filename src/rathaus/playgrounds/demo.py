"""The demo's playgrounds: fifteen playgrounds of Leichlingen with their equipment, a
few past inspections by the demo inspector, and one swing closed by a very high risk
with its open work order. Everything goes through the cadastres' services, so the
history, the audit log and the plan of inspections are what real use leaves."""

import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from rathaus.assets import services
from rathaus.assets.models import Asset, Cadastre, Risk

from .kinds import EQUIPMENT, PLAYGROUND, TYPICAL_PART

# (number, name, street, age group, area m², lon, lat, number of pieces)
PLAYGROUNDS = (
    ("SP-01", "Spielplatz Am Wallgraben", "Am Wallgraben", "3–12", 1450, 7.0186, 51.1056, 8),
    ("SP-02", "Spielplatz Brückenstraße", "Brückenstraße", "0–6", 620, 7.0201, 51.1049, 5),
    ("SP-03", "Spielplatz Kirchplatz Witzhelden", "Kirchplatz", "alle", 980, 7.0782, 51.1231,
     6),
    ("SP-04", "Wasserspielplatz Wupperaue", "Uferstraße", "alle", 2600, 7.0350, 51.1180, 10),
    ("SP-05", "Spielplatz Pilghausen", "Pilghauser Weg", "3–12", 870, 7.0440, 51.1302, 5),
    ("SP-06", "Spielplatz Unterberg", "Unterberg", "0–6", 540, 7.0105, 51.0950, 4),
    ("SP-07", "Spielplatz Balken", "Balker Aue", "6–14", 1210, 7.0601, 51.1392, 7),
    ("SP-08", "Spielplatz Stadtpark", "Am Stadtpark", "alle", 2150, 7.0162, 51.1078, 9),
    ("SP-09", "Spielplatz Büscherhof", "Büscherhofer Straße", "3–12", 760, 7.0248, 51.1125,
     6),
    ("SP-10", "Spielplatz Hasensprung", "Hasensprungmühle", "6–14", 1320, 7.0520, 51.1010, 7),
    ("SP-11", "Spielplatz Metzholz", "Metzholzer Straße", "0–6", 480, 7.0055, 51.1150, 4),
    ("SP-12", "Spielplatz Moltkestraße", "Moltkestraße", "3–12", 690, 7.0212, 51.1089, 5),
    ("SP-13", "Spielplatz Bennert", "Bennerter Weg", "3–12", 830, 7.0640, 51.1205, 6),
    ("SP-14", "Abenteuerspielplatz Weltersbach", "Weltersbacher Straße", "6–14", 1900, 7.0710,
     51.1110, 8),
    ("SP-15", "Spielplatz Oberschmitte", "Oberschmitte", "0–6", 560, 7.0330, 51.0905, 4),
)

MANUFACTURERS = ("Kompan", "Berliner Seilfabrik", "Richter Spielgeräte", "Eibe", "Huck Seiltechnik",
                 "Spogg", "Playparc", "Hags", "Ziegler Spielplätze")
# The types a playground has first, then the rest in the order the pieces are added.
FIRST_TYPES = ("schaukel", "rutsche", "sandkasten", "federwippgeraet")
MORE_TYPES = ("kombination", "klettergeruest", "wippe", "karussell", "netz", "spielhaus",
              "nestschaukel", "seilbahn", "balancierbalken", "kriechtunnel", "trampolin")
IMPACT_AREAS = ("Fallschutzkies 2/8, 30 cm", "Holzhackschnitzel, 30 cm",
                "Fallschutzplatten EN 1177", "Rasen (Fallhöhe unter 1 m)", "Sand, 30 cm")

# The piece closed by a very high risk, and one with a work order that does not close it.
CLOSED = "SG-04-01"
WITH_DEFECT = "SG-08-05"


def _pieces(number: str, count: int, rng: random.Random) -> list[dict]:
    types = list(FIRST_TYPES[:min(count, len(FIRST_TYPES))])
    types += rng.sample(MORE_TYPES, count - len(types))
    base = number.removeprefix("SP-")
    return [{"number": f"SG-{base}-{index:02d}", "type": kind,
             "part": TYPICAL_PART[kind], "manufacturer": rng.choice(MANUFACTURERS),
             "installed_year": rng.randint(2004, 2024),
             "impact_area": rng.choice(IMPACT_AREAS)}
            for index, kind in enumerate(types, start=1)]


def _inspect(inspector, piece: Asset, kind: str, days_ago: int, *, findings=(),
             notes: str = ""):
    piece.refresh_from_db()
    return services.record_inspection(
        actor=inspector, asset=piece, client_id=uuid.uuid4(), kind=kind,
        inspected_at=timezone.now() - timedelta(days=days_ago, hours=2),
        seen_version=piece.version, condition="defects" if findings else "ok",
        notes=notes, findings=list(findings))


def _past_inspections(inspector, piece: Asset, rng: random.Random) -> None:
    """The last main inspection (spring), an operational one since and the last routine
    check: the plan of inspections follows from them."""
    _inspect(inspector, piece, "main", rng.randint(120, 300))
    _inspect(inspector, piece, "operational", rng.randint(20, 80))
    _inspect(inspector, piece, "routine", rng.randint(1, 9))
    if piece.number == CLOSED:
        _inspect(inspector, piece, "routine", 0, notes="Gesperrt und abgesperrt.", findings=[
            services.NewFinding("Kettenglied der linken Aufhängung aufgebogen, Sitz kann "
                                "herausfallen", Risk.VERY_HIGH,
                                "Schaukel sperren, Kette und Schäkel tauschen")])
    if piece.number == WITH_DEFECT:
        _inspect(inspector, piece, "routine", 0, findings=[
            services.NewFinding("Fallschutzkies unter dem Ausstieg auf 15 cm verdrängt",
                                Risk.MEDIUM, "Kies auffüllen und verteilen")])


def load_demo_playgrounds(*, inspector) -> int:
    """The demo playgrounds of the active authority, kept by its playgrounds cadastre
    (assets.demo.set_up_demo_cadastres), made by `inspector`, who keeps it. Adds only
    the playgrounds not there yet; returns how many it added."""
    cadastre = Cadastre.objects.get(name="playgrounds")
    added = 0
    for number, name, street, age_group, area, lon, lat, count in PLAYGROUNDS:
        if Asset.objects.filter(kind=PLAYGROUND, number=number).exists():
            continue
        rng = random.Random(number)  # noqa: S311  (the same demo every time, no secret)
        with transaction.atomic():
            playground = services.create_asset(
                actor=inspector, cadastre=cadastre, kind=PLAYGROUND, number=number, name=name,
                lon=lon, lat=lat, reason="Demo",
                attributes={"street": street, "age_group": age_group, "area_m2": area})
            for index, piece in enumerate(_pieces(number, count, rng)):
                made = services.create_asset(
                    actor=inspector, cadastre=cadastre, kind=EQUIPMENT,
                    number=piece["number"], type=piece["type"], parent=playground,
                    lon=round(lon + (index % 3 - 1) * 0.00012, 6),
                    lat=round(lat + (index // 3 - 1) * 0.00008, 6), reason="Demo",
                    attributes={"en1176_part": piece["part"],
                                "manufacturer": piece["manufacturer"],
                                "installed_year": piece["installed_year"],
                                "impact_area": piece["impact_area"]})
                _past_inspections(inspector, made, rng)
        added += 1
    return added
