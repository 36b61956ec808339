"""What every cadastre's import reads the same way: an upload with a size limit, UTF-8
text, column names, CSV (`;` or `,`), a GeoJSON FeatureCollection, and coordinates in
EPSG:25832 (ETRS89 / UTM 32N) or WGS 84, converted with pyproj.

A domain's `import_files.py` keeps what differs (its columns and their German names,
the geometries it accepts, Shapefiles for trees, a grave's area) and calls these. The
limits are parameters: a tree register is larger than a cemetery's plan. Nothing here
writes or decides."""

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from rathaus.accounts.permissions import unguarded_module

unguarded_module(__name__, "reads an uploaded file into rows; writes nothing")

UTM32 = "EPSG:25832"
WGS84 = "EPSG:4326"
CRS_CHOICES = (UTM32, WGS84)

# Germany's extent with a margin (5.87–15.04 E, 47.27–55.06 N).
GERMANY = {"west": 5.8, "east": 15.1, "south": 47.2, "north": 55.1}
NUMBER = re.compile(r"^[\w./ -]{1,40}$")


class FileRefused(ValueError):
    """The file as a whole cannot be read; `str()` is the German reason."""


@dataclass(frozen=True)
class RawRow:
    line: int  # CSV: the line in the file; GeoJSON and Shapefile: the feature's place
    values: dict  # column → text or number as read
    lon: float | None = None  # WGS 84: the point, or a polygon's centroid
    lat: float | None = None
    outline: dict | None = None  # GeoJSON Polygon in WGS 84
    area: float | None = None  # a polygon's area in m² (EPSG:25832)
    problem: str = ""  # what made the place unreadable


# --- The upload -----------------------------------------------------------------------

def upload_name(file) -> str:
    """The uploaded file's own name, without a folder a browser may send along."""
    name = (getattr(file, "name", "") or "import").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:200]


