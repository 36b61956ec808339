"""The demo's cemeteries: Leichlingen-Mitte (FH-01) and Witzhelden (FH-02), each with
its outline, its fields and about 1,150 graves in rows, the bylaw's grave types
(`BYLAW`), and forty years of burials with their rights of use.

The cemeteries, fields, grave types and graves go through the services (`services.py`),
so assets, revisions and the audit log are what real use leaves. The history cannot:
a booking in the past is refused (rightly), so the historic rights of use, their
extensions and the confirmed burials are bulk-created here, each consistent with the
bylaw (a burial's rest period covered by its right, extensions within the limits).
The history is drawn by `random.Random` with fixed seeds relative to today, so the
demo is the same on every machine on the same day and always has rights ending in the
next twelve months, rights ended and waiting to be cleared, and free graves of every
type.

A few demo dead are placed on purpose for the privacy tests of the grave search:
`VISIBLE` may be found by name (the holder agreed, and the rest period is over or the
holder agreed for it too), `HIDDEN` must never be. Their last names are not among the
generated ones. All names and addresses are fictional."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rathaus.assets.models import Asset, Cadastre
from rathaus.audit.services import record
from rathaus.authorities.sequences import next_value

from . import rules, services
from .kinds import CEMETERY
from .models import Burial, BurialKind, Grave, GraveKind, GraveType, RightExtension, RightOfUse

BYLAW_NAME = "Friedhofssatzung der Stadt Leichlingen vom 12.12.2019, Gebührensatzung 2026"
COFFIN_FEE, URN_FEE = Decimal("850.00"), Decimal("320.00")

# The bylaw's values per grave type (the same at both cemeteries): GraveType fields.
BYLAW = {
    GraveKind.ROW: dict(places=1, rest_period_coffin_years=25, rest_period_urn_years=20,
                        right_years=25, extendable=False, right_fee=Decimal("1200.00")),
    GraveKind.CHOICE: dict(places=2, rest_period_coffin_years=25, rest_period_urn_years=20,
                           right_years=30, extendable=True, extension_min_years=1,
                           extension_max_years=30, max_total_years=60,
                           right_fee=Decimal("1800.00"),
                           extension_fee_per_year=Decimal("60.00")),
    GraveKind.URN_ROW: dict(places=1, rest_period_urn_years=20, right_years=20,
                            extendable=False, right_fee=Decimal("700.00")),
    GraveKind.URN_CHOICE: dict(places=4, rest_period_urn_years=20, right_years=25,
                               extendable=True, extension_min_years=1, extension_max_years=25,
                               right_fee=Decimal("1100.00"),
                               extension_fee_per_year=Decimal("44.00")),
    GraveKind.ANONYMOUS: dict(places=1, rest_period_urn_years=20, right_years=0,
                              right_fee=Decimal("450.00")),
    GraveKind.TREE: dict(places=1, rest_period_urn_years=20, right_years=20, extendable=True,
                         extension_min_years=1, extension_max_years=10,
                         right_fee=Decimal("1300.00"), extension_fee_per_year=Decimal("65.00")),
}

# (number, name, street, lon, lat, fields per line)
CEMETERIES = (
    ("FH-01", "Friedhof Leichlingen-Mitte", "Friedhofstraße 20", 7.0175, 51.1090, 3),
    ("FH-02", "Friedhof Witzhelden", "Am Friedhof 2", 7.0790, 51.1240, 2),
)

# (cemetery, field letter, grave kinds (rows split evenly between them), rows, per row)
FIELDS = (
    ("FH-01", "A", (GraveKind.ROW,), 12, 14),
    ("FH-01", "B", (GraveKind.CHOICE,), 9, 12),
    ("FH-01", "C", (GraveKind.URN_ROW,), 10, 14),
    ("FH-01", "D", (GraveKind.URN_CHOICE,), 10, 12),
    ("FH-01", "E", (GraveKind.ANONYMOUS,), 8, 10),
    ("FH-01", "F", (GraveKind.TREE,), 5, 8),
    ("FH-02", "A", (GraveKind.ROW, GraveKind.CHOICE), 12, 14),
    ("FH-02", "B", (GraveKind.URN_ROW, GraveKind.URN_CHOICE), 12, 14),
    ("FH-02", "C", (GraveKind.ANONYMOUS,), 8, 10),
    ("FH-02", "D", (GraveKind.TREE,), 8, 10),
)

COFFIN_KINDS = (GraveKind.ROW, GraveKind.CHOICE)
# Grave size and pitch in metres: (width, length, along the row, between rows).
COFFIN_SIZE = (1.2, 2.5, 1.8, 3.5)
URN_SIZE = (1.0, 1.0, 1.5, 2.0)
MARGIN, PATH = 2.0, 6.0
METRES_PER_DEGREE_LAT = 111_320.0

FIRST_NAMES = (
    "Anna", "Maria", "Elisabeth", "Margarete", "Gertrud", "Käthe", "Hildegard", "Ursula",
    "Ingrid", "Renate", "Helga", "Christa", "Marianne", "Brigitte", "Irmgard", "Waltraud",
    "Johann", "Heinrich", "Wilhelm", "Karl", "Josef", "Peter", "Hans", "Heinz", "Werner",
    "Günter", "Klaus", "Manfred", "Dieter", "Horst", "Rolf", "Gerhard", "Theo", "Franz",
)
LAST_NAMES = (
    "Schmitz", "Müller", "Schneider", "Becker", "Hoffmann", "Fischer", "Wagner", "Klein",
    "Weber", "Koch", "Richter", "Schäfer", "Bauer", "Wolf", "Krämer", "Jansen", "Küpper",
    "Lüdorf", "Hölzer", "Dahmen", "Kremer", "Pohl", "Berger", "Engels", "Heuser", "Lange",
    "Theisen", "Winkler", "Busch", "Kempkes", "Rosendahl", "Frielingsdorf", "Scheidt",
    "Wirtz", "Eschbach", "Brochhaus", "Linden", "Herweg", "Keller", "Vogt", "Jäger", "Pütz",
)
STREETS = (
    "Am Hang", "Brückenstraße", "Marktstraße", "Moltkestraße", "Kirchstraße", "Am Wallgraben",
    "Uferstraße", "Büscherhofer Straße", "Unterberg", "Pilghauser Weg", "Oberschmitte",
    "Bennerter Weg", "Metzholzer Straße", "Balker Aue", "Weltersbacher Straße",
)

# The demo dead of the privacy tests: (cemetery, grave kind, first, last, burial kind,
# years ago buried, consent_grave_search, consent_during_rest).
PLACED = (
    ("FH-01", GraveKind.CHOICE, "Wilhelm", "Kortenbach", BurialKind.COFFIN, 31, True, False),
    ("FH-01", GraveKind.URN_CHOICE, "Gertrud", "Halfmann", BurialKind.URN, 3, True, True),
    ("FH-02", GraveKind.TREE, "Elisabeth", "Pützhofen", BurialKind.URN, 5, True, True),
    ("FH-02", GraveKind.URN_ROW, "Bernhard", "Odenthal", BurialKind.URN, 24, True, False),
    ("FH-01", GraveKind.ROW, "Helene", "Rautenbach", BurialKind.COFFIN, 10, False, False),
    ("FH-01", GraveKind.URN_ROW, "Friedrich", "Odendahl", BurialKind.URN, 6, True, False),
    ("FH-02", GraveKind.CHOICE, "Hubert", "Steinbüchel", BurialKind.COFFIN, 29, False, False),
    ("FH-02", GraveKind.ANONYMOUS, "Agnes", "Kürten", BurialKind.URN, 4, False, False),
    ("FH-02", GraveKind.URN_CHOICE, "Maria", "Kortenbach", BurialKind.URN, 8, False, False),
)
# (first name, last name) of the placed dead who may be found …
VISIBLE = (("Wilhelm", "Kortenbach"), ("Gertrud", "Halfmann"), ("Elisabeth", "Pützhofen"),
           ("Bernhard", "Odenthal"))
# … and who must never be: no consent; consent, but the rest period runs without
# consent for it; an anonymous field (no right, nobody to agree).
HIDDEN = (("Helene", "Rautenbach"), ("Friedrich", "Odendahl"), ("Hubert", "Steinbüchel"),
          ("Agnes", "Kürten"), ("Maria", "Kortenbach"))


@dataclass
class _Right:
    starts_on: date
    ends_on: date
    consent: bool
    during_rest: bool
    state: str = RightOfUse.State.ACTIVE
    extensions: list = field(default_factory=list)  # (previous end, new end, years)


@dataclass
class _History:
    state: str = Grave.State.FREE
    right: _Right | None = None
    burials: list = field(default_factory=list)  # (kind, buried_on, first, last)


def _years_ago(today: date, years: float, rng: random.Random) -> date:
    return today - timedelta(days=int(years * 365.25) + rng.randint(0, 40))


def _burial_kind(kind: str, grave_type: GraveType, rng: random.Random) -> str:
    if grave_type.rest_period_coffin_years and (kind == GraveKind.ROW or rng.random() < 0.7):
        return BurialKind.COFFIN
    return BurialKind.URN


def _extend(right: _Right, grave_type: GraveType, years: int) -> bool:
    try:
        new_end = rules.extended_end(grave_type, starts_on=right.starts_on,
                                     ends_on=right.ends_on, years=years)
    except rules.Refused:
        return False
    right.extensions.append((right.ends_on, new_end, years))
    right.ends_on = new_end
    return True


def _history(kind: str, grave_type: GraveType, rng: random.Random, today: date) -> _History:
    """One grave's forty years, drawn within the bylaw."""
    roll = rng.random()
    if roll < 0.12:
        return _History()  # never given out
    if not grave_type.has_right_of_use:
        buried = today - timedelta(days=rng.randint(30, 40 * 365))
        done = rules.rest_period_end(grave_type, BurialKind.URN, buried) <= today
        state = Grave.State.FREE if done and rng.random() < 0.6 else Grave.State.OCCUPIED
        return _History(state, None, [(BurialKind.URN, buried)])
    consent = rng.random() < 0.25
    during_rest = consent and rng.random() < 0.35
    if roll < 0.17:  # a right acquired in advance (Vorsorge), nobody buried yet
        starts = today - timedelta(days=rng.randint(30, 8 * 365))
        return _History(Grave.State.RESERVED, _Right(
            starts, rules.add_years(starts, grave_type.right_years), consent, during_rest))
    if roll < 0.25:  # a right ending in the next twelve months
        ends = today + timedelta(days=rng.randint(14, 360))
        starts = rules.add_years(ends, -grave_type.right_years)
    else:
        starts = today - timedelta(days=rng.randint(20, 40 * 365))
    right = _Right(starts, rules.add_years(starts, grave_type.right_years), consent,
                   during_rest)
    burials = [(_burial_kind(kind, grave_type, rng), starts)]
    if grave_type.places > 1 and rng.random() < 0.35:  # a second burial, extended for it
        second = starts + timedelta(days=rng.randint(2 * 365, 18 * 365))
        burial_kind = _burial_kind(kind, grave_type, rng)
        rest_ends = rules.rest_period_end(grave_type, burial_kind, second)
        if second < today - timedelta(days=20) and (
                rest_ends <= right.ends_on or _extend(
                    right, grave_type, rules.years_between(right.ends_on, rest_ends))):
            burials.append((burial_kind, second))
    if roll >= 0.25 and grave_type.extendable and rng.random() < 0.5:
        while right.ends_on < today + timedelta(days=400) and _extend(
                right, grave_type, rng.randint(grave_type.extension_min_years,
                                               min(grave_type.extension_max_years, 10))):
            pass
    if right.ends_on >= today:
        return _History(Grave.State.OCCUPIED, right, burials)
    right.state = RightOfUse.State.ENDED
    rests_over = all(rules.rest_period_end(grave_type, k, on) < today for k, on in burials)
    # Half the ended graves are cleared and free again; the rest wait in the list.
    state = Grave.State.FREE if rests_over and rng.random() < 0.5 else Grave.State.OCCUPIED
    return _History(state, right, burials)


