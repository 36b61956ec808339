"""Reading the files a tree import accepts, into raw rows with their line numbers:
CSV (`;` or `,`, UTF-8 with or without BOM), GeoJSON (points) and ESRI Shapefiles (a
.zip with .shp, .shx, .dbf and .prj, read with pyshp). Coordinates are converted from
EPSG:25832 (ETRS89 / UTM 32N) to WGS 84 with pyproj; the CRS comes from the .prj, the
GeoJSON `crs` member, the CSV's column names, or the choice made on the page.

Nothing here writes or decides; `importing.py` checks the rows and applies them."""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

UTM32 = "EPSG:25832"
WGS84 = "EPSG:4326"
CRS_CHOICES = (UTM32, WGS84)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 20

# The columns a file may have; a Shapefile's .dbf cuts names to 10 characters.
COLUMNS = ("number", "species", "x", "y", "lon", "lat", "planting_year", "height",
           "crown_diameter", "trunk_circumference", "traffic_expectation", "street",
           "age_phase")


class FileRefused(ValueError):
    """The file as a whole cannot be read; `str()` is the German reason."""


@dataclass(frozen=True)
class RawRow:
    line: int  # CSV: the line in the file; GeoJSON and Shapefile: the feature's place
    values: dict  # column → text or number as read; "lon"/"lat" already in WGS 84
    problem: str = ""  # what made the place unreadable


def read_file(content: bytes, *, filename: str, crs: str = "") -> tuple[str, list[RawRow]]:
    """The file's CRS and its rows; raises FileRefused."""
    if len(content) > MAX_BYTES:
        raise FileRefused(_("The file is larger than %(mb)s MB.")
                          % {"mb": MAX_BYTES // (1024 * 1024)})
    if crs and crs not in CRS_CHOICES:
        raise FileRefused(_("Unknown coordinate reference system."))
    name = filename.lower()
    if name.endswith(".zip") or content[:4] == b"PK\x03\x04":
        return _shapefile(content, crs)
    if name.endswith((".geojson", ".json")) or content.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] == b"{":
        return _geojson(content, crs)
    return _csv(content, crs)


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("The file is not saved as UTF-8. Please save it as "
                            "„CSV UTF-8“ and upload it again.")) from None


def _column(header: str) -> str:
    key = header.strip().lower().replace(" ", "_").replace("-", "_")
    for column in COLUMNS:
        if key == column or (len(key) == 10 and column.startswith(key)):
            return column
    return key


def _check_rows(count: int) -> None:
    if count > MAX_ROWS:
        raise FileRefused(_("The file has more than %(rows)s rows; please split it.")
                          % {"rows": f"{MAX_ROWS:,}".replace(",", ".")})


# --- Coordinates ----------------------------------------------------------------------

@lru_cache(maxsize=4)
def _transformer(source: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, WGS84, always_xy=True)


def to_wgs84(x: float, y: float, crs: str) -> tuple[float, float]:
    """(lon, lat) of a point given in `crs`."""
    if crs == WGS84:
        return float(x), float(y)
    lon, lat = _transformer(crs).transform(float(x), float(y))
    return lon, lat


def _number(value) -> float:
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).strip().replace(",", "."))


def _placed(line: int, values: dict, crs: str) -> RawRow:
    """The row with lon/lat in WGS 84 from x/y or lon/lat in `crs`."""
    x, y = values.get("x"), values.get("y")
    if x in (None, "") and y in (None, ""):
        x, y = values.get("lon"), values.get("lat")
    values = {k: v for k, v in values.items() if k not in ("x", "y", "lon", "lat")}
    try:
        x, y = _number(x), _number(y)
    except (TypeError, ValueError):
        return RawRow(line, values, _("The coordinates are missing or not numbers."))
    lon, lat = to_wgs84(x, y, crs)
    values["lon"], values["lat"] = lon, lat
    return RawRow(line, values)


# --- CSV ------------------------------------------------------------------------------

def _csv(content: bytes, crs: str) -> tuple[str, list[RawRow]]:
    text = _text(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_column(h) for h in next(reader)]
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    except csv.Error:
        raise FileRefused(_("The file cannot be read as CSV.")) from None
    if "number" not in header:
        raise FileRefused(_("The file has no column „number“. The first line must name "
                            "the columns (number, species, x/y or lon/lat, …)."))
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
            rows.append(_placed(reader.line_num, values, crs))
    except csv.Error as error:
        raise FileRefused(_("Line %(line)s cannot be read as CSV.")
                          % {"line": reader.line_num}) from error
    return crs, rows


# --- GeoJSON --------------------------------------------------------------------------

def _declared_crs(document: dict) -> str:
    """The CRS an old-style GeoJSON `crs` member names; RFC 7946 files have none and
    are WGS 84."""
    name = str(((document.get("crs") or {}).get("properties") or {}).get("name") or "")
    if not name:
        return ""
    if name.endswith(("25832", "25832/")):
        return UTM32
    if name.endswith(("4326", "CRS84")):
        return WGS84
    raise FileRefused(_("The file uses the coordinate reference system %(crs)s; please "
                        "use EPSG:25832 or EPSG:4326.") % {"crs": name[:80]})


