"""A field's plan as an inline SVG, drawn on the server: no JavaScript, no map tiles.

Graves with outlines are drawn as their polygons projected to local metres (an
equirectangular projection around the field is exact enough for a few hundred
metres); a field whose graves lack outlines is drawn as a grid by row and position.
Each grave is a link to its page, filled by its state with a pattern and marked with
the state's first letter, so the plan does not rely on colour alone.

Built as one string (escaped) rather than through the template engine: a field of 500
graves renders in a few milliseconds."""

import functools
import math
from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from .models import Grave

CELL = 36  # px of a grave in the grid
GAP = 4
METRES_PER_DEGREE = 111_320.0
MARGIN = 6


@dataclass(frozen=True)
class Look:
    fill: str
    text: str


# Fills: white, a hatch, solid dark, a cross-hatch; text colours contrast with each.
LOOKS = {
    Grave.State.FREE: Look("#ffffff", "#1b1b1b"),
    Grave.State.RESERVED: Look("url(#plan-reserved)", "#1b1b1b"),
    Grave.State.OCCUPIED: Look("#3b4a5a", "#ffffff"),
    Grave.State.CLOSED: Look("url(#plan-closed)", "#1b1b1b"),
}

DEFS = (
    '<defs>'
    '<pattern id="plan-reserved" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fde7a7"/>'
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#8a6d00" stroke-width="3"/></pattern>'
    '<pattern id="plan-closed" width="8" height="8" patternUnits="userSpaceOnUse">'
    '<rect width="8" height="8" fill="#f3c7c7"/>'
    '<path d="M0 0L8 8M8 0L0 8" stroke="#9b1c1c" stroke-width="1.5"/></pattern>'
    '</defs>'
)


@functools.cache
def _grave_prefix() -> str:
    return reverse("cemetery_office:grave", args=[0])[:-len("0/")]


def grave_href(grave_id: int) -> str:
    """A grave's page: reversed once, not for each of a field's hundreds of graves
    (a reverse costs more than drawing the grave)."""
    return f"{_grave_prefix()}{grave_id}/"


def letter_of(label: str) -> str:
    """A state's mark in the plan: the first letter of its (translated) label."""
    return (label[:1] or "?").upper()