def _placed_history(spec: tuple, grave_type: GraveType, today: date) -> _History:
    _cemetery, _kind, first, last, burial_kind, years_ago, consent, during_rest = spec
    buried = rules.add_years(today, -years_ago) - timedelta(days=17)
    if not grave_type.has_right_of_use:
        return _History(Grave.State.OCCUPIED, None, [(burial_kind, buried, first, last)])
    right = _Right(buried, rules.add_years(buried, grave_type.right_years), consent,
                   during_rest)
    while right.ends_on < today + timedelta(days=3 * 365) and _extend(right, grave_type, 10):
        pass
    if right.ends_on < today:
        right.state = RightOfUse.State.ENDED  # ended, its grave not cleared yet
    return _History(Grave.State.OCCUPIED, right, [(burial_kind, buried, first, last)])


# --- The plan: cemeteries, fields, graves ---------------------------------------------

def _metres(lat: float) -> tuple[float, float]:
    """Degrees per metre east and north at `lat`."""
    north = 1 / METRES_PER_DEGREE_LAT
    return north / math.cos(math.radians(lat)), north


def _rectangle(lon: float, lat: float, width: float, height: float) -> dict:
    """A GeoJSON polygon `width` × `height` metres centred on lon/lat."""
    east, north = _metres(lat)
    dx, dy = width / 2 * east, height / 2 * north
    ring = [(lon - dx, lat - dy), (lon + dx, lat - dy), (lon + dx, lat + dy),
            (lon - dx, lat + dy), (lon - dx, lat - dy)]
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}


