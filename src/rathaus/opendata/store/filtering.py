"""CQL2 filters (OGC API – Features Part 3) as SQL on a version's store file: the
syntax tree pygeofilter parsed goes in, a condition on the `rows` table (alias r) with
bound parameters comes out. Values are only ever parameters; a property becomes the
position of its column (c0, c1, …), never text from the request. Whatever the store
cannot answer exactly is refused (Refused, with a message naming it), never guessed:
see docs/decisions/0025.

Types: numbers with numbers, yes/no with true/false, text with text, date columns
with DATE() or TIMESTAMP() (a column of days: a timestamp counts on its day in UTC).
A value staff kept in a date column although it is no date takes part in no
comparison, as if empty. The geometry of a row is its point (lon, lat in CRS84)."""

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _
from pygeofilter import ast, values

from ..models import ColumnType
from .polygons import SQL_NAME as IN_POLYGONS
from .queries import columns

GEOMETRY = "geometry"  # the name of a row's point in a filter, as in GeoJSON
DAY = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
MAX_DEPTH = 40  # nested conditions; SQLite refuses expressions past a depth of 1000
_KINDS = {ColumnType.INTEGER: "number", ColumnType.DECIMAL: "number",
          ColumnType.BOOLEAN: "boolean", ColumnType.DATE: "date", ColumnType.TEXT: "text"}
_COMPARISONS = {ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=",
                ast.GreaterThan: ">", ast.GreaterEqual: ">="}


class Refused(Exception):
    """A filter the store cannot answer; the message says what and is shown as is."""


@dataclass(frozen=True)
class Operand:
    sql: str
    params: tuple
    kind: str  # number, boolean, date, text or geometry
    column: str | None = None  # the raw column of a property (for IS NULL)


def where(key: str, node, names: set[str]) -> tuple[str, list]:
    """The condition for `node` on the store of `key`; `names`: the queryable columns."""
    stored = columns(key)
    known = {c["name"]: (i, c["type"]) for i, c in enumerate(stored) if c["name"] in names}
    # files.write_version builds the R-tree exactly when the rows have both coordinates.
    rtree = {c.get("role") for c in stored} >= {"lon", "lat"}
    sql, params = _Translator(known, rtree=rtree).condition(node, 0)
    return sql, list(params)


def _function_name(node) -> str:
    # pygeofilter reads CASEI(x) as lower(x); the client wrote CASEI.
    return "CASEI" if node.name == "lower" else node.name


def _op_name(node) -> str:
    op = getattr(node, "op", None)
    return str(op.value) if op is not None else type(node).__name__