def _rings(outline) -> list[list[tuple[float, float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon; [] for anything else."""
    if not isinstance(outline, dict):
        return []
    try:
        if outline.get("type") == "Polygon":
            return [[(float(x), float(y)) for x, y, *_ in outline["coordinates"][0]]]
        if outline.get("type") == "MultiPolygon":
            return [[(float(x), float(y)) for x, y, *_ in polygon[0]]
                    for polygon in outline["coordinates"]]
    except (KeyError, IndexError, TypeError, ValueError):
        return []
    return []


@dataclass(frozen=True)
class Shape:
    row: dict
    points: list[list[tuple[float, float]]]  # in px
    centre: tuple[float, float]
    size: float  # px, for the letter


def _grid(rows: list[dict]) -> tuple[list[Shape], float, float]:
    shapes = []
    for row in rows:
        x = MARGIN + (row["position"] - 1) * (CELL + GAP)
        y = MARGIN + (row["row"] - 1) * (CELL + GAP)
        square = [(x, y), (x + CELL, y), (x + CELL, y + CELL), (x, y + CELL)]
        shapes.append(Shape(row, [square], (x + CELL / 2, y + CELL / 2), CELL))
    width = max((s.points[0][1][0] for s in shapes), default=0) + MARGIN
    height = max((s.points[0][2][1] for s in shapes), default=0) + MARGIN
    return shapes, width, height


def _projected(rows: list[dict], rings: list[list]) -> tuple[list[Shape], float, float]:
    """Outlines in local metres, scaled so the field is about 900 px wide."""
    every = [point for grave_rings in rings for ring in grave_rings for point in ring]
    lon0 = min(p[0] for p in every)
    lat1 = max(p[1] for p in every)
    lat_mid = (min(p[1] for p in every) + lat1) / 2
    kx = METRES_PER_DEGREE * math.cos(math.radians(lat_mid))

    def metres(point):
        return (point[0] - lon0) * kx, (lat1 - point[1]) * METRES_PER_DEGREE

    local = [[[metres(p) for p in ring] for ring in grave_rings] for grave_rings in rings]
    span_x = max((p[0] for g in local for r in g for p in r), default=1) or 1
    span_y = max((p[1] for g in local for r in g for p in r), default=1) or 1
    scale = 900 / max(span_x, span_y)
    shapes = []
    for row, grave_rings in zip(rows, local, strict=True):
        px = [[(MARGIN + x * scale, MARGIN + y * scale) for x, y in ring] for ring in grave_rings]
        xs = [p[0] for ring in px for p in ring]
        ys = [p[1] for ring in px for p in ring]
        size = min(max(xs) - min(xs), max(ys) - min(ys))
        shapes.append(Shape(row, px, (sum(xs) / len(xs), sum(ys) / len(ys)), size))
    return shapes, span_x * scale + 2 * MARGIN, span_y * scale + 2 * MARGIN


def shapes_of(rows: list[dict]) -> tuple[list[Shape], float, float]:
    """Projected outlines when every grave has one, else the grid."""
    rings = [_rings(row["asset__outline"]) for row in rows]
    if rows and all(rings):
        return _projected(rows, rings)
    return _grid(rows)


def field_plan_svg(rows: list[dict], *, state_labels: dict, kind_labels: dict,
                   title: str) -> SafeString:
    """The plan of `rows` (selectors.field_plan) as an SVG element."""
    shapes, width, height = shapes_of(rows)
    parts = [f'<svg class="cemetery-plan" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
             f'height="{height:.0f}" role="group" '
             f'aria-label="{escape(title)}">', DEFS]
    for shape in shapes:
        row = shape.row
        state = row["state"]
        look = LOOKS.get(state, LOOKS[Grave.State.FREE])
        label = state_labels.get(state, state)
        name = (f'{row["asset__number"]}, {kind_labels.get(row["grave_type__kind"], "")}, '
                f'{label}')
        href = grave_href(row["asset_id"])
        path = " ".join("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + " Z"
                        for ring in shape.points)
        font = max(min(shape.size * 0.5, 16), 6)
        parts.append(
            f'<a href="{href}" aria-label="{escape(name)}">'
            f'<path d="{path}" fill="{look.fill}" stroke="#1b1b1b" stroke-width="1"/>'
            f'<text x="{shape.centre[0]:.1f}" y="{shape.centre[1]:.1f}" '
            f'font-size="{font:.0f}" text-anchor="middle" dominant-baseline="central" '
            f'fill="{look.text}" font-weight="600" aria-hidden="true">'
            f'{escape(letter_of(str(label)))}</text></a>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every value above is escaped)


def legend_swatch(state: str) -> SafeString:
    """A small square as the plan draws a grave of `state`, for the legend (its
    patterns are those of the plan on the same page)."""
    look = LOOKS.get(state, LOOKS[Grave.State.FREE])
    return mark_safe(  # noqa: S308  (constants only)
        '<svg class="cemetery-plan__swatch" xmlns="http://www.w3.org/2000/svg" width="24" '
        'height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        f'<rect x="1" y="1" width="22" height="22" fill="{look.fill}" stroke="#1b1b1b"/>'
        '</svg>')


def field_table_rows(rows: list[dict], *, state_labels: dict, kind_labels: dict) -> SafeString:
    """The rows of the table of graves below the plan (the same graves in words, for
    screen readers and for searching the page), built here for the reason the plan is."""
    return format_html_join("", (
        '<tr class="kern-table__row"><td class="kern-table__cell"><a class="kern-link" '
        'href="{}">{}</a></td><td class="kern-table__cell">{}</td><td class="kern-table__cell">'
        '{}</td><td class="kern-table__cell">{}</td><td class="kern-table__cell" '
        'data-state="{}">{}</td></tr>'), (
        (row["href"], row["asset__number"], row["row"], row["position"],
         kind_labels.get(row["grave_type__kind"], row["grave_type__kind"] or "–"),
         row["state"], state_labels.get(row["state"], row["state"])) for row in rows))