def _size(kinds: tuple) -> tuple[float, float, float, float]:
    return COFFIN_SIZE if any(kind in COFFIN_KINDS for kind in kinds) else URN_SIZE


def _field_extent(kinds: tuple, rows: int, per_row: int) -> tuple[float, float]:
    _w, _l, along, between = _size(kinds)
    return per_row * along + 2 * MARGIN, rows * between + 2 * MARGIN


def _layout(number: str, lon: float, lat: float, per_line: int) -> list[tuple]:
    """[(field spec, centre lon, centre lat, width, height)] of a cemetery's fields in a
    grid of cells as large as its largest field, centred on the cemetery's point."""
    specs = [spec for spec in FIELDS if spec[0] == number]
    extents = [_field_extent(kinds, rows, per_row) for _c, _l, kinds, rows, per_row in specs]
    cell_w = max(w for w, _h in extents) + PATH
    cell_h = max(h for _w, h in extents) + PATH
    lines = math.ceil(len(specs) / per_line)
    east, north = _metres(lat)
    placed = []
    for index, (spec, (width, height)) in enumerate(zip(specs, extents, strict=True)):
        column, line = index % per_line, index // per_line
        x = (column - (per_line - 1) / 2) * cell_w
        y = ((lines - 1) / 2 - line) * cell_h
        placed.append((spec, lon + x * east, lat + y * north, width, height))
    return placed


