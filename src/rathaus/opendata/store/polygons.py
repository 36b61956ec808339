"""Whether a point lies in polygons, as an SQLite function of the store's readers
(queries.connect registers it): the CQL2 filter S_INTERSECTS with a polygon
(filtering.py) passes the polygons as a bound JSON parameter."""

import json
from functools import lru_cache

SQL_NAME = "rathaus_in_polygons"


@lru_cache(maxsize=32)
def _polygons(text: str) -> list:
    return json.loads(text)


def in_polygons(lon, lat, text) -> int:
    """SQLite function: 1 if the point lies in or on one of the polygons (each an outer
    ring and holes; a point on a hole's edge still touches the polygon)."""
    if lon is None or lat is None:
        return 0
    for rings in _polygons(text):
        if _in_ring(lon, lat, rings[0]) and not any(
                _in_ring(lon, lat, hole, edge=False) for hole in rings[1:]):
            return 1
    return 0


def _in_ring(x: float, y: float, ring: list, *, edge: bool = True) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
        if cross == 0 and min(x1, x2) <= x <= max(x1, x2) and min(y1, y2) <= y <= max(y1, y2):
            return edge  # on the boundary
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
