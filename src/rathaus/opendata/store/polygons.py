"""Whether a point lies in polygons, as an SQLite function of the store's readers
(queries.connect registers it): the CQL2 filter S_INTERSECTS with a polygon
(filtering.py) passes the polygons as a bound JSON parameter.

The function runs once per candidate row (thousands per query), so each polygon is
prepared once per query text: its rings as edges with their bounding boxes."""

import json
from functools import lru_cache

SQL_NAME = "rathaus_in_polygons"


def _edges(ring: list) -> tuple:
    """(x1, y1, x2, y2, west, east, south, north) per edge of a closed ring."""
    return tuple((x1, y1, x2, y2, min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2))
                 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


@lru_cache(maxsize=32)
def _prepared(text: str) -> tuple:
    """Per polygon: its outer ring's edges and a tuple of its holes' edges."""
    return tuple((_edges(rings[0]), tuple(_edges(hole) for hole in rings[1:]))
                 for rings in json.loads(text))


def in_polygons(lon, lat, text) -> int:
    """SQLite function: 1 if the point lies in or on one of the polygons (each an outer
    ring and holes; a point on a hole's edge still touches the polygon)."""
    if lon is None or lat is None:
        return 0
    for outer, holes in _prepared(text):
        if _in_ring(lon, lat, outer) and not (holes and any(
                _in_ring(lon, lat, hole, edge=False) for hole in holes)):
            return 1
    return 0


def _in_ring(x: float, y: float, edges: tuple, *, edge: bool = True) -> bool:
    inside = False
    for x1, y1, x2, y2, west, east, south, north in edges:
        # On the edge itself: only possible within the edge's box, so the cross
        # product is computed for few edges.
        if west <= x <= east and south <= y <= north \
                and (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) == 0:
            return edge
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
