"""Reading the files a tree import accepts, into raw rows with their line numbers:
CSV (`;` or `,`, UTF-8 with or without BOM), GeoJSON (points) and ESRI Shapefiles (a
.zip with .shp, .shx, .dbf and .prj, read with pyshp). Coordinates are converted from
EPSG:25832 (ETRS89 / UTM 32N) to WGS 84 with pyproj; the CRS comes from the .prj, the
GeoJSON `crs` member, the CSV's column names, or the choice made on the page.

Nothing here writes or decides; `importing.py` checks the rows and applies them."""

import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from rathaus.assets import import_files as core
from rathaus.assets.import_files import CRS_CHOICES, UTM32, WGS84, FileRefused, RawRow, to_wgs84

__all__ = ["COLUMNS", "CRS_CHOICES", "MAX_BYTES", "MAX_ROWS", "UTM32", "WGS84",
           "FileRefused", "RawRow", "read_file", "to_wgs84"]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 20

# The columns a file may have; a Shapefile's .dbf cuts names to 10 characters.
COLUMNS = ("number", "species", "x", "y", "lon", "lat", "planting_year", "height",
           "crown_diameter", "trunk_circumference", "traffic_expectation", "street",
           "age_phase")


def read_file(content: bytes, *, filename: str, crs: str = "") -> tuple[str, list[RawRow]]:
    """The file's CRS and its rows; raises FileRefused."""
    core.check_file(content, crs=crs, max_bytes=MAX_BYTES)
    name = filename.lower()
    if name.endswith(".zip") or content[:4] == b"PK\x03\x04":
        return _shapefile(content, crs)
    if name.endswith((".geojson", ".json")) or content.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] == b"{":
        return _geojson(content, crs)
    return _csv(content, crs)


def _column(header: str) -> str:
    return core.column_name(header, columns=COLUMNS)


def _check_rows(count: int) -> None:
    # MAX_ROWS is read at the call: the tests lower it.
    core.check_rows(count, max_rows=MAX_ROWS)


def _placed(line: int, values: dict, crs: str) -> RawRow:
    """The row with lon/lat in WGS 84 from x/y or lon/lat in `crs`; the tree import
    reads them from `values`."""
    x, y = core.chosen_xy(values)
    values = {k: v for k, v in values.items() if k not in ("x", "y", "lon", "lat")}
    try:
        x, y = core.number(x), core.number(y)
    except (TypeError, ValueError):
        return RawRow(line, values, problem=_("The coordinates are missing or not numbers."))
    lon, lat = to_wgs84(x, y, crs)
    values["lon"], values["lat"] = lon, lat
    return RawRow(line, values, lon=lon, lat=lat)


# --- CSV ------------------------------------------------------------------------------

def _csv(content: bytes, crs: str) -> tuple[str, list[RawRow]]:
    header, reader = core.csv_header(core.text_of(content), column=_column)
    if "number" not in header:
        raise FileRefused(_("The file has no column „number“. The first line must name "
                            "the columns (number, species, x/y or lon/lat, …)."))
    crs, _has_xy = core.csv_crs(header, crs)
    return crs, [_placed(line, values, crs)
                 for line, values in core.csv_rows(header, reader, max_rows=MAX_ROWS)]


# --- GeoJSON --------------------------------------------------------------------------

def _geojson(content: bytes, crs: str) -> tuple[str, list[RawRow]]:
    crs, features = core.geojson_features(core.text_of(content), crs=crs, column=_column,
                                     max_rows=MAX_ROWS)
    rows = []
    for place, values, geometry in features:
        coordinates = core.point_coordinates(geometry)
        if coordinates is None:
            rows.append(RawRow(place, values, problem=_("The feature is not a point.")))
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
    crs = core.agreed_crs(declared, crs)
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
            yield RawRow(place, values, problem=_("The feature is not a point."))
            continue
        values["x"], values["y"] = shape.points[0][0], shape.points[0][1]
        yield _placed(place, values, crs)


def _dbf_value(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value.strip()
    return value