def _cemetery_outline(lon: float, lat: float, per_line: int, count: int,
                      cell: tuple[float, float]) -> dict:
    lines = math.ceil(count / per_line)
    return _rectangle(lon, lat, per_line * cell[0] + PATH, lines * cell[1] + PATH)


def _graves(field_number: str, kinds: tuple, rows: int, per_row: int, lon: float,
            lat: float) -> list[services.NewGrave]:
    width, length, along, between = _size(kinds)
    east, north = _metres(lat)
    new = []
    for row in range(1, rows + 1):
        kind = kinds[(row - 1) * len(kinds) // rows]
        if kind not in COFFIN_KINDS:
            width, length = URN_SIZE[:2]
        else:
            width, length = COFFIN_SIZE[:2]
        for position in range(1, per_row + 1):
            x = (position - (per_row + 1) / 2) * along
            y = ((rows + 1) / 2 - row) * between
            glon, glat = lon + x * east, lat + y * north
            new.append(services.NewGrave(
                number=f"{field_number}-{row:02d}-{position:02d}", row=row,
                position=position, kind=kind, lon=round(glon, 7), lat=round(glat, 7),
                outline=_rectangle(glon, glat, width, length)))
    return new


# --- Loading ----------------------------------------------------------------------------

def set_up_demo_cemeteries(*, clerk, today: date | None = None) -> int:
    """The demo cemeteries of the active authority in its cadastre "cemeteries" (kept
    by the Friedhofsverwaltung, assets.demo.CADASTRES), made by `clerk`, a member of it.
    Adds only the cemeteries not there yet; returns how many graves it added."""
    cadastre = Cadastre.objects.get(name="cemeteries")
    today = today or timezone.localdate()
    added = 0
    for number, name, street, lon, lat, per_line in CEMETERIES:
        if Asset.objects.filter(kind=CEMETERY, number=number).exists():
            continue
        with transaction.atomic():
            added += _load_cemetery(clerk, cadastre, number, name, street, lon, lat,
                                    per_line, today)
    return added


def _load_cemetery(clerk, cadastre: Cadastre, number: str, name: str, street: str,
                   lon: float, lat: float, per_line: int, today: date) -> int:
    layout = _layout(number, lon, lat, per_line)
    cell = (max(w for *_s, w, _h in layout) + PATH, max(h for *_s, h in layout) + PATH)
    cemetery = services.create_cemetery(
        actor=clerk, cadastre=cadastre, number=number, name=name, lon=lon, lat=lat,
        street=street, outline=_cemetery_outline(lon, lat, per_line, len(layout), cell))
    types = {kind: services.save_grave_type(
        actor=clerk, cadastre=cadastre, cemetery=cemetery, kind=kind,
        values={**values, "burial_fee_coffin": COFFIN_FEE if kind in COFFIN_KINDS
                else Decimal("0.00"), "burial_fee_urn": URN_FEE, "bylaw": BYLAW_NAME})
        for kind, values in BYLAW.items()}
    added = 0
    for (_c, letter, kinds, rows, per_row), flon, flat, width, height in layout:
        field_number = f"{number}-{letter}"
        field_asset = services.create_field(
            actor=clerk, cadastre=cadastre, cemetery=cemetery, number=field_number,
            name=f"Feld {letter}", lon=round(flon, 7), lat=round(flat, 7),
            outline=_rectangle(flon, flat, width, height))
        added += services.create_graves(
            actor=clerk, cadastre=cadastre, field=field_asset,
            graves=_graves(field_number, kinds, rows, per_row, flon, flat),
            reason="Demo: Belegungsplan")
    _load_history(cemetery, types, today)
    return added


def _load_history(cemetery: Asset, types: dict, today: date) -> None:
    rng = random.Random(cemetery.number)  # noqa: S311  (the same demo every time, no secret)
    graves = list(Grave.objects.filter(cemetery=cemetery).select_related("asset")
                  .order_by("asset__number"))
    placed = {}
    for spec in PLACED:
        if spec[0] == cemetery.number:
            grave = next(g for g in graves if g.grave_type_id == types[spec[1]].pk
                         and g not in placed)
            placed[grave] = spec
    histories = {}
    for grave in graves:
        grave_type = _type_of(grave, types)
        if grave in placed:
            histories[grave] = _placed_history(placed[grave], grave_type, today)
            continue
        history = _history(grave_type.kind, grave_type, rng, today)
        history.burials = [(kind, on, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
                           for kind, on in history.burials]
        histories[grave] = history
    _save_history(histories, types, rng)
    record("cemeteries.demo_history_loaded", target=cemetery,
           data={"cemetery": cemetery.number, "graves": len(graves),
                 "burials": sum(len(h.burials) for h in histories.values())})


def _type_of(grave: Grave, types: dict) -> GraveType:
    return next(t for t in types.values() if t.pk == grave.grave_type_id)


def _holder(rng: random.Random, last_name: str) -> dict:
    first = rng.choice(FIRST_NAMES)
    successor = rng.random() < 0.6
    return {"holder_name": f"{first} {last_name}",
            "holder_street": f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
            "holder_postcode": "42799", "holder_city": "Leichlingen",
            "successor_name": f"{rng.choice(FIRST_NAMES)} {last_name}" if successor else "",
            "successor_address": (f"{rng.choice(STREETS)} {rng.randint(1, 60)}, "
                                  "42799 Leichlingen") if successor else ""}


def _save_history(histories: dict, types: dict, rng: random.Random) -> None:
    authority_id = next(iter(histories)).authority_id
    rights, extensions, burials = {}, [], []
    for grave, history in histories.items():
        if history.right is None:
            continue
        plan = history.right
        family = history.burials[0][3] if history.burials else rng.choice(LAST_NAMES)
        year = plan.starts_on.year
        rights[grave] = RightOfUse(
            authority_id=authority_id, grave=grave, places=grave.places,
            number=f"NR-{year}-{next_value('grave_right', period=str(year)):05d}",
            starts_on=plan.starts_on, ends_on=plan.ends_on, state=plan.state,
            consent_grave_search=plan.consent,
            consent_during_rest=plan.consent and plan.during_rest, **_holder(rng, family))
    RightOfUse.objects.bulk_create(rights.values())
    for grave, history in histories.items():
        right = rights.get(grave)
        grave_type = _type_of(grave, types)
        for previous, new_end, years in history.right.extensions if history.right else ():
            extensions.append(RightExtension(
                authority_id=authority_id, right=right, previous_ends_on=previous,
                ends_on=new_end, years=years, fee=rules.extension_fee(grave_type, years)))
        for place, (kind, buried_on, first, last) in enumerate(history.burials, start=1):
            died = buried_on - timedelta(days=rng.randint(5, 14))
            burials.append(Burial(
                authority_id=authority_id, grave=grave, right=right, kind=kind,
                first_name=first, last_name=last, died_on=died,
                born_on=died - timedelta(days=rng.randint(55 * 365, 98 * 365)),
                buried_at=timezone.make_aware(datetime.combine(buried_on, time(11, 0))),
                rest_ends_on=rules.rest_period_end(grave_type, kind, buried_on),
                place=place, state=Burial.State.CONFIRMED))
    RightExtension.objects.bulk_create(extensions)
    Burial.objects.bulk_create(burials)
    for state in Grave.State.values:  # one update per state: the graves were made free
        pks = [grave.pk for grave, history in histories.items() if history.state == state]
        if state != Grave.State.FREE and pks:
            Grave.objects.filter(pk__in=pks).update(state=state)