def _agreed(declared: str, chosen: str) -> str:
    if declared and chosen and declared != chosen:
        raise FileRefused(_("The file says it uses %(declared)s, but %(chosen)s was "
                            "chosen. Please choose „automatic“ or the file's system.")
                          % {"declared": declared, "chosen": chosen})
    return declared or chosen


def _geojson(content: bytes, crs: str) -> tuple[str, list[RawRow]]:
    try:
        document = json.loads(_text(content))
    except ValueError:
        raise FileRefused(_("The file is not valid GeoJSON.")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise FileRefused(_("The file is not a GeoJSON FeatureCollection."))
    crs = _agreed(_declared_crs(document), crs) or WGS84
    _check_rows(len(document["features"]))
    rows = []
    for place, feature in enumerate(document["features"], start=1):
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        values = {_column(k): v for k, v in properties.items() if isinstance(k, str)}
        geometry = (feature.get("geometry") if isinstance(feature, dict) else None) or {}
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if geometry.get("type") != "Point" or not isinstance(coordinates, list) \
                or len(coordinates) < 2:
            rows.append(RawRow(place, values, _("The feature is not a point.")))
            continue
        values["x"], values["y"] = coordinates[0], coordinates[1]
        rows.append(_placed(place, values, crs))
    return crs, rows


# --- Shapefile ------------------------------------------------------------------------

def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = [i for i in archive.infolist()
             if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FileRefused(_("The ZIP file holds too many files."))
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise FileRefused(_("The ZIP file unpacks to more than %(mb)s MB.")
                          % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
    found = {}
    for info in infos:
        suffix = info.filename.rsplit(".", 1)[-1].lower()
        if suffix in ("shp", "shx", "dbf", "prj", "cpg") and suffix not in found:
            found[suffix] = info
    missing = [s for s in ("shp", "shx", "dbf") if s not in found]
    if missing:
        raise FileRefused(_("The ZIP file has no .%(suffix)s file; a Shapefile needs "
                            ".shp, .shx, .dbf and .prj.") % {"suffix": missing[0]})
    return found


def _unpacked(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # The sizes in a ZIP's directory may lie: read no more than the limit allows.
    with archive.open(info) as member:
        data = member.read(MAX_UNPACKED_BYTES + 1)
    if len(data) > MAX_UNPACKED_BYTES:
        raise FileRefused(_("The ZIP file unpacks to more than %(mb)s MB.")
                          % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
    return data


def _prj_crs(wkt: str) -> str:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        epsg = CRS.from_wkt(wkt).to_epsg(min_confidence=70)
    except CRSError:
        epsg = None
    if epsg == 25832:
        return UTM32
    if epsg == 4326:
        return WGS84
    raise FileRefused(_("The .prj file names a coordinate reference system other than "
                        "EPSG:25832 or EPSG:4326."))


def _shapefile(content: bytes, crs: str) -> tuple[str, list[RawRow]]:
    import shapefile

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise FileRefused(_("The ZIP file is damaged.")) from None
    with archive:
        members = _members(archive)
        parts = {suffix: _unpacked(archive, info) for suffix, info in members.items()}
    declared = ""
    if "prj" in parts:
        declared = _prj_crs(parts["prj"].decode("utf-8", "replace"))
    crs = _agreed(declared, crs)
    if not crs:
        raise FileRefused(_("The Shapefile has no .prj file; please choose its "
                            "coordinate reference system."))
    encoding = "utf-8"
    if "cpg" in parts:
        encoding = parts["cpg"].decode("ascii", "replace").strip() or encoding
    try:
        reader = shapefile.Reader(shp=io.BytesIO(parts["shp"]), shx=io.BytesIO(parts["shx"]),
                                  dbf=io.BytesIO(parts["dbf"]), encoding=encoding,
                                  encodingErrors="replace")
        _check_rows(len(reader))
        rows = list(_shape_rows(reader, crs))
    except FileRefused:
        raise
    except Exception as error:  # pyshp raises many kinds on a broken file
        raise FileRefused(_("The Shapefile cannot be read.")) from error
    return crs, rows


def _shape_rows(reader, crs: str) -> Iterator[RawRow]:
    import shapefile

    names = [_column(field[0]) for field in reader.fields[1:]]
    points = (shapefile.POINT, shapefile.POINTZ, shapefile.POINTM)
    for place, shape_record in enumerate(reader.iterShapeRecords(), start=1):
        values = {name: _dbf_value(value)
                  for name, value in zip(names, shape_record.record, strict=False)}
        shape = shape_record.shape
        if shape.shapeType not in points or not shape.points:
            yield RawRow(place, values, _("The feature is not a point."))
            continue
        values["x"], values["y"] = shape.points[0][0], shape.points[0][1]
        yield _placed(place, values, crs)


def _dbf_value(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value.strip()
    return value