class _Translator:
    def __init__(self, known: dict, *, rtree: bool = False):
        self.known = known
        self.rtree = rtree

    def condition(self, node, depth: int) -> tuple[str, tuple]:
        if depth > MAX_DEPTH:
            raise Refused(_("The filter is nested too deeply."))
        if isinstance(node, ast.Not):
            sql, params = self.condition(node.sub_node, depth + 1)
            return f"NOT ({sql})", params
        if isinstance(node, ast.And | ast.Or):
            left, lparams = self.condition(node.lhs, depth + 1)
            right, rparams = self.condition(node.rhs, depth + 1)
            return f"({left} {node.op.value} {right})", lparams + rparams
        if isinstance(node, ast.Include):
            return ("0" if node.not_ else "1"), ()
        if isinstance(node, ast.Comparison) and type(node) in _COMPARISONS:
            return self.comparison(node)
        if isinstance(node, ast.Between):
            return self.between(node)
        if isinstance(node, ast.Like):
            return self.like(node)
        if isinstance(node, ast.In):
            return self.in_list(node)
        if isinstance(node, ast.IsNull):
            return self.is_null(node)
        if isinstance(node, ast.GeometryIntersects):
            return self.intersects(node)
        if isinstance(node, ast.BBox):
            return self.intersects_box(node.lhs, [node.minx, node.miny, node.maxx, node.maxy],
                                       node.crs)
        if isinstance(node, ast.TemporalPredicate):
            return self.temporal(node)
        if isinstance(node, ast.Function):
            raise Refused(_("The filter function %(name)s is not supported.")
                          % {"name": _function_name(node)})
        if isinstance(node, ast.Node):
            raise Refused(_("The filter operator %(name)s is not supported.")
                          % {"name": _op_name(node)})
        raise Refused(_("The filter must be a condition, not a single value."))

    # Operands

    def operand(self, node) -> Operand:
        if isinstance(node, ast.Attribute):
            return self.attribute(node.name)
        if isinstance(node, ast.Function):
            raise Refused(_("The filter function %(name)s is not supported.")
                          % {"name": _function_name(node)})
        if isinstance(node, ast.Node):
            raise Refused(_("The filter operator %(name)s is not supported.")
                          % {"name": _op_name(node)})
        return literal(node)

    def attribute(self, name: str) -> Operand:
        if name in self.known:
            position, column_type = self.known[name]
            column = f"r.c{position}"
            kind = _KINDS.get(column_type, "text")
            if kind == "date":
                # Only a day is a date; other text kept in the column is no value here.
                return Operand(f"(CASE WHEN {column} GLOB '{DAY}' THEN {column} END)", (),
                               kind, column)
            return Operand(column, (), kind, column)
        if name == GEOMETRY:
            return Operand("r.lon", (), "geometry", "r.lon")
        raise Refused(_("Unknown property in the filter: %(name)s (see the queryables).")
                      % {"name": name})

    def same_kind(self, operands: list[Operand], what: str) -> str:
        kinds = {o.kind for o in operands}
        if "geometry" in kinds:
            raise Refused(_("%(operator)s cannot be applied to the geometry; use "
                            "S_INTERSECTS.") % {"operator": what})
        if len(kinds) > 1:
            raise Refused(_("%(operator)s compares values of different types: %(types)s.")
                          % {"operator": what, "types": ", ".join(sorted(kinds))})
        return kinds.pop()

    # Predicates

    def comparison(self, node) -> tuple[str, tuple]:
        left, right = self.operand(node.lhs), self.operand(node.rhs)
        operator = _COMPARISONS[type(node)]
        kind = self.same_kind([left, right], operator)
        if kind == "boolean" and operator not in ("=", "<>"):
            raise Refused(_("Yes/no values can only be compared with = or <>."))
        return f"{left.sql} {operator} {right.sql}", left.params + right.params

    def between(self, node) -> tuple[str, tuple]:
        parts = [self.operand(n) for n in (node.lhs, node.low, node.high)]
        if self.same_kind(parts, "BETWEEN") not in ("number", "date", "text"):
            raise Refused(_("BETWEEN needs numbers, dates or text."))
        negation = "NOT " if node.not_ else ""
        return (f"{parts[0].sql} {negation}BETWEEN {parts[1].sql} AND {parts[2].sql}",
                parts[0].params + parts[1].params + parts[2].params)

    def like(self, node) -> tuple[str, tuple]:
        left = self.operand(node.lhs)
        if left.kind != "text" or not isinstance(node.pattern, str):
            raise Refused(_("LIKE needs a text property and a text pattern."))
        # GLOB, not LIKE: CQL2's LIKE is case-sensitive, SQLite's LIKE is not.
        negation = "NOT " if node.not_ else ""
        return f"{left.sql} {negation}GLOB ?", (*left.params, glob_pattern(node.pattern))

    def in_list(self, node) -> tuple[str, tuple]:
        left = self.operand(node.lhs)
        if not isinstance(node.sub_nodes, list):
            raise Refused(_("IN needs a list of values."))
        items = [self.operand(n) for n in node.sub_nodes]
        if not items:
            raise Refused(_("IN needs at least one value."))
        self.same_kind([left, *items], "IN")
        negation = "NOT " if node.not_ else ""
        placeholders = ", ".join(item.sql for item in items)
        params = left.params + tuple(p for item in items for p in item.params)
        return f"{left.sql} {negation}IN ({placeholders})", params

    def is_null(self, node) -> tuple[str, tuple]:
        if not isinstance(node.lhs, ast.Attribute):
            raise Refused(_("IS NULL needs a property."))
        column = self.attribute(node.lhs.name).column
        return f"{column} IS {'NOT ' if node.not_ else ''}NULL", ()

    # Space

    def _geometry_and_value(self, node):
        sides = [node.lhs, node.rhs]
        for i, side in enumerate(sides):
            if isinstance(side, ast.Attribute) and side.name == GEOMETRY \
                    and side.name not in self.known:
                return sides[1 - i]
        raise Refused(_("S_INTERSECTS needs the property geometry on one side."))

    def intersects(self, node) -> tuple[str, tuple]:
        other = self._geometry_and_value(node)
        if isinstance(other, ast.Function) and other.name.lower() == "bbox":
            return self.intersects_box(ast.Attribute(GEOMETRY), list(other.arguments), None)
        if isinstance(other, values.Geometry):
            return intersects_geometry(other.geometry, rtree=self.rtree)
        raise Refused(_("S_INTERSECTS needs a BBOX, POINT, POLYGON or MULTIPOLYGON."))

    def intersects_box(self, lhs, numbers: list, crs) -> tuple[str, tuple]:
        if not (isinstance(lhs, ast.Attribute) and lhs.name == GEOMETRY):
            raise Refused(_("S_INTERSECTS needs the property geometry on one side."))
        if crs is not None:
            raise Refused(_("Give the filter's coordinate system as filter-crs."))
        return box_condition(numbers, rtree=self.rtree)

    # Time

    def temporal(self, node) -> tuple[str, tuple]:
        name = _op_name(node).upper()
        left = self.operand(node.lhs)
        if left.kind != "date" or left.column is None:
            raise Refused(_("%(operator)s needs a date property on the left.")
                          % {"operator": name})
        right = node.rhs
        if isinstance(right, values.Interval):
            first, last = (_time_value(right.start), _time_value(right.end))
        else:
            first = last = _time_value(right)
            if first is None:
                raise Refused(_("%(operator)s needs a date, timestamp or interval.")
                              % {"operator": name})
        column = left.sql
        is_instant = not isinstance(right, values.Interval)
        if isinstance(node, ast.TimeBefore):
            return _before(column, first)
        if isinstance(node, ast.TimeAfter):
            return _after(column, last)
        if isinstance(node, ast.TimeEquals) and is_instant:
            return f"{column} = ?", (first,)
        if isinstance(node, ast.TimeDuring) and not is_instant:
            return _within(column, first, last)
        raise Refused(_("The temporal operator %(name)s is not supported with this value: "
                        "date columns hold single days.") % {"name": name})


