"""Reading the files a cemetery plan import accepts, into raw rows with their line
numbers: CSV (`;` or `,`, UTF-8 with or without BOM; points only) and GeoJSON (a
FeatureCollection of Point or Polygon features). Coordinates are EPSG:25832 (ETRS89 /
UTM 32N) or WGS 84; the CRS comes from the GeoJSON `crs` member, the CSV's column
names (x/y or lon/lat), or the choice made on the page. A polygon's area is measured
in EPSG:25832, in square metres, so that the import can refuse what is too big for a
grave; it is stored in WGS 84 like every outline of the cadastres.

Nothing here writes or decides; `importing.py` checks the rows and applies them."""

from django.utils.translation import gettext as _

from rathaus.accounts.permissions import unguarded_module
from rathaus.assets import import_files as core
from rathaus.assets.import_files import CRS_CHOICES, UTM32, WGS84, FileRefused, RawRow

unguarded_module(__name__, "reads an uploaded file into rows; writes nothing")

__all__ = ["COLUMNS", "CRS_CHOICES", "MAX_BYTES", "MAX_ROWS", "UTM32", "WGS84",
           "FileRefused", "RawRow", "read_file"]

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_VERTICES = 200  # a grave's outline is a few corners, not a survey of a park

COLUMNS = ("field", "number", "row", "position", "type", "places", "x", "y", "lon", "lat")
# The German column names a spreadsheet of the Friedhofsverwaltung may carry.
GERMAN_COLUMNS = {"feld": "field", "nummer": "number", "grabnummer": "number",
                  "reihe": "row", "stelle": "position", "platz": "position",
                  "grabart": "type", "art": "type", "typ": "type", "stellen": "places",
                  "plaetze": "places", "plätze": "places", "grabstellen": "places"}


def read_file(content: bytes, *, filename: str, crs: str = "") -> tuple[str, list[RawRow]]:
    """The file's CRS and its rows; raises FileRefused."""
    core.check_file(content, crs=crs, max_bytes=MAX_BYTES)
    if content[:4] == b"PK\x03\x04" or content[:5] == b"%PDF-" or b"\x00" in content[:2048]:
        raise FileRefused(_("The file is neither a CSV file nor GeoJSON."))
    text = core.text_of(content)
    name = filename.lower()
    if name.endswith((".geojson", ".json")) or text.lstrip()[:1] == "{":
        return _geojson(text, crs)
    return _csv(text, crs)


def _column(header: str) -> str:
    # Only the German names: a plan is no Shapefile, whose .dbf would cut names.
    return core.column_name(header, aliases=GERMAN_COLUMNS)


# --- Coordinates ----------------------------------------------------------------------

def _to(crs: str, target: str, x: float, y: float) -> tuple[float, float]:
    return core.transformed(x, y, source=crs, target=target)


def _point(line: int, values: dict, x, y, crs: str) -> RawRow:
    try:
        x, y = core.number(x), core.number(y)
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
            rings.append([(core.number(p[0]), core.number(p[1])) for p in ring])
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
    header, reader = core.csv_header(text, column=_column)
    missing = [c for c in ("field", "number", "type") if c not in header]
    if missing:
        raise FileRefused(_("The file has no column „%(column)s“. The first line must name "
                            "the columns (field, number, row, position, type, places, x/y "
                            "or lon/lat).") % {"column": missing[0]})
    crs, has_xy = core.csv_crs(header, crs)
    return crs, [_point(line, values, *core.chosen_xy(values, has_xy=has_xy), crs)
                 for line, values in core.csv_rows(header, reader, max_rows=MAX_ROWS)]


# --- GeoJSON --------------------------------------------------------------------------

def _geojson(text: str, crs: str) -> tuple[str, list[RawRow]]:
    crs, features = core.geojson_features(text, crs=crs, column=_column, max_rows=MAX_ROWS)
    rows = []
    for place, values, geometry in features:
        coordinates = core.point_coordinates(geometry)
        if coordinates is not None:
            rows.append(_point(place, values, coordinates[0], coordinates[1], crs))
        elif geometry.get("type") == "Polygon":
            rows.append(_polygon(place, values, geometry.get("coordinates"), crs))
        else:
            rows.append(RawRow(place, values, problem=_(
                "The feature is neither a point nor a polygon.")))
    return crs, rows
