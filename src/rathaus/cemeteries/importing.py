"""Importing a cemetery's field plan in two steps: `preview_import` reads the file, says
what would happen (new graves per field, fields to be created, refused rows with their
line and a German reason) and keeps the file in the document store; `run_import`
applies it once, all or nothing, through `services.create_field` and
`services.create_graves` with the reason "Import <filename>".

A field the file names that the cemetery does not have yet is created on confirmation:
a plan of a new field is the usual way a field comes into the cadastre. Its number is
the cemetery's number and the file's name for it ("FH-1" and "C" give "FH-1-C"), its
outline the convex hull of its graves. A field is found by its number, by that short
name, or by its name ("Feld C").

It runs in the request: 2,000 graves take well under the 5 s a page may take
(tests/cemeteries/test_import.py measures it), and a cemetery's plan is seldom larger.
The import only adds graves: a number already in the cadastre is refused, nothing
existing is changed."""

import math
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.assets.import_files import (
    NUMBER,
    checked_number,
    outside_germany,
    read_limited,
    upload_name,
)
from rathaus.assets.models import Asset, Cadastre
from rathaus.assets.services import InvalidAsset
from rathaus.audit.services import appended_at_the_end, record
from rathaus.authorities.tenancy import current_authority
from rathaus.records.blobs import ContentIntegrityError, read_blob, store_stream

from . import services
from .import_files import MAX_BYTES, FileRefused, RawRow, read_file
from .kinds import CADASTRE, CEMETERY, FIELD, GRAVE
from .models import GraveKind, GraveType
from .permissions import may_manage

__all__ = ["FileRefused", "ImportRefused", "Planned", "plan", "preview_import",
           "run_import"]

# A grave lies at its cemetery: farther away, the coordinates or their system are wrong.
MAX_DISTANCE_M = 3000
# The largest outline a grave may have; a family grave of choice with four places is
# about 3 m × 5 m, so more is a field or a mistake.
MAX_GRAVE_AREA_M2 = 30.0
MAX_ROW = 9999
MAX_PLACES = 12
SAMPLE = 10
MAX_REFUSED_SHOWN = 500

# The words a plan may use for a grave type: the keys, the German names of the bylaws
# and the labels of the page.
KIND_WORDS = {
    "reihengrab": GraveKind.ROW, "wahlgrab": GraveKind.CHOICE,
    "urnenreihengrab": GraveKind.URN_ROW, "urnenwahlgrab": GraveKind.URN_CHOICE,
    "anonym": GraveKind.ANONYMOUS, "anonymes feld": GraveKind.ANONYMOUS,
    "anonymes urnenfeld": GraveKind.ANONYMOUS, "anonymes grabfeld": GraveKind.ANONYMOUS,
    "baumbestattung": GraveKind.TREE, "baumgrab": GraveKind.TREE,
}


class ImportRefused(ValueError):
    """The import cannot be applied as a whole; `message` says why, in German."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Planned:
    """What the rows of a file would do at one cemetery."""

    crs: str
    new: list[dict] = field(default_factory=list)  # checked rows, with "field" its key
    fields: dict[str, Asset | None] = field(default_factory=dict)  # key → field or None
    refused: list[dict] = field(default_factory=list)


def _grave_kind(word) -> str | None:
    """The GraveKind a plan's word means, or None."""
    text = " ".join(str(word or "").strip().lower().replace("_", " ").split())
    if not text:
        return None
    for value, label in GraveKind.choices:
        if text in (value.replace("_", " "), str(label).lower()):
            return value
    return KIND_WORDS.get(text)


