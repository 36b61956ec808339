"""What a map of a cadastre draws: clusters at low zoom, single assets up close (ADR 0038).

Every asset keeps its place in Web Mercator as whole pixels at zoom 18 (`Asset.map_x`,
`Asset.map_y`, 2^26 pixels around the world, set by `Asset.save`). A cluster is one
cell of a grid of CELL_PIXELS × CELL_PIXELS screen pixels at the requested zoom, so
at zoom z its index is `map_x / 2^(24 - z)`: an integer division, which SQLite and
PostgreSQL both compute, grouped with GROUP BY in the database. 100,000 trees never
leave the database; a response holds at most a few hundred clusters or points.

    points(queryset, bbox=(west, south, east, north), zoom=14, properties=public)

returns a GeoJSON FeatureCollection. Cluster features carry {"cluster": true,
"count": n} at the mean place of their assets; point features carry `properties(asset)`
and {"cluster": false}.
"""

import hashlib
import math
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Avg, Count, Func, IntegerField, Max, Min, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded

from .permissions import may_keep_cadastre

PIXEL_ZOOM = 18  # map_x/map_y are pixels at this zoom
WORLD = 256 * 2 ** PIXEL_ZOOM  # pixels around the world at PIXEL_ZOOM
CELL_PIXELS = 64  # a cluster's cell on the screen
MAX_ZOOM = 22
# From this zoom on, single assets; below it, clusters unless few assets are in view.
POINTS_FROM_ZOOM = 19
POINT_LIMIT = 300
MAX_POINTS = 1000  # at POINTS_FROM_ZOOM and beyond, at most this many
# Up to this zoom, clusters are summed from the cadastre's cells at this zoom, counted
# once per change of the cadastre and kept in the cache (`base_cells`); beyond it,
# the few thousand assets in view are grouped at each request.
BASE_ZOOM = 16
BASE_CELLS_SECONDS = 3600
MAX_LAT = 85.05112878  # Web Mercator's edge


class BadMapRequest(ValueError):
    """A bbox or zoom the map cannot use; `str()` is the German message."""


# --- Places -----------------------------------------------------------------------------

