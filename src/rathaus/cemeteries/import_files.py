"""Reading the files a cemetery plan import accepts, into raw rows with their line
numbers: CSV (`;` or `,`, UTF-8 with or without BOM; points only) and GeoJSON (a
FeatureCollection of Point or Polygon features). Coordinates are EPSG:25832 (ETRS89 /
UTM 32N) or WGS 84; the CRS comes from the GeoJSON `crs` member, the CSV's column
names (x/y or lon/lat), or the choice made on the page. A polygon's area is measured
in EPSG:25832, in square metres, so that the import can refuse what is too big for a
grave; it is stored in WGS 84 like every outline of the cadastres.

Nothing here writes or decides; `importing.py` checks the rows and applies them."""

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from rathaus.accounts.permissions import unguarded_module

unguarded_module(__name__, "reads an uploaded file into rows; writes nothing")

UTM32 = "EPSG:25832"
WGS84 = "EPSG:4326"
CRS_CHOICES = (UTM32, WGS84)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_VERTICES = 200  # a grave's outline is a few corners, not a survey of a park

COLUMNS = ("field", "number", "row", "position", "type", "places", "x", "y", "lon", "lat")
# The German column names a spreadsheet of the Friedhofsverwaltung may carry.
GERMAN_COLUMNS = {"feld": "field", "nummer": "number", "grabnummer": "number",
                  "reihe": "row", "stelle": "position", "platz": "position",
                  "grabart": "type", "art": "type", "typ": "type", "stellen": "places",
                  "plaetze": "places", "plätze": "places", "grabstellen": "places"}


class FileRefused(ValueError):
    """The file as a whole cannot be read; `str()` is the German reason."""


@dataclass(frozen=True)
class RawRow:
    line: int  # CSV: the line in the file; GeoJSON: the feature's place (1, 2, …)
    values: dict  # column → text or number as read
    lon: float | None = None  # WGS 84: the point, or the polygon's centroid
    lat: float | None = None
    outline: dict | None = None  # GeoJSON Polygon in WGS 84
    area: float | None = None  # the polygon's area in m² (EPSG:25832)
    problem: str = ""  # what made the place unreadable


