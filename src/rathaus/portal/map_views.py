"""The maps' data (ADR 0038): GeoJSON of a cadastre's assets for the map component
(static/rathaus/map.js), clustered in the database at low zoom (assets/map_points.py).

    /karten/<cadastre>.json?bbox=w,s,e,n&zoom=z            public, only public facts
    /karten/<cadastre>.json?extent=1                       the box around every asset
    /karten/verwaltung/<cadastre>.json?…&due=YYYY-MM-DD    the cadastre's keepers

Bad parameters get 400 with {"error": German message}. The public answer carries an
ETag from the cadastre's latest change and must be revalidated each time, so a
closure shows at once and an unchanged view costs one indexed query.
"""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted
from rathaus.assets import map_points
from rathaus.assets.models import Cadastre
from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited
from rathaus.rate_limits.responses import too_many_requests_problem

CACHE_SECONDS = 600  # answers are cached under their ETag, which changes with the data


def _json(data, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False,
                                                                "separators": (",", ":")})


def _bad(message: str) -> JsonResponse:
    return _json({"error": message}, status=400)


def _cadastre(name: str) -> Cadastre:
    cadastre = Cadastre.objects.filter(name=name).first()
    if cadastre is None:
        raise Http404
    return cadastre


def _answer(request, queryset, properties, cells_key=None):
    """The extent (`extent=1`) or the clusters/points of the request's bbox and zoom."""
    if request.GET.get("extent"):
        return {"type": "FeatureCollection", "features": [],
                "bbox": map_points.extent(queryset),
                "tiles": {"url": settings.RATHAUS_MAP_TILE_URL,
                          "attribution": settings.RATHAUS_MAP_ATTRIBUTION}}
    bbox = map_points.parse_bbox(request.GET.get("bbox"))
    zoom = map_points.parse_zoom(request.GET.get("zoom"))
    return map_points.points(queryset, bbox=bbox, zoom=zoom, properties=properties,
                             cells_key=cells_key)


@require_GET
@rate_limited("api", methods=ALL_METHODS, respond=too_many_requests_problem)
def public_points(request, cadastre: str):
    cadastre = _cadastre(cadastre)
    stamp = map_points.change_stamp(cadastre)
    params = (request.GET.get("extent", ""), request.GET.get("bbox", ""),
              request.GET.get("zoom", ""))
    tag = map_points.etag(stamp, "public", settings.RATHAUS_MAP_TILE_URL, *params)
    if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        key = "maps:" + tag.strip('"')
        data = cache.get(key)
        if data is None:
            queryset = map_points.public_assets(cadastre)
            map_points.fill_missing(queryset)
            try:
                data = _answer(request, queryset, map_points.public_properties,
                               cells_key=f"maps:cells:public:{stamp}")
            except map_points.BadMapRequest as problem:
                return _bad(str(problem))
            cache.set(key, data, CACHE_SECONDS)
        response = _json(data)
    response["ETag"] = tag
    # Any cache may keep it, but must ask again each time: a closure shows at once.
    response["Cache-Control"] = "public, no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_GET
@staff_required
def staff_points(request, cadastre: str):
    cadastre = _cadastre(cadastre)
    due = None
    if request.GET.get("due"):
        try:
            due = date.fromisoformat(request.GET["due"])
        except ValueError:
            return _bad(_("due must be a date as YYYY-MM-DD."))
    try:
        queryset = map_points.staff_assets(actor=request.user, cadastre=cadastre, due=due)
    except NotPermitted:
        return _json({"error": _("You do not keep this cadastre.")}, status=403)
    map_points.fill_missing(queryset)
    # Without `due` the clusters come from the cadastre's counted cells; with it, from the
    # assets due (the due dates change without the change stamp).
    cells_key = None if due else f"maps:cells:staff:{map_points.change_stamp(cadastre)}"
    try:
        data = _answer(request, queryset, map_points.staff_properties, cells_key=cells_key)
    except map_points.BadMapRequest as problem:
        return _bad(str(problem))
    response = _json(data)
    response["Cache-Control"] = "private, no-store"
    return response
