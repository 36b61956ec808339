"""OGC API – Features Part 2 (Coordinate Reference Systems by Reference): the items in
CRS84 (as stored) or in EPSG:25832, ETRS89 / UTM zone 32N, the system NRW's land
survey and the municipal GIS work in (ADR 0026).

`crs` asks for the coordinates of the answer, `bbox-crs` says in which system `bbox`
is given; the answer names its system in the Content-Crs header. Any other system is
refused, never ignored: coordinates read in the wrong system put a playground in the
sea.

Axis order is the one each system declares and GeoJSON expects: longitude, latitude
for CRS84; easting, northing for EPSG:25832 (its EPSG definition is E, N, so nothing is
swapped). pyproj is told always_xy so that EPSG:4326's latitude-first order can never
slip in."""

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _
from pyproj import Transformer
from pyproj.exceptions import ProjError

from ..store.documents import feature_json
from .parameters import CRS84, BadRequest
from .parameters import bbox as bbox_numbers

EPSG_25832 = "http://www.opengis.net/def/crs/EPSG/0/25832"
SUPPORTED = (CRS84, EPSG_25832)
STORAGE_CRS = CRS84
CONFORMANCE = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"
_PROJ_NAMES = {CRS84: "OGC:CRS84", EPSG_25832: "EPSG:25832"}
# Millimetres: finer than any survey, and a page of 10,000 points stays short.
_METRE_DECIMALS = 3
_WORLD = (-180.0, -90.0, 180.0, 90.0)
# Points along each edge of a projected bbox when its CRS84 envelope is computed: an
# edge is a curve in lon/lat, and its extreme can lie between two of the points.
_DENSIFY = 101
# The envelope is widened by this share of its size (and at least ~1 cm) so that no
# point between those samples falls outside it; the exact check below decides.
_MARGIN = 1e-3
_MIN_MARGIN = 1e-7


@cache
def _transformer(source: str, target: str) -> Transformer:
    # Built once per pair: building one reads PROJ's database, transforming is cheap.
    return Transformer.from_crs(_PROJ_NAMES[source], _PROJ_NAMES[target], always_xy=True)


def _supported(name: str, raw: str) -> str:
    if raw not in SUPPORTED:
        raise BadRequest(_("%(name)s must be one of: %(systems)s.")
                         % {"name": name, "systems": ", ".join(SUPPORTED)})
    return raw


def requested(request) -> str:
    """The system the coordinates of the answer are asked in (`crs`), CRS84 if none."""
    raw = request.GET.get("crs")
    return STORAGE_CRS if raw is None else _supported("crs", raw)


def content_crs(uri: str) -> str:
    """The Content-Crs header: the URI in angle brackets (Part 2, /req/crs/ogc-crs-header)."""
    return f"<{uri}>"


def features(rows: Iterable, target: str) -> Iterator[str]:
    """Each row (store Row) as a GeoJSON feature with its point in `target`."""
    rows = list(rows)
    if target == STORAGE_CRS:
        for r in rows:
            yield feature_json(r.id, r.lon, r.lat, r.props)
        return
    placed = [r for r in rows if r.lon is not None]
    xs, ys = _transformer(STORAGE_CRS, target).transform(
        [r.lon for r in placed], [r.lat for r in placed])
    points = {r.id: (x, y) for r, x, y in zip(placed, xs, ys, strict=True)}
    for r in rows:
        point = points.get(r.id)
        if point is None:
            yield feature_json(r.id, None, None, r.props)
            continue
        if not all(map(math.isfinite, point)):
            # Far from zone 32 the projection gives out; a made-up number would be worse.
            raise BadRequest(_("Object %(id)s lies outside the area where %(crs)s is "
                               "defined; ask for it in CRS84.") % {"id": r.id, "crs": target})
        yield feature_json(r.id, round(point[0], _METRE_DECIMALS),
                           round(point[1], _METRE_DECIMALS), r.props)


@dataclass(frozen=True)
class BoxFilter:
    """`bbox` as the store can query it: `envelope` in CRS84 for the spatial index,
    and `exact`, when the box was given in another system, the test a candidate point
    (lon, lat) must also pass: inside the box in that system."""

    envelope: tuple[float, float, float, float]
    exact: Callable[[float, float], bool] | None = None


def bbox(request) -> BoxFilter | None:
    """`bbox` with `bbox-crs` (CRS84 if not given)."""
    crs = request.GET.get("bbox-crs")
    system = STORAGE_CRS if crs is None else _supported("bbox-crs", crs)
    numbers = bbox_numbers(request)
    if numbers is None:
        return None
    if system == STORAGE_CRS:
        return BoxFilter(numbers)
    return BoxFilter(_envelope(numbers, system), _inside(numbers, system))


def _envelope(box, system: str) -> tuple[float, float, float, float]:
    """A CRS84 box holding every point that lies in `box` (given in `system`): a box of
    straight grid lines is curved in lon/lat, so this takes more than the corners."""
    try:
        west, south, east, north = _transformer(system, STORAGE_CRS).transform_bounds(
            *box, densify_pts=_DENSIFY)
    except ProjError:
        return _WORLD
    if not all(map(math.isfinite, (west, south, east, north))) or west > east:
        # A box beyond where the projection can be inverted (or across the antimeridian):
        # the whole world as candidates, the exact test alone decides.
        return _WORLD
    pad_x = max((east - west) * _MARGIN, _MIN_MARGIN)
    pad_y = max((north - south) * _MARGIN, _MIN_MARGIN)
    return (max(west - pad_x, -180.0), max(south - pad_y, -90.0),
            min(east + pad_x, 180.0), min(north + pad_y, 90.0))


def _inside(box, system: str) -> Callable[[float, float], bool]:
    west, south, east, north = box
    transform = _transformer(STORAGE_CRS, system).transform

    def inside(lon, lat) -> bool:
        if lon is None or lat is None:
            return False
        x, y = transform(lon, lat)
        return west <= x <= east and south <= y <= north  # False for inf and nan too

    return inside
