"""Column types inferred from all values of an upload, and the normalised value of
each type: what the store and every download write."""

import re
from dataclasses import dataclass, field
from datetime import date

from ..models import ColumnType
from .privacy import PersonalKind, column_kind, kind_by_value

# No leading zeros: "01" … "07" are codes (districts, keys), which stay text so that
# they are published as written, not as 1 or 1.0. A lone "0" and "0.5" are numbers.
_INTEGER = re.compile(r"-?(0|[1-9]\d{0,17})")
_DECIMAL = re.compile(r"-?(0|[1-9]\d*)(?:[.,]\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
TRUE_WORDS = {"true", "ja", "wahr", "yes"}
FALSE_WORDS = {"false", "nein", "falsch", "no"}

LAT_NAMES = {"lat", "latitude", "breite", "breitengrad", "wgs84_lat", "geo_lat", "y_wgs84"}
LON_NAMES = {"lon", "lng", "long", "longitude", "laenge", "länge", "laengengrad",
             "längengrad", "wgs84_lon", "geo_lon", "x_wgs84"}


def parse_date(value: str) -> date | None:
    match = _ISO_DATE.fullmatch(value)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = _GERMAN_DATE.fullmatch(value)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def is_boolean(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in TRUE_WORDS or lowered in FALSE_WORDS


_CHECKS = (
    (ColumnType.INTEGER, lambda v: _INTEGER.fullmatch(v) is not None),
    (ColumnType.DECIMAL, lambda v: _DECIMAL.fullmatch(v) is not None),
    (ColumnType.BOOLEAN, is_boolean),
    (ColumnType.DATE, lambda v: parse_date(v) is not None),
)


@dataclass
class ColumnStats:
    name: str
    candidates: set = field(default_factory=lambda: {t for t, _check in _CHECKS})
    filled: int = 0
    minimum: float | None = None
    maximum: float | None = None
    value_kinds: dict = field(default_factory=dict)

    def add(self, value: str) -> None:
        self.filled += 1
        if self.candidates:
            self.candidates = {t for t, check in _CHECKS if t in self.candidates
                               and check(value)}
            if ColumnType.DECIMAL in self.candidates:
                number = float(value.replace(",", "."))
                self.minimum = number if self.minimum is None else min(self.minimum, number)
                self.maximum = number if self.maximum is None else max(self.maximum, number)
        if not self.candidates:
            kind = kind_by_value(value)
            if kind:
                self.value_kinds[kind] = self.value_kinds.get(kind, 0) + 1

    @property
    def type(self) -> str:
        if not self.filled:
            return ColumnType.TEXT
        for column_type, _check in _CHECKS:
            if column_type in self.candidates:
                return column_type
        return ColumnType.TEXT

    def within(self, low: float, high: float) -> bool:
        return (self.minimum is not None and self.type in (ColumnType.DECIMAL,
                                                            ColumnType.INTEGER)
                and self.minimum >= low and self.maximum <= high)

    @property
    def personal_kind(self) -> PersonalKind | None:
        return column_kind(self.name, self.value_kinds)


def describe_columns(stats: list[ColumnStats]) -> list[dict]:
    """What staff confirm: name, type, coordinate role and what looks personal."""
    lat = next((s for s in stats if s.name.lower() in LAT_NAMES and s.within(-90, 90)), None)
    lon = next((s for s in stats if s.name.lower() in LON_NAMES and s.within(-180, 180)), None)
    columns = []
    for column in stats:
        role = ""
        if lat and lon and column is lat:
            role = "lat"
        elif lat and lon and column is lon:
            role = "lon"
        kind = column.personal_kind
        columns.append({
            "name": column.name,
            "type": ColumnType.DECIMAL if role else column.type,
            "role": role,
            "personal_kind": kind.value if kind else "",
        })
    return columns


# --- Normalised values -------------------------------------------------------------------

def to_python(value: str | None, column_type: str):
    """The typed value stored and served; None for empty. Values that do not fit the
    confirmed type (possible only if staff chose a narrower type) stay text."""
    if value is None:
        return None
    if column_type == ColumnType.TEXT:
        return value
    if column_type == ColumnType.INTEGER:
        return int(value)
    if column_type == ColumnType.DECIMAL:
        return float(value.replace(",", "."))
    if column_type == ColumnType.BOOLEAN:
        return value.strip().lower() in TRUE_WORDS
    if column_type == ColumnType.DATE:
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else value
    return value


def to_csv(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else f"{value:.1f}"
    return str(value)