@unguarded("checks the rows of a file against the cemetery; writes nothing")
def plan(content: bytes, *, filename: str, cemetery: Asset, crs: str = "") -> Planned:
    """Read the file and sort its rows into new graves (with their fields) and refused."""
    crs, rows = read_file(content, filename=filename, crs=crs)
    planned = Planned(crs=crs)
    types = {t.kind: t for t in GraveType.objects.filter(cemetery=cemetery)}
    fields = _FieldFinder(cemetery)
    checked, first_line = [], {}
    for row in rows:
        values, reason = _checked(row, cemetery=cemetery, types=types, fields=fields)
        number = str(row.values.get("number") or "").strip()
        if not reason and number in first_line:
            reason = _("The number %(number)s appears already in line %(line)s.") % {
                "number": number, "line": first_line[number]}
        if reason:
            planned.refused.append({"line": row.line, "number": number[:60],
                                    "reason": reason})
            continue
        first_line[number] = row.line
        checked.append(values)
    taken = _taken({values["number"] for values in checked})
    for values in checked:
        if values["number"] in taken:
            planned.refused.append({"line": values["line"], "number": values["number"],
                                    "reason": _("The number %(number)s is taken.") % {
                                        "number": values["number"]}})
            continue
        planned.new.append(values)
        planned.fields.setdefault(values["field"], fields.found.get(values["field"]))
    planned.refused.sort(key=lambda refused: refused["line"])
    return planned


class _FieldFinder:
    """The cemetery's fields by number, short name and name; a name it does not know
    is a new field's key (its number to be), unless another cemetery has that number."""

    def __init__(self, cemetery: Asset):
        self.cemetery = cemetery
        self.prefix = f"{cemetery.number}-"
        self.names: dict[str, Asset] = {}
        for asset in Asset.objects.filter(kind=FIELD, parent=cemetery):
            for name in (asset.number, asset.name, asset.number.removeprefix(self.prefix)):
                if name:
                    self.names.setdefault(name.strip().lower(), asset)
        self.found: dict[str, Asset] = {}
        self.elsewhere: dict[str, str | None] = {}

    def key(self, word: str) -> tuple[str, str]:
        """(the field's key: its number, existing or new; the German reason if none)."""
        word = word.strip()
        if not word:
            return "", _("The field is missing.")
        known = self.names.get(word.lower())
        if known is not None:
            self.found[known.number] = known
            return known.number, ""
        number = word if word.startswith(self.prefix) else self.prefix + word
        if not NUMBER.match(number):
            return "", _("„%(field)s“ is not a valid name of a field (the field's number "
                         "may have at most 40 letters, digits, dots, slashes, hyphens).") % {
                "field": word[:60]}
        if word not in self.elsewhere:
            # The file's word may be another cemetery's field number as it stands.
            self.elsewhere[word] = Asset.objects.filter(
                kind=FIELD, number__in={word, number}).values_list("number", flat=True).first()
        if self.elsewhere[word]:
            return "", _("The field %(field)s belongs to another cemetery.") % {
                "field": self.elsewhere[word]}
        return number, ""


def _whole(value, *, low: int, high: int) -> int | None:
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


def _checked(row: RawRow, *, cemetery: Asset, types: dict, fields: _FieldFinder
             ) -> tuple[dict, str]:
    """The row's values ready for services.create_graves, or the German reason it is
    refused."""
    values = row.values
    number, reason = checked_number(values)
    if reason:
        return {}, reason
    field_key, reason = fields.key(str(values.get("field") or ""))
    if reason:
        return {}, reason
    word = str(values.get("type") or "").strip()
    kind = _grave_kind(word)
    if kind is None:
        return {}, (_("Unknown grave type „%(type)s“.") % {"type": word[:60]} if word
                    else _("The grave type is missing."))
    if kind not in types:
        return {}, _("The bylaw of %(cemetery)s has no grave type %(type)s.") % {
            "cemetery": cemetery.name, "type": GraveKind(kind).label}
    row_number = _whole(values.get("row"), low=1, high=MAX_ROW)
    position = _whole(values.get("position"), low=1, high=MAX_ROW)
    if row_number is None or position is None:
        return {}, _("Row and position must be whole numbers from 1 to %(high)s.") % {
            "high": MAX_ROW}
    places = None
    if str(values.get("places") or "").strip():
        places = _whole(values.get("places"), low=1, high=MAX_PLACES)
        if places is None:
            return {}, _("The places must be a whole number from 1 to %(high)s.") % {
                "high": MAX_PLACES}
    if row.problem:
        return {}, row.problem
    reason = _place_problem(row, cemetery)
    if reason:
        return {}, reason
    return {"line": row.line, "field": field_key, "number": number, "row": row_number,
            "position": position, "kind": kind, "places": places, "lon": row.lon,
            "lat": row.lat, "outline": row.outline}, ""