def _before(column: str, first: str | None) -> tuple[str, tuple]:
    if first is None:
        return "0", ()  # nothing lies before an interval open at its start
    return f"{column} < ?", (first,)


def _after(column: str, last: str | None) -> tuple[str, tuple]:
    if last is None:
        return "0", ()
    return f"{column} > ?", (last,)


def _within(column: str, first: str | None, last: str | None) -> tuple[str, tuple]:
    clauses, params = [f"{column} IS NOT NULL"], []
    if first is not None:
        clauses.append(f"{column} >= ?")
        params.append(first)
    if last is not None:
        clauses.append(f"{column} <= ?")
        params.append(last)
    return "(" + " AND ".join(clauses) + ")", tuple(params)


def _time_value(value) -> str | None:
    """A DATE or TIMESTAMP literal as the day the column holds; None for an open end."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise Refused(_("Durations are not supported in intervals."))


def literal(value) -> Operand:
    if isinstance(value, bool):
        return Operand("?", (value,), "boolean")
    if isinstance(value, int):
        # SQLite integers have 64 bits; beyond them a float compares as it should.
        return Operand("?", (value if -(2**63) <= value < 2**63 else float(value),), "number")
    if isinstance(value, float):
        if math.isnan(value):
            raise Refused(_("NaN is not a number the filter can compare."))
        return Operand("?", (value,), "number")
    if isinstance(value, str):
        return Operand("?", (value,), "text")
    if isinstance(value, datetime | date):
        return Operand("?", (_time_value(value),), "date")
    raise Refused(_("This value cannot be used here in the filter: %(value)s")
                  % {"value": type(value).__name__})


def glob_pattern(pattern: str) -> str:
    """CQL2's LIKE pattern (% any text, _ one character, \\ escapes) as a GLOB pattern,
    with GLOB's own special characters matched literally."""
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append(_glob_literal(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            out.append("*")
        elif char == "_":
            out.append("?")
        else:
            out.append(_glob_literal(char))
    if escaped:
        out.append(_glob_literal("\\"))
    return "".join(out)


def _glob_literal(char: str) -> str:
    return f"[{char}]" if char in "*?[" else char


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refused(_("Coordinates in the filter must be numbers."))
    return float(value)


_EXACT_BOX = "r.lon BETWEEN ? AND ? AND r.lat BETWEEN ? AND ?"
_NEAR_BOX = ("r.id IN (SELECT id FROM rows_rtree WHERE minx <= ? AND maxx >= ? "
             "AND miny <= ? AND maxy >= ?) AND ")


def _within_box(west: float, east: float, south: float, north: float, *,
                rtree: bool) -> tuple[str, tuple]:
    """The points in a box: exactly, by the row's own coordinates, and, where the store
    has its R-tree, first through it, so that only the rows near the box are read. (The
    R-tree holds 32-bit coordinates rounded outwards: it may offer a few rows too many,
    which the exact test drops, never too few.)"""
    params = (west, east, south, north)
    if not rtree:
        return _EXACT_BOX, params
    return _NEAR_BOX + _EXACT_BOX, (east, west, north, south, *params)


def box_condition(numbers: list, *, rtree: bool = False) -> tuple[str, tuple]:
    if len(numbers) != 4:
        raise Refused(_("BBOX needs four numbers: west, south, east, north."))
    west, south, east, north = (_number(n) for n in numbers)
    if west > east or south > north:
        raise Refused(_("BBOX needs four numbers: west, south, east, north."))
    sql, params = _within_box(west, east, south, north, rtree=rtree)
    return f"({sql})", params


def intersects_geometry(geometry: dict, *, rtree: bool = False) -> tuple[str, tuple]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if kind else None
    if kind == "Point":
        x, y = _point(coordinates)
        sql, params = _within_box(x, x, y, y, rtree=rtree)
        return f"({sql})", params
    if kind == "Polygon":
        polygons = [_polygon(coordinates)]
    elif kind == "MultiPolygon" and isinstance(coordinates, list | tuple) and coordinates:
        polygons = [_polygon(p) for p in coordinates]
    else:
        raise Refused(_("S_INTERSECTS needs a BBOX, POINT, POLYGON or MULTIPOLYGON."))
    xs = [x for polygon in polygons for x, _y in polygon[0]]
    ys = [y for polygon in polygons for _x, y in polygon[0]]
    # The box of the outer rings narrows the rows first; the function decides the rest.
    sql, params = _within_box(min(xs), max(xs), min(ys), max(ys), rtree=rtree)
    return f"({sql} AND {IN_POLYGONS}(r.lon, r.lat, ?))", (*params, json.dumps(polygons))


def _point(coordinates) -> tuple[float, float]:
    if not isinstance(coordinates, list | tuple) or len(coordinates) not in (2, 3):
        raise Refused(_("Coordinates in the filter must be numbers."))
    return _number(coordinates[0]), _number(coordinates[1])


def _polygon(rings) -> list:
    if not isinstance(rings, list | tuple) or not rings:
        raise Refused(_("A polygon needs closed rings of at least four points."))
    checked = []
    for ring in rings:
        if not isinstance(ring, list | tuple):
            raise Refused(_("A polygon needs closed rings of at least four points."))
        points = [_point(p) for p in ring]
        if len(points) < 4 or points[0] != points[-1]:
            raise Refused(_("A polygon needs closed rings of at least four points."))
        checked.append(points)
    return checked
