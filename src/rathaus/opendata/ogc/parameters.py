"""The query parameters of the OGC API, read strictly: a value that cannot be honoured
is refused (BadRequest, answered with 400 and the message), never ignored, and so is
a parameter the API does not declare (OGC API – Features Part 1,
/req/core/query-param-invalid and /req/core/query-param-unknown). A client that gets
every row back for a filter it believes applied has silently wrong data."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from ..ingest.inference import parse_date
from ..models import ColumnType

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
TRUE_VALUES, FALSE_VALUES = {"true", "1"}, {"false", "0"}
_WHOLE = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?")
# RFC 3339 as OGC API uses it, and the shortened forms GDAL's OGC API driver writes
# (OGRWF3 SerializeDateTime): "2021-04-01T" for a date, minutes without seconds.
_INSTANT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt](?:(?P<h>\d{2})(?::(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}:\d{2})?)?)?")
OPEN_END = ("", "..")


class BadRequest(Exception):
    pass


def check_names(request, allowed: set[str]) -> None:
    """Every parameter declared, each given once."""
    for name, values in request.GET.lists():
        if name not in allowed:
            raise BadRequest(_("Unknown parameter: %(name)s") % {"name": name})
        if len(values) > 1:
            raise BadRequest(_("%(name)s is given more than once.") % {"name": name})


def output_format(request, allowed: tuple[str, ...]) -> str:
    """"html" or "json": `f` when given (one of `allowed`), else the Accept header
    (browsers ask for HTML; OWSLib and GDAL send no Accept or JSON types)."""
    f = request.GET.get("f")
    if f is None:
        browser = "text/html" in request.headers.get("Accept", "")
        return "html" if browser and "html" in allowed else "json"
    if f not in allowed:
        raise BadRequest(_("f must be one of: %(formats)s.") % {"formats": ", ".join(allowed)})
    return "html" if f == "html" else "json"


def _integer(digits: str) -> int | float:
    """int() refuses more than 4300 digits; a number that long is beyond every limit
    and every stored value alike, so infinity stands for it."""
    if len(digits) > 30:
        return float("-inf") if digits.startswith("-") else float("inf")
    return int(digits)


def whole_number(request, name: str, default: int, *, smallest: int,
                 largest: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    if not _WHOLE.fullmatch(raw):
        raise BadRequest(_("%(name)s must be a whole number.") % {"name": name})
    value = _integer(raw)
    if value < smallest:
        raise BadRequest(_("%(name)s is too small.") % {"name": name})
    return min(value, largest) if largest else value


def bbox(request) -> tuple[float, float, float, float] | None:
    """The four numbers of `bbox`, in the system `bbox-crs` names (crs.py reads it)."""
    raw = request.GET.get("bbox")
    if not raw:
        return None
    parts = raw.split(",")
    if not all(_DECIMAL.fullmatch(part.strip()) for part in parts):  # no nan, no inf
        raise BadRequest(_("bbox must consist of four numbers."))
    numbers = [float(part) for part in parts]
    if len(numbers) == 6:  # with heights: the points have none
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise BadRequest(_("bbox must be west,south,east,north."))
    return tuple(numbers)


def property_value(name: str, raw: str, column_type: str):
    """A filter value as the store holds the column's values; BadRequest if it cannot
    be one of them."""
    if column_type == ColumnType.BOOLEAN:
        lowered = raw.strip().lower()
        if lowered in TRUE_VALUES or lowered in FALSE_VALUES:
            return lowered in TRUE_VALUES
        raise BadRequest(_("%(name)s is a yes/no column: give true, false, 1 or 0.")
                         % {"name": name})
    if column_type == ColumnType.INTEGER:
        if not _WHOLE.fullmatch(raw.strip()):
            raise BadRequest(_("%(name)s must be a whole number.") % {"name": name})
        value = _integer(raw.strip())
        # SQLite integers have 64 bits; a float beyond them matches no row, as it should.
        return value if -(2**63) <= value < 2**63 else float(value)
    if column_type == ColumnType.DECIMAL:
        if not _DECIMAL.fullmatch(raw.strip()):
            raise BadRequest(_("%(name)s must be a number.") % {"name": name})
        return float(raw.strip().replace(",", "."))
    if column_type == ColumnType.DATE:
        parsed = parse_date(raw.strip())
        if parsed is None:
            raise BadRequest(_("%(name)s must be a date (YYYY-MM-DD).") % {"name": name})
        return parsed.isoformat()
    return raw


@dataclass(frozen=True)
class Interval:
    """Days from `first` to `last`, both included; None where the interval is open."""

    first: str | None
    last: str | None


def _day(text: str) -> str:
    """The calendar day of an RFC 3339 instant, as written: the date columns hold days
    without a time or time zone, so an instant falls on the day it names."""
    match = _INSTANT.fullmatch(text.strip())
    if match is None:
        raise BadRequest(_("datetime must be a date or date-time as in RFC 3339, or an "
                           "interval of two, such as 2021-04-01/2021-06-30 or ../2021-06-30."))
    try:
        day = date.fromisoformat(match["date"])
        if match["h"]:
            datetime(day.year, day.month, day.day, int(match["h"]), int(match["m"] or 0),
                     int(match["s"] or 0))
    except ValueError:
        raise BadRequest(_("datetime names a day or time that does not exist.")) from None
    return day.isoformat()


def datetime_interval(raw: str) -> Interval:
    """`datetime`: an instant, a closed interval "a/b" or a half-open one "../b",
    "a/.." (an empty end is open too, as OGC API – Features allows)."""
    if "/" not in raw:
        day = _day(raw)
        return Interval(day, day)
    start, end = raw.split("/", 1)
    if start.strip() in OPEN_END and end.strip() in OPEN_END:
        raise BadRequest(_("datetime: an interval needs at least one end."))
    first = None if start.strip() in OPEN_END else _day(start)
    last = None if end.strip() in OPEN_END else _day(end)
    if first and last and first > last:
        raise BadRequest(_("datetime: the interval ends before it starts."))
    return Interval(first, last)