@unguarded("arithmetic on a place; reads nothing")
def pixel(lon: float, lat: float) -> tuple[int, int]:
    """The place in whole Web Mercator pixels at PIXEL_ZOOM (x east, y south)."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = (lon + 180.0) / 360.0
    sin = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)
    return (min(WORLD - 1, max(0, int(x * WORLD))), min(WORLD - 1, max(0, int(y * WORLD))))


@unguarded("arithmetic on a place; reads nothing")
def lonlat(x: float, y: float) -> tuple[float, float]:
    """The inverse of `pixel` (for fractional pixels, too)."""
    lon = x / WORLD * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / WORLD))))
    return lon, lat


@unguarded("sets an asset's map pixels before its caller saves it")
def place(asset) -> None:
    """Sets the asset's map pixels from lon/lat (Asset.save does; a bulk_create must
    call it for each row, or `fill_missing` catches up before the next map view)."""
    asset.map_x, asset.map_y = pixel(asset.lon, asset.lat)


@unguarded("fills derived columns of the rows its caller may show")
def fill_missing(queryset) -> int:
    """Gives map pixels to assets that came without (bulk inserts)."""
    from .models import Asset

    filled = 0
    missing = list(queryset.filter(map_x__isnull=True).values_list("pk", "lon", "lat")[:5000])
    while missing:
        rows = []
        for pk, lon, lat in missing:
            x, y = pixel(lon, lat)
            rows.append(Asset(pk=pk, map_x=x, map_y=y))
        Asset.objects.bulk_update(rows, ["map_x", "map_y"], batch_size=500)
        filled += len(rows)
        missing = list(queryset.filter(map_x__isnull=True)
                       .values_list("pk", "lon", "lat")[:5000])
    return filled


# --- Parameters -------------------------------------------------------------------------

@unguarded("checks a parameter; reads nothing")
def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """"west,south,east,north" in degrees (WGS 84); None when not given."""
    if text is None or not text.strip():
        return None
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise BadMapRequest(_("bbox must be four numbers: west,south,east,north."))
    west, south, east, north = values
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90
            and -90 <= north <= 90):
        raise BadMapRequest(_("bbox lies outside the earth's coordinates."))
    if west > east or south > north:
        raise BadMapRequest(_("bbox must name west before east and south before north."))
    return values


@unguarded("checks a parameter; reads nothing")
def parse_zoom(text: str | None) -> int:
    if text is None or not text.strip():
        raise BadMapRequest(_("zoom is missing (a whole number from 0 to %(max)d).")
                            % {"max": MAX_ZOOM})
    try:
        zoom = int(text)
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= MAX_ZOOM:
        raise BadMapRequest(_("zoom must be a whole number from 0 to %(max)d.")
                            % {"max": MAX_ZOOM})
    return zoom


# --- Clusters and points ----------------------------------------------------------------

class _Cell(Func):
    """The integer index of a value's cell: value / divisor, an integer division on
    SQLite and PostgreSQL alike (both operands are integers; the divisor is ours)."""

    output_field = IntegerField()

    def __init__(self, expression, divisor: int):
        super().__init__(expression)
        self.divisor = int(divisor)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} / {self.divisor:d})", params


@unguarded("arithmetic; reads nothing")
def cell_size(zoom: int) -> int:
    """A cell's side in map pixels at `zoom`."""
    return max(1, CELL_PIXELS * 2 ** PIXEL_ZOOM // 2 ** zoom)


def _in_view(queryset, bbox, size: int):
    """The assets in the bbox, widened to whole cells so that a cluster's count does
    not change while the map pans."""
    if bbox is None:
        return queryset.filter(map_x__isnull=False, map_y__isnull=False)
    west, south, east, north = bbox
    x0, y0 = pixel(west, north)
    x1, y1 = pixel(east, south)
    x0, y0 = x0 // size * size, y0 // size * size
    x1, y1 = (x1 // size + 1) * size - 1, (y1 // size + 1) * size - 1
    return queryset.filter(map_x__gte=x0, map_x__lte=x1, map_y__gte=y0, map_y__lte=y1)


def _point_feature(lon: float, lat: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


@unguarded("counts the rows of a queryset its caller may show")
def base_cells(queryset, key: str) -> list[tuple[int, int, int, int, int]]:
    """The assets of `queryset` counted in the cells of BASE_ZOOM: (cx, cy, count, sum
    of map_x, sum of map_y), kept in the cache under `key`, which must change whenever
    the assets do (map_views puts the cadastre's change stamp into it)."""
    cells = cache.get(key)
    if cells is None:
        size = cell_size(BASE_ZOOM)
        cells = list(
            queryset.filter(map_x__isnull=False).order_by()
            .annotate(cx=_Cell("map_x", size), cy=_Cell("map_y", size))
            .values("cx", "cy")
            .annotate(n=Count("pk"), sx=Sum("map_x"), sy=Sum("map_y"))
            .values_list("cx", "cy", "n", "sx", "sy")
        )
        cache.set(key, cells, BASE_CELLS_SECONDS)
    return cells


def _cell_range(bbox, size: int) -> tuple[int, int, int, int] | None:
    if bbox is None:
        return None
    west, south, east, north = bbox
    x0, y0 = pixel(west, north)
    x1, y1 = pixel(east, south)
    return x0 // size, y0 // size, x1 // size, y1 // size


def _summed(cells, bbox, zoom: int) -> list[tuple[int, float, float]]:
    """Clusters at `zoom` (≤ BASE_ZOOM) summed from the base cells in view."""
    shift = BASE_ZOOM - zoom
    view = _cell_range(bbox, cell_size(zoom))
    sums: dict[tuple[int, int], list[int]] = {}
    for cx, cy, n, sx, sy in cells:
        key = (cx >> shift, cy >> shift)
        if view and not (view[0] <= key[0] <= view[2] and view[1] <= key[1] <= view[3]):
            continue
        total = sums.get(key)
        if total is None:
            sums[key] = [n, sx, sy]
        else:
            total[0] += n
            total[1] += sx
            total[2] += sy
    return [(n, sx / n, sy / n) for n, sx, sy in sums.values()]


@unguarded("draws the rows of a queryset its caller may show")
def points(queryset, *, bbox, zoom: int, properties: Callable | None = None,
           cells_key: str | None = None) -> dict:
    """The GeoJSON of the assets of `queryset` in `bbox` (None: everywhere) at `zoom`:
    clusters, or single assets with `properties(asset)` from POINTS_FROM_ZOOM on or when
    at most POINT_LIMIT are in view. With `cells_key`, clusters up to BASE_ZOOM are
    summed from `base_cells(queryset, cells_key)`."""
    properties = properties or public_properties
    size = cell_size(zoom)
    rows = _in_view(queryset, bbox, size)
    cells = []
    if zoom >= POINTS_FROM_ZOOM:
        total = None
    elif cells_key and zoom <= BASE_ZOOM:
        cells = _summed(base_cells(queryset, cells_key), bbox, zoom)
        total = sum(n for n, _ax, _ay in cells)
    else:
        cells = list(
            rows.order_by()
            .annotate(cx=_Cell("map_x", size), cy=_Cell("map_y", size))
            .values("cx", "cy")
            .annotate(n=Count("pk"), ax=Avg("map_x"), ay=Avg("map_y"))
            .values_list("n", "ax", "ay")
        )
        total = sum(n for n, _ax, _ay in cells)
    features = []
    if total is None or total <= POINT_LIMIT:
        # Sorted here: an ORDER BY could lead the database to walk the number index.
        assets = rows.order_by()
        if total is None:
            assets = assets[:MAX_POINTS]
        for asset in sorted(assets, key=lambda asset: asset.number):
            features.append(_point_feature(
                round(asset.lon, 7), round(asset.lat, 7),
                {"cluster": False, **properties(asset)}))
        clustered = False
    else:
        for count, mean_x, mean_y in cells:
            lon, lat = lonlat(mean_x, mean_y)
            features.append(_point_feature(round(lon, 6), round(lat, 6),
                                           {"cluster": True, "count": count}))
        clustered = True
    return {"type": "FeatureCollection", "zoom": zoom, "clustered": clustered,
            "features": features}


@unguarded("the box around the rows of a queryset its caller may show")
def extent(queryset) -> list[float] | None:
    """[west, south, east, north] around every asset of `queryset`, None if empty."""
    box = queryset.aggregate(w=Min("lon"), s=Min("lat"), e=Max("lon"), n=Max("lat"))
    if box["w"] is None:
        return None
    return [box["w"], box["s"], box["e"], box["n"]]


@unguarded("a timestamp of the cadastre's latest change; no data of any asset")
def change_stamp(cadastre) -> str:
    """Changes whenever an asset of the cadastre is created or changed (its status, a
    closure, its place): for ETags of the public map."""
    from .models import Asset

    latest = Asset.objects.filter(cadastre=cadastre).aggregate(at=Max("updated_at"))["at"]
    return f"{cadastre.pk}:{latest.isoformat() if latest else '-'}"


@unguarded("a hash of its arguments")
def etag(stamp: str, *parts) -> str:
    text = "|".join([stamp, get_language() or "", *(str(p) for p in parts)])
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


# --- What each map shows ----------------------------------------------------------------

@unguarded("the public map: only kinds with public properties, and only those")
def public_assets(cadastre):
    """What a public map shows: the cadastre's assets of kinds with public properties,
    only those that hold others or stand alone (a playground, not each swing), never
    removed ones."""
    from .kinds import kinds_of_cadastre
    from .models import Asset

    public = [k.name for k in kinds_of_cadastre(cadastre.name) if k.public_properties]
    return (Asset.objects.filter(cadastre=cadastre, kind__in=public, parent__isnull=True)
            .exclude(status=Asset.Status.REMOVED))


@unguarded("what the kind itself publishes of an asset")
def public_properties(asset) -> dict:
    from .kinds import kind_of

    kind = kind_of(asset.kind)
    props = kind.public_properties(asset) if kind.public_properties else {}
    return {"number": asset.number, "kind": asset.kind, "status": asset.status, **props}


@guarded_by(may_keep_cadastre)
def staff_assets(*, actor, cadastre, due=None):
    """What the staff map shows: every asset of the cadastre but removed ones; with
    `due`, only those due for an inspection by that date."""
    from .models import Asset

    rows = Asset.objects.filter(cadastre=cadastre).exclude(status=Asset.Status.REMOVED)
    if due is not None:
        rows = rows.filter(next_due__lte=due)
    return rows


@unguarded("a URL; reads nothing")
def office_asset_url(asset) -> str:
    """The asset's page in the office (fieldapp/office_urls.py, name "cadastre:asset")."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("cadastre:asset", args=[asset.pk])
    except NoReverseMatch:
        return f"/verwaltung/kataster/objekt/{asset.pk}/"


@unguarded("callers pass only assets of the staff_assets queryset")
def staff_properties(asset) -> dict:
    from .kinds import KINDS

    kind = KINDS.all().get(asset.kind)
    return {
        "number": asset.number,
        "name": asset.name,
        "kind": asset.kind,
        "kind_label": str(kind.label) if kind else asset.kind,
        "type": asset.type,
        "status": asset.status,
        "status_label": str(asset.get_status_display()),
        "next_due": asset.next_due.isoformat() if asset.next_due else None,
        "url": office_asset_url(asset),
    }


# --- The public lists beside the maps ---------------------------------------------------

@unguarded("the public list beside the map: the same assets as the public map")
def public_list(cadastre, *, kind: str, type: str = "", street: str = ""):
    """The public assets of one kind of the cadastre, by number; `type` (a tree's
    species key) exactly, `street` (the attribute) in part, any case."""
    rows = public_assets(cadastre).filter(kind=kind)
    if type:
        rows = rows.filter(type=type)
    if street.strip():
        rows = rows.filter(attributes__street__icontains=street.strip())
    return rows.order_by("number", "pk")


@unguarded("the public page of one asset: the same assets as the public map")
def public_asset(cadastre, *, kind: str, number: str):
    """The asset of `kind` numbered `number` if the public map shows it, else None."""
    return public_assets(cadastre).filter(kind=kind, number=number).first()