def _place_problem(row: RawRow, cemetery: Asset) -> str:
    if reason := outside_germany(row.lon, row.lat):
        return reason
    distance = _metres(row.lon, row.lat, cemetery.lon, cemetery.lat)
    if distance > MAX_DISTANCE_M:
        return _("The grave lies %(km)s km from the cemetery (is the coordinate reference "
                 "system right?).") % {"km": f"{distance / 1000:.1f}".replace(".", ",")}
    if row.area is not None and row.area > MAX_GRAVE_AREA_M2:
        return _("The outline has %(area)s m², more than a grave may have (%(max)s m²).") % {
            "area": f"{row.area:.1f}".replace(".", ","), "max": f"{MAX_GRAVE_AREA_M2:g}"}
    return ""


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The distance on the sphere; ample for telling a cemetery from the next town."""
    radius = 6_371_000
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = (math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2))
         * math.sin(dlon / 2) ** 2)
    return 2 * radius * math.asin(min(1.0, math.sqrt(a)))


def _taken(numbers: set[str]) -> set[str]:
    found, ordered = set(), sorted(numbers)
    for start in range(0, len(ordered), 500):
        found.update(Asset.objects.filter(kind=GRAVE, number__in=ordered[start:start + 500])
                     .values_list("number", flat=True))
    return found


# --- A new field's place -----------------------------------------------------------------

def _convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull (Andrew's monotone chain), counter-clockwise, not closed."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _field_outline(graves: list[dict]) -> dict | None:
    """A new field's outline: the convex hull of its graves' points and corners."""
    points = []
    for grave in graves:
        if grave["outline"]:
            points.extend(tuple(p) for p in grave["outline"]["coordinates"][0])
        else:
            points.append((grave["lon"], grave["lat"]))
    hull = _convex_hull(points)
    if len(hull) < 3:
        return None
    ring = [[round(x, 7), round(y, 7)] for x, y in hull]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


# --- Preview and run ---------------------------------------------------------------------

def _summary(planned: Planned, *, cemetery: Asset) -> dict:
    """What the preview page shows (JSON, kept with the import until it is confirmed)."""
    by_field: dict[str, dict] = {}
    labels = dict(GraveKind.choices)
    for values in planned.new:
        existing = planned.fields.get(values["field"])
        entry = by_field.setdefault(values["field"], {
            "number": values["field"], "name": existing.name if existing else "",
            "new_field": existing is None, "graves": 0, "types": {}})
        entry["graves"] += 1
        label = str(labels[values["kind"]])
        entry["types"][label] = entry["types"].get(label, 0) + 1
    return {
        "crs": planned.crs,
        "cemetery": cemetery.name,
        "cemetery_id": cemetery.pk,
        "new": len(planned.new),
        "refused": len(planned.refused),
        "new_fields": sum(1 for entry in by_field.values() if entry["new_field"]),
        "fields": [{**entry, "types": sorted(entry["types"].items())}
                   for _key, entry in sorted(by_field.items())],
        "refused_rows": planned.refused[:MAX_REFUSED_SHOWN],
        "sample_new": [{"number": v["number"], "field": v["field"], "row": v["row"],
                        "position": v["position"], "type": str(labels[v["kind"]]),
                        "outline": bool(v["outline"])} for v in planned.new[:SAMPLE]],
    }


@unguarded("names the authority's cemetery cadastre; reveals nothing")
def cemeteries_cadastre() -> Cadastre | None:
    return Cadastre.objects.filter(name=CADASTRE).first()


@unguarded("the cemeteries of a cadastre, for the choice on the import page; reads only")
def cemeteries(cadastre: Cadastre) -> list[Asset]:
    return list(Asset.objects.filter(cadastre=cadastre, kind=CEMETERY)
                .exclude(status=Asset.Status.REMOVED).order_by("name", "number"))


@guarded_by(may_manage)
def preview_import(*, actor, cadastre: Cadastre, cemetery: Asset, file, crs: str = "") -> dict:
    """Read `file` (an uploaded file), keep it in the document store for the
    confirmation, and return the import to keep until then: the stored file and what it
    would do (`summary`). Raises FileRefused for a file that cannot be read at all."""
    if cemetery.kind != CEMETERY or cemetery.cadastre_id != cadastre.pk:
        raise FileRefused(_("Please choose a cemetery of the cadastre."))
    filename = upload_name(file)
    content = read_limited(file, max_bytes=MAX_BYTES)
    planned = plan(content, filename=filename, cemetery=cemetery, crs=crs)
    stored = store_stream(content, authority_slug=current_authority().slug)
    record("cemeteries.import_previewed", actor=actor, target=cemetery,
           data={"filename": filename, "new": len(planned.new),
                 "refused": len(planned.refused)})
    return {"filename": filename, "blob_name": stored.name, "sha256": stored.sha256,
            "crs": crs, "cemetery_id": cemetery.pk,
            "summary": _summary(planned, cemetery=cemetery)}


@guarded_by(may_manage)
def run_import(*, actor, cadastre: Cadastre, previewed: dict) -> dict:
    """Apply a previewed import (what `preview_import` returned) in one transaction:
    its new fields, then each field's graves. The rows are checked again; if the
    cadastre changed since the preview so that the file would now do something else
    (a number taken meanwhile), nothing is applied (ImportRefused says why)."""
    cemetery = Asset.objects.filter(pk=previewed["cemetery_id"], kind=CEMETERY,
                                    cadastre=cadastre).first()
    if cemetery is None:
        raise ImportRefused(_("The cemetery of this import no longer exists."))
    try:
        content = read_blob(previewed["blob_name"], sha256=previewed["sha256"])
    except ContentIntegrityError:  # checked more than a day ago: the sweep took it
        raise ImportRefused(_("The checked file is no longer kept. Please upload it "
                              "again.")) from None
    reason = f"Import {previewed['filename']}"[:300]
    try:
        with transaction.atomic(), appended_at_the_end():
            planned = plan(content, filename=previewed["filename"], cemetery=cemetery,
                           crs=previewed["crs"])
            expected = previewed["summary"]
            if len(planned.new) != expected["new"] \
                    or len(planned.refused) != expected["refused"]:
                raise ImportRefused(_(
                    "The cadastre has changed since the file was checked: it would now "
                    "bring %(new)s new graves instead of %(expected)s. Nothing was "
                    "imported; please check the file again.") % {
                    "new": len(planned.new), "expected": expected["new"]})
            result = _apply(actor=actor, cadastre=cadastre, cemetery=cemetery,
                            planned=planned, reason=reason)
            record("cemeteries.import_done", actor=actor, target=cemetery,
                   data={"filename": previewed["filename"], **result})
    except (services.InvalidGrave, ImportRefused) as refused:
        raise ImportRefused(refused.message) from refused
    except InvalidAsset as refused:
        raise ImportRefused(str(refused)) from refused
    return result


def _apply(*, actor, cadastre: Cadastre, cemetery: Asset, planned: Planned,
           reason: str) -> dict:
    graves_of: dict[str, list[dict]] = {}
    for values in planned.new:
        graves_of.setdefault(values["field"], []).append(values)
    created_fields = 0
    for key, graves in sorted(graves_of.items()):
        field_asset = planned.fields.get(key)
        if field_asset is None:
            field_asset = _new_field(actor=actor, cadastre=cadastre, cemetery=cemetery,
                                     number=key, graves=graves)
            created_fields += 1
        services.create_graves(
            actor=actor, cadastre=cadastre, field=field_asset, reason=reason, graves=[
                services.NewGrave(number=g["number"], row=g["row"], position=g["position"],
                                  kind=g["kind"], lon=g["lon"], lat=g["lat"],
                                  places=g["places"], outline=g["outline"])
                for g in graves])
    return {"created": len(planned.new), "fields_created": created_fields,
            "refused": len(planned.refused)}


def _new_field(*, actor, cadastre: Cadastre, cemetery: Asset, number: str,
               graves: list[dict]) -> Asset:
    short = number.removeprefix(f"{cemetery.number}-")
    lon = sum(g["lon"] for g in graves) / len(graves)
    lat = sum(g["lat"] for g in graves) / len(graves)
    return services.create_field(actor=actor, cadastre=cadastre, cemetery=cemetery,
                                 number=number, name=f"Feld {short}",  # data, in German
                                 lon=lon, lat=lat, outline=_field_outline(graves))
