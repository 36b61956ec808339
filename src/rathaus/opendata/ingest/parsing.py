"""Reading uploaded CSV, JSON and GeoJSON files as a stream of flat records.

Every reader yields `(where, record)` pairs, `where` being the line (CSV) or the
record's number (JSON, GeoJSON) for error messages, and `record` a dict of column name
to text (None for an empty value). Nothing reads a whole file into memory, so a file
of any size passes with constant memory. Problems raise `ParseProblem`, whose message
is German for staff and names the line or record and the column.
"""

import codecs
import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

FORMATS = ("csv", "json", "geojson")
CHUNK = 1 << 16
# A single JSON record larger than this is not a flat record of a table.
MAX_RECORD_BYTES = 1 << 20
LON_COLUMN, LAT_COLUMN = "lon", "lat"


class ParseProblem(ValueError):
    def __init__(self, message: str, *, line: int | None = None, column: str = ""):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


def detect_format(filename: str, head: bytes) -> str | None:
    """By the file's name, and by its first character when the name says nothing."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        return "geojson"
    if suffix in ("txt", ""):
        return "csv"
    return None


def read_records(path: Path, fmt: str) -> tuple[list[str] | None, Iterator]:
    """The CSV header (None for JSON, whose columns are the union of all keys) and the
    records."""
    if fmt == "csv":
        return _read_csv(path)
    if fmt == "json":
        return None, _json_records(path)
    return None, _geojson_records(path)


# --- CSV --------------------------------------------------------------------------------

def _utf8_lines(handle) -> Iterator[str]:
    number = 0
    while True:
        raw = handle.readline()
        if not raw:
            return
        number += 1
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseProblem(
                _("Line %(line)s is not UTF-8 text. Save the file as “CSV UTF-8” and "
                  "upload it again.") % {"line": number}, line=number) from None


def _sniff_delimiter(first_line: str) -> str:
    # German spreadsheets write ';' because ',' is their decimal separator.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _read_csv(path: Path):
    handle = path.open("rb")
    lines = _utf8_lines(handle)
    try:
        first = next(lines)
    except StopIteration:
        handle.close()
        raise ParseProblem(_("The file is empty."), line=1) from None
    first = first.removeprefix("\ufeff")
    delimiter = _sniff_delimiter(first)

    def all_lines():
        yield first
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as error:
        handle.close()
        raise ParseProblem(_("Line 1 cannot be read as CSV: %(error)s") % {"error": error},
                           line=1) from None
    _check_header(header)
    return header, _csv_records(handle, reader, header)


def _check_header(header: list[str]) -> None:
    seen = set()
    for position, name in enumerate(header, start=1):
        if not name:
            raise ParseProblem(_("Column %(number)s has no name in the header line.")
                               % {"number": position}, line=1)
        if name in seen:
            raise ParseProblem(_("The column name “%(name)s” appears twice in the header "
                                 "line.") % {"name": name}, line=1, column=name)
        seen.add(name)


def _csv_records(handle, reader, header):
    width = len(header)
    with handle:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ParseProblem(_("Line %(line)s cannot be read as CSV: %(error)s")
                                   % {"line": reader.line_num, "error": error},
                                   line=reader.line_num) from None
            if not row:
                continue  # blank line
            if len(row) != width:
                raise ParseProblem(
                    _("Line %(line)s has %(found)s values, but the header line names "
                      "%(expected)s columns.")
                    % {"line": reader.line_num, "found": len(row), "expected": width},
                    line=reader.line_num)
            yield reader.line_num, {name: (value if value != "" else None)
                                    for name, value in zip(header, row, strict=True)}


# --- JSON and GeoJSON -------------------------------------------------------------------

_WHITESPACE = re.compile(r"[\s,]*")
_FEATURES = re.compile(r'"features"\s*:\s*\[')


class _Text:
    """UTF-8 text of a byte stream, chunk by chunk; a character cut at a chunk's end is
    completed by the next chunk."""

    def __init__(self, handle):
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.eof = False

    def read(self, where: int) -> str:
        chunk = self.handle.read(CHUNK)
        self.eof = not chunk
        try:
            return self.decoder.decode(chunk, final=self.eof)
        except UnicodeDecodeError:
            raise ParseProblem(_("Record %(number)s is not UTF-8 text.") % {"number": where},
                               line=where) from None


class _JsonArrayItems:
    """The items of one JSON array, decoded one at a time."""

    def __init__(self, text: _Text, buffer: str):
        self.text, self.buffer, self.number = text, buffer, 0
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.text.eof:
            return False
        self.buffer += self.text.read(self.number + 1)
        return True

    def __iter__(self):
        position = 0
        while True:
            position = _WHITESPACE.match(self.buffer, position).end()
            if position >= len(self.buffer):
                self.buffer, position = "", 0
                if self._more():
                    continue
                raise ParseProblem(_("The file ends before the list is closed with “]”."))
            if self.buffer[position] == "]":
                return
            try:
                item, end = self.decoder.raw_decode(self.buffer, position)
            except RecursionError:
                raise ParseProblem(
                    _("Record %(number)s is not valid JSON: %(error)s")
                    % {"number": self.number + 1, "error": "nesting too deep"},
                    line=self.number + 1) from None
            except json.JSONDecodeError as error:
                if len(self.buffer) - position < MAX_RECORD_BYTES and self._more():
                    continue
                raise ParseProblem(
                    _("Record %(number)s is not valid JSON: %(error)s")
                    % {"number": self.number + 1, "error": error.msg},
                    line=self.number + 1) from None
            self.number += 1
            yield self.number, item
            self.buffer, position = self.buffer[end:], 0


def _open_array(path: Path, pattern: re.Pattern, missing: str):
    """Reads until `pattern` (which ends with the array's "[") matches."""
    handle = path.open("rb")
    text = _Text(handle)
    buffer = ""
    while True:
        buffer += text.read(0)
        match = pattern.search(buffer.removeprefix("\ufeff"))
        if match:
            return handle, _JsonArrayItems(text, buffer.removeprefix("\ufeff")[match.end():])
        if text.eof or len(buffer) > MAX_RECORD_BYTES:
            handle.close()
            raise ParseProblem(missing)


def _flat(number: int, record) -> dict:
    if not isinstance(record, dict):
        raise ParseProblem(_("Record %(number)s is not an object with fields.")
                           % {"number": number}, line=number)
    flat = {}
    for key, value in record.items():
        if isinstance(value, (dict, list)):
            raise ParseProblem(
                _("Record %(number)s, field “%(field)s”: nested values are not supported; "
                  "every field must hold a single value.") % {"number": number, "field": key},
                line=number, column=key)
        if value is None or value == "":
            flat[key] = None
        elif value is True or value is False:
            flat[key] = "true" if value else "false"
        else:
            flat[key] = str(value)
    return flat


def _json_records(path: Path):
    handle, items = _open_array(path, re.compile(r"^\s*\["),
                                _("A JSON file must be a list of objects: […]."))
    with handle:
        for number, record in items:
            yield number, _flat(number, record)


def _coordinates(number: int, feature) -> tuple[str, str]:
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise ParseProblem(_("Feature %(number)s is not a point; only points (Point) are "
                             "supported.") % {"number": number}, line=number)
    coordinates = geometry.get("coordinates")
    if (not isinstance(coordinates, list) or len(coordinates) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool)
                       for c in coordinates[:2])):
        raise ParseProblem(_("Feature %(number)s has no valid coordinates.")
                           % {"number": number}, line=number)
    lon, lat = coordinates[0], coordinates[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ParseProblem(_("Feature %(number)s lies outside the WGS 84 range of longitude "
                             "and latitude.") % {"number": number}, line=number)
    return repr(float(lon)), repr(float(lat))


def _geojson_records(path: Path):
    handle, items = _open_array(
        path, _FEATURES, _("A GeoJSON file must be a FeatureCollection with “features”."))
    with handle:
        for number, feature in items:
            lon, lat = _coordinates(number, feature)
            record = _flat(number, feature.get("properties") or {})
            # The point's coordinates become the columns lon and lat; properties of the
            # same name keep their values under another name.
            for key in (LON_COLUMN, LAT_COLUMN):
                if key in record:
                    record[f"{key}_property"] = record.pop(key)
            record[LON_COLUMN], record[LAT_COLUMN] = lon, lat
            yield number, record