def _too_large(max_bytes: int) -> FileRefused:
    return FileRefused(_("The file is larger than %(mb)s MB.")
                       % {"mb": max_bytes // (1024 * 1024)})


def read_limited(file, *, max_bytes: int) -> bytes:
    """The upload's bytes; one byte more than the limit is enough to refuse it."""
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    return content


def check_file(content: bytes, *, crs: str, max_bytes: int) -> None:
    """Refuse a file over the limit or a coordinate reference system not offered."""
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    if crs and crs not in CRS_CHOICES:
        raise FileRefused(_("Unknown coordinate reference system."))


def check_rows(count: int, *, max_rows: int) -> None:
    if count > max_rows:
        raise FileRefused(_("The file has more than %(rows)s rows; please split it.")
                          % {"rows": f"{max_rows:,}".replace(",", ".")})


def text_of(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("The file is not saved as UTF-8. Please save it as "
                            "„CSV UTF-8“ and upload it again.")) from None


def column_name(header: str, *, columns: tuple[str, ...] = (),
                aliases: Mapping[str, str] | None = None) -> str:
    """A header as the kind's column: lower case with underscores, a German name by
    `aliases`, and a name a Shapefile's .dbf cut to 10 characters by `columns`."""
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    if aliases and key in aliases:
        return aliases[key]
    for column in columns:
        if key == column or (len(key) == 10 and column.startswith(key)):
            return column
    return key


# --- Coordinates ----------------------------------------------------------------------

@lru_cache(maxsize=4)
def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def transformed(x: float, y: float, *, source: str, target: str = WGS84) -> tuple[float, float]:
    """(x, y) given in `source` as coordinates in `target` (lon, lat for WGS 84)."""
    if source == target:
        return float(x), float(y)
    return _transformer(source, target).transform(float(x), float(y))


def to_wgs84(x: float, y: float, crs: str) -> tuple[float, float]:
    """(lon, lat) of a point given in `crs`."""
    return transformed(x, y, source=crs, target=WGS84)


def number(value) -> float:
    """A coordinate as read: a number, or text with a decimal comma or point. Raises
    ValueError for what is no finite number (true/false, NaN, infinity)."""
    if isinstance(value, bool):
        raise ValueError("not a coordinate")
    if isinstance(value, int | float):
        result = float(value)
    else:
        result = float(str(value).strip().replace(",", "."))
    if result != result or result in (float("inf"), float("-inf")):
        raise ValueError("not a coordinate")
    return result


def chosen_xy(values: dict, *, has_xy: bool = True) -> tuple:
    """The row's x/y, or its lon/lat when it has no x and y."""
    x, y = (values.get("x"), values.get("y")) if has_xy else (None, None)
    if x in (None, "") and y in (None, ""):
        x, y = values.get("lon"), values.get("lat")
    return x, y


def agreed_crs(declared: str, chosen: str) -> str:
    """The file's own CRS and the one chosen on the page must not contradict."""
    if declared and chosen and declared != chosen:
        raise FileRefused(_("The file says it uses %(declared)s, but %(chosen)s was "
                            "chosen. Please choose „automatic“ or the file's system.")
                          % {"declared": declared, "chosen": chosen})
    return declared or chosen


# --- A row's checks ------------------------------------------------------------------

def checked_number(values: dict) -> tuple[str, str]:
    """The row's asset number, or the German reason it cannot be one."""
    number = str(values.get("number") or "").strip()
    if not number:
        return number, _("The number is missing.")
    if not NUMBER.match(number):
        return number, _("„%(number)s“ is not a valid number (at most 40 letters, digits, "
                         "dots, slashes, hyphens).") % {"number": number[:60]}
    return number, ""


def outside_germany(lon: float, lat: float) -> str:
    """The German reason a place outside Germany is refused, or ""."""
    if GERMANY["west"] <= lon <= GERMANY["east"] and GERMANY["south"] <= lat <= GERMANY["north"]:
        return ""
    return _("The coordinates lie outside Germany (is the coordinate reference "
             "system right?).")


# --- CSV ------------------------------------------------------------------------------

def csv_header(text: str, *, column: Callable[[str], str]) -> tuple[list[str], object]:
    """The columns of the first line and a reader for the rest; `;` or `,` as the first
    line has more of them."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column(h) for h in next(reader)]
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    except csv.Error:
        raise FileRefused(_("The file cannot be read as CSV.")) from None
    return header, reader


def csv_crs(header: list[str], crs: str) -> tuple[str, bool]:
    """The CRS of a CSV file (x/y are EPSG:25832, lon/lat WGS 84, unless chosen) and
    whether it has x and y."""
    has_xy = "x" in header and "y" in header
    if not has_xy and not ("lon" in header and "lat" in header):
        raise FileRefused(_("The file needs the columns x and y (EPSG:25832) or lon and "
                            "lat (WGS 84)."))
    return crs or (UTM32 if has_xy else WGS84), has_xy


def csv_rows(header: list[str], reader, *, max_rows: int) -> Iterator[tuple[int, dict]]:
    """(line, column → stripped text) of each row that is not empty."""
    count = 0
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            check_rows(count, max_rows=max_rows)
            yield reader.line_num, {h: c.strip() for h, c in zip(header, cells, strict=False)}
    except csv.Error as error:
        raise FileRefused(_("Line %(line)s cannot be read as CSV.")
                          % {"line": reader.line_num}) from error


# --- GeoJSON --------------------------------------------------------------------------

def declared_crs(document: dict) -> str:
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


def geojson_features(text: str, *, crs: str, column: Callable[[str], str],
                     max_rows: int) -> tuple[str, Iterator[tuple[int, dict, dict]]]:
    """The CRS of a GeoJSON FeatureCollection and (place, properties by column,
    geometry) of each feature; what is no object counts as empty."""
    try:
        document = json.loads(text)
    except ValueError:
        raise FileRefused(_("The file is not valid GeoJSON.")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise FileRefused(_("The file is not a GeoJSON FeatureCollection."))
    crs = agreed_crs(declared_crs(document), crs) or WGS84
    check_rows(len(document["features"]), max_rows=max_rows)
    return crs, _features(document["features"], column)


def _features(features: list, column) -> Iterator[tuple[int, dict, dict]]:
    for place, feature in enumerate(features, start=1):
        feature = feature if isinstance(feature, dict) else {}
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        values = {column(k): v for k, v in properties.items() if isinstance(k, str)}
        geometry = feature.get("geometry")
        yield place, values, geometry if isinstance(geometry, dict) else {}


def point_coordinates(geometry: dict) -> list | None:
    """A Point geometry's [x, y, …], or None for anything else."""
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Point" and isinstance(coordinates, list) \
            and len(coordinates) >= 2:
        return coordinates
    return None