def read_file(content: bytes, *, filename: str, crs: str = "") -> tuple[str, list[RawRow]]:
    """The file's CRS and its rows; raises FileRefused."""
    if len(content) > MAX_BYTES:
        raise FileRefused(_("The file is larger than %(mb)s MB.")
                          % {"mb": MAX_BYTES // (1024 * 1024)})
    if crs and crs not in CRS_CHOICES:
        raise FileRefused(_("Unknown coordinate reference system."))
    if content[:4] == b"PK\x03\x04" or content[:5] == b"%PDF-" or b"\x00" in content[:2048]:
        raise FileRefused(_("The file is neither a CSV file nor GeoJSON."))
    text = _text(content)
    name = filename.lower()
    if name.endswith((".geojson", ".json")) or text.lstrip()[:1] == "{":
        return _geojson(text, crs)
    return _csv(text, crs)


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("The file is not saved as UTF-8. Please save it as "
                            "„CSV UTF-8“ and upload it again.")) from None


def _column(header: str) -> str:
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    return GERMAN_COLUMNS.get(key, key)


def _check_rows(count: int) -> None:
    if count > MAX_ROWS:
        raise FileRefused(_("The file has more than %(rows)s rows; please split it.")
                          % {"rows": f"{MAX_ROWS:,}".replace(",", ".")})


# --- Coordinates ----------------------------------------------------------------------

@lru_cache(maxsize=4)
def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def _to(crs: str, target: str, x: float, y: float) -> tuple[float, float]:
    if crs == target:
        return x, y
    return _transformer(crs, target).transform(x, y)


def _number(value) -> float:
    if isinstance(value, bool):
        raise ValueError("not a coordinate")
    if isinstance(value, int | float):
        number = float(value)
    else:
        number = float(str(value).strip().replace(",", "."))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a coordinate")
    return number


def _point(line: int, values: dict, x, y, crs: str) -> RawRow:
    try:
        x, y = _number(x), _number(y)
    except (TypeError, ValueError):
        return RawRow(line, values, problem=_("The coordinates are missing or not numbers."))
    lon, lat = _to(crs, WGS84, x, y)
    return RawRow(line, values, lon=lon, lat=lat)


def _ring_area_and_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The shoelace formula in metres: |area| and the centroid of a closed ring."""
    twice, cx, cy = 0.0, 0.0, 0.0
    x0, y0 = ring[0]
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        # Relative to the first corner: UTM's large numbers would lose precision.
        x1, y1, x2, y2 = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = x1 * y2 - x2 * y1
        twice += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if twice == 0:
        return 0.0, x0, y0
    return abs(twice) / 2, x0 + cx / (3 * twice), y0 + cy / (3 * twice)


def _polygon(line: int, values: dict, coordinates, crs: str) -> RawRow:
    bad = RawRow(line, values, problem=_("The polygon's coordinates cannot be read."))
    if not isinstance(coordinates, list) or not coordinates:
        return bad
    rings = []
    try:
        for ring in coordinates:
            if not isinstance(ring, list) or not 4 <= len(ring) <= MAX_VERTICES:
                return bad
            rings.append([(_number(p[0]), _number(p[1])) for p in ring])
    except (TypeError, ValueError, IndexError, KeyError):
        return bad
    if any(ring[0] != ring[-1] for ring in rings):
        return RawRow(line, values, problem=_("The polygon is not closed (its first and "
                                              "last corner differ)."))
    metric = [[_to(crs, UTM32, x, y) for x, y in ring] for ring in rings]
    area, cx, cy = _ring_area_and_centroid(metric[0])
    area -= sum(_ring_area_and_centroid(hole)[0] for hole in metric[1:])
    if area <= 0:
        return RawRow(line, values, problem=_("The polygon has no area."))
    lon, lat = _to(UTM32, WGS84, cx, cy)
    outline = {"type": "Polygon", "coordinates": [
        [[round(c, 7) for c in _to(crs, WGS84, x, y)] for x, y in ring] for ring in rings]}
    return RawRow(line, values, lon=lon, lat=lat, outline=outline, area=area)


# --- CSV ------------------------------------------------------------------------------

def _csv(text: str, crs: str) -> tuple[str, list[RawRow]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_column(h) for h in next(reader)]
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    except csv.Error:
        raise FileRefused(_("The file cannot be read as CSV.")) from None
    missing = [c for c in ("field", "number", "type") if c not in header]
    if missing:
        raise FileRefused(_("The file has no column „%(column)s“. The first line must name "
                            "the columns (field, number, row, position, type, places, x/y "
                            "or lon/lat).") % {"column": missing[0]})
    has_xy = "x" in header and "y" in header
    if not has_xy and not ("lon" in header and "lat" in header):
        raise FileRefused(_("The file needs the columns x and y (EPSG:25832) or lon and "
                            "lat (WGS 84)."))
    crs = crs or (UTM32 if has_xy else WGS84)
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            _check_rows(len(rows) + 1)
            values = {h: c.strip() for h, c in zip(header, cells, strict=False)}
            x, y = (values.get("x"), values.get("y")) if has_xy else (None, None)
            if x in (None, "") and y in (None, ""):
                x, y = values.get("lon"), values.get("lat")
            rows.append(_point(reader.line_num, values, x, y, crs))
    except csv.Error as error:
        raise FileRefused(_("Line %(line)s cannot be read as CSV.")
                          % {"line": reader.line_num}) from error
    return crs, rows


# --- GeoJSON --------------------------------------------------------------------------

def _declared_crs(document: dict) -> str:
    """The CRS an old-style GeoJSON `crs` member names; RFC 7946 files have none and
    are WGS 84."""
    crs = document.get("crs")
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = str((properties or {}).get("name") or "") if isinstance(properties or {}, dict) \
        else ""
    if not name:
        return ""
    if name.rstrip("/").endswith("25832"):
        return UTM32
    if name.rstrip("/").endswith(("4326", "CRS84")):
        return WGS84
    raise FileRefused(_("The file uses the coordinate reference system %(crs)s; please "
                        "use EPSG:25832 or EPSG:4326.") % {"crs": name[:80]})


def _geojson(text: str, crs: str) -> tuple[str, list[RawRow]]:
    try:
        document = json.loads(text)
    except ValueError:
        raise FileRefused(_("The file is not valid GeoJSON.")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise FileRefused(_("The file is not a GeoJSON FeatureCollection."))
    declared = _declared_crs(document)
    if declared and crs and declared != crs:
        raise FileRefused(_("The file says it uses %(declared)s, but %(chosen)s was "
                            "chosen. Please choose „automatic“ or the file's system.")
                          % {"declared": declared, "chosen": crs})
    crs = declared or crs or WGS84
    _check_rows(len(document["features"]))
    rows = []
    for place, feature in enumerate(document["features"], start=1):
        feature = feature if isinstance(feature, dict) else {}
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        values = {_column(k): v for k, v in properties.items() if isinstance(k, str)}
        geometry = feature.get("geometry")
        geometry = geometry if isinstance(geometry, dict) else {}
        coordinates = geometry.get("coordinates")
        if geometry.get("type") == "Point" and isinstance(coordinates, list) \
                and len(coordinates) >= 2:
            rows.append(_point(place, values, coordinates[0], coordinates[1], crs))
        elif geometry.get("type") == "Polygon":
            rows.append(_polygon(place, values, coordinates, crs))
        else:
            rows.append(RawRow(place, values, problem=_(
                "The feature is neither a point nor a polygon.")))
    return crs, rows
