"""OGC API – Features, Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) under /ogc/: every
published dataset with point coordinates is a collection. Items come straight from the
version's store (queries.py): a page is a primary-key range or an R-tree query, and
each feature is assembled from the stored JSON text without decoding it.

JSON is the default (OWSLib sends no Accept header); `f=html` or a browser's
`Accept: text/html` gives HTML pages. Over the rate limit: 429 with Retry-After, as an
exception document (or the 429 page for HTML)."""

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.rate_limits.responses import too_many_requests_page, wait_text

from ..store import queries, selectors
from ..store.documents import feature_json
from ..vocabularies import LICENCES

DEFAULT_LIMIT, MAX_LIMIT = 10, 10_000
MAX_OFFSET = 2**53  # beyond any table; keeps SQLite's 64-bit integers from overflowing
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
RESERVED = {"f", "limit", "offset", "bbox", "bbox-crs", "datetime"}
OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"


class BadRequest(Exception):
    pass


def _wants_html(request) -> bool:
    f = request.GET.get("f")
    if f:
        return f == "html"
    return "text/html" in request.headers.get("Accept", "")


def _base(request) -> str:
    return request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")


def _json(data: dict, status: int = 200, content_type="application/json") -> HttpResponse:
    response = JsonResponse(data, status=status, content_type=content_type,
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(request, status: int, code: str, description: str) -> HttpResponse:
    return _json({"code": code, "description": description}, status=status)


def too_many_requests(request, refusal) -> HttpResponse:
    if _wants_html(request):
        return too_many_requests_page(request, refusal)
    return _error(request, 429, "TooManyRequests", wait_text(refusal.retry_after))


def _html(request, template: str, context: dict) -> HttpResponse:
    return render(request, f"opendata/ogc/{template}", context)


def _links(href: str, title: str, rel_json="self", rel_html="alternate") -> list[dict]:
    return [
        {"href": f"{href}?f=json", "rel": rel_json, "type": "application/json", "title": title},
        {"href": f"{href}?f=html", "rel": rel_html, "type": "text/html", "title": title},
    ]


def landing(request):
    base = _base(request)
    data = {
        "title": f"Offene Daten – {request.authority.name}",
        "description": "OGC API – Features: Datensätze mit Punktkoordinaten.",
        "links": [
            *_links(f"{base}/", "Diese Seite"),
            {"href": f"{base}/api", "rel": "service-desc", "type": OPENAPI_TYPE,
             "title": "OpenAPI 3.0"},
            {"href": f"{base}/conformance", "rel": "conformance", "type": "application/json",
             "title": "Konformitätsklassen"},
            {"href": f"{base}/collections", "rel": "data", "type": "application/json",
             "title": "Sammlungen"},
        ],
    }
    if _wants_html(request):
        return _html(request, "landing.html", {"data": data, "base": base})
    return _json(data)


def conformance(request):
    data = {"conformsTo": CONFORMANCE}
    if _wants_html(request):
        return _html(request, "conformance.html", {"data": data})
    return _json(data)


def _entries():
    return [e for e in selectors.catalogue() if e.version.has_geometry]


def _entry_or_none(name):
    entry = selectors.served_entry(name)
    return entry if entry and entry.version.has_geometry else None


def _collection(base: str, entry) -> dict:
    dataset, version = entry.dataset, entry.version
    href = f"{base}/collections/{dataset.name}"
    return {
        "id": dataset.name, "title": dataset.title, "description": dataset.description,
        "keywords": dataset.keywords, "itemType": "feature", "crs": [CRS84],
        "extent": {"spatial": {"bbox": [list(version.bbox)], "crs": CRS84}},
        "links": [
            *_links(href, dataset.title),
            {"href": f"{href}/items?f=json", "rel": "items", "type": "application/geo+json",
             "title": "Objekte"},
            {"href": f"{href}/items?f=html", "rel": "items", "type": "text/html",
             "title": "Objekte"},
            {"href": _licence_uri(dataset), "rel": "license", "type": "text/html",
             "title": dataset.get_licence_display()},
        ],
    }


def _licence_uri(dataset) -> str:
    licence = LICENCES.get(dataset.licence)
    return licence.uri if licence else ""


def collections(request):
    base = _base(request)
    data = {"links": _links(f"{base}/collections", "Sammlungen"),
            "collections": [_collection(base, e) for e in _entries()]}
    if _wants_html(request):
        return _html(request, "collections.html", {"data": data})
    return _json(data)


def collection(request, name):
    entry = _entry_or_none(name)
    if entry is None:
        return _not_found(request)
    data = _collection(_base(request), entry)
    if _wants_html(request):
        return _html(request, "collection.html", {"data": data})
    return _json(data)


def _not_found(request):
    if _wants_html(request):
        raise Http404
    return _error(request, 404, "NotFound", _("There is no such collection or item."))


def _int(request, name, default, maximum=None) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(_("%(name)s must be a whole number.") % {"name": name}) from None
    if value < 0 or (name == "limit" and value == 0):
        raise BadRequest(_("%(name)s is too small.") % {"name": name})
    return min(value, maximum) if maximum else value


def _bbox(request):
    raw = request.GET.get("bbox")
    if not raw:
        return None
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        raise BadRequest(_("bbox must consist of four numbers.")) from None
    if len(numbers) == 6:  # with heights: the points have none
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise BadRequest(_("bbox must be west,south,east,north."))
    crs = request.GET.get("bbox-crs")
    if crs and crs != CRS84:
        raise BadRequest(_("Only CRS84 is supported as bbox-crs."))
    return tuple(numbers)


def _filters(request, entry) -> dict:
    columns = {c["name"] for c in queries.columns(entry.version.sha256)}
    filters = {}
    for key, value in request.GET.items():
        if key in RESERVED:
            continue
        if key not in columns:
            raise BadRequest(_("Unknown parameter: %(name)s") % {"name": key})
        filters[key] = value
    return filters


def items(request, name):
    entry = _entry_or_none(name)
    if entry is None:
        return _not_found(request)
    try:
        limit = _int(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
        offset = _int(request, "offset", 0, MAX_OFFSET)
        bbox = _bbox(request)
        filters = _filters(request, entry)
    except BadRequest as error:
        if _wants_html(request):
            return render(request, "opendata/ogc/error.html", {"message": str(error)},
                          status=400)
        return _error(request, 400, "InvalidParameterValue", str(error))
    version = entry.version
    found = queries.page(version.sha256, row_count=version.row_count, limit=limit,
                         offset=offset, bbox=bbox, filters=filters)
    href = f"{_base(request)}/collections/{name}/items"
    params = {k: v for k, v in request.GET.items() if k not in ("f", "offset")}
    links = _page_links(href, params, offset, limit, len(found.rows), found.number_matched)
    if _wants_html(request):
        pages = {link["rel"]: link["href"].replace("f=json", "f=html") for link in links
                 if link["rel"] in ("prev", "next")}
        return _html(request, "items.html", {
            "entry": entry, "rows": [(r.id, r.values()) for r in found.rows],
            "matched": found.number_matched, "pages": pages})
    head = json.dumps({
        "type": "FeatureCollection", "numberMatched": found.number_matched,
        "numberReturned": len(found.rows),
        "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "links": links,
    }, ensure_ascii=False)
    features = ",".join(feature_json(r.id, r.lon, r.lat, r.props) for r in found.rows)
    body = f'{head[:-1]},"features":[{features}]}}'
    response = HttpResponse(body.encode(), content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_links(href, params, offset, limit, returned, matched) -> list[dict]:
    def url(f, start):
        query = {**params, "f": f, **({"offset": start} if start else {})}
        return f"{href}?{urlencode(query)}"

    links = [
        {"href": url("json", offset), "rel": "self", "type": "application/geo+json",
         "title": "Diese Seite"},
        {"href": url("html", offset), "rel": "alternate", "type": "text/html",
         "title": "Diese Seite als HTML"},
        {"href": href.rsplit("/items", 1)[0] + "?f=json", "rel": "collection",
         "type": "application/json", "title": "Sammlung"},
    ]
    if offset + returned < matched:
        links.append({"href": url("json", offset + limit), "rel": "next",
                      "type": "application/geo+json", "title": "Nächste Seite"})
    if offset > 0:
        links.append({"href": url("json", max(offset - limit, 0)), "rel": "prev",
                      "type": "application/geo+json", "title": "Vorige Seite"})
    return links


def item(request, name, item_id):
    entry = _entry_or_none(name)
    if entry is None:
        return _not_found(request)
    row = queries.row(entry.version.sha256, item_id)
    if row is None:
        return _not_found(request)
    base = _base(request)  # once: reversing and building the URL is a good part of an item
    href = f"{base}/collections/{name}/items/{item_id}"
    if _wants_html(request):
        return _html(request, "item.html", {"entry": entry, "id": item_id,
                                            "values": row.values()})
    links = json.dumps([
        *_links(href, f"Objekt {item_id}"),
        {"href": f"{base}/collections/{name}?f=json", "rel": "collection",
         "type": "application/json", "title": entry.dataset.title},
    ], ensure_ascii=False)
    feature = feature_json(row.id, row.lon, row.lat, row.props)
    body = f'{feature[:-1]},"links":{links}}}'
    response = HttpResponse(body.encode(), content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def openapi(request):
    base = _base(request)
    parameters = {
        "limit": {"name": "limit", "in": "query", "required": False,
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                             "default": DEFAULT_LIMIT}},
        "offset": {"name": "offset", "in": "query", "required": False,
                   "schema": {"type": "integer", "minimum": 0, "default": 0}},
        "bbox": {"name": "bbox", "in": "query", "required": False, "style": "form",
                 "explode": False, "schema": {"type": "array", "minItems": 4, "maxItems": 6,
                                              "items": {"type": "number"}}},
        "f": {"name": "f", "in": "query", "required": False,
              "schema": {"type": "string", "enum": ["json", "html"]}},
    }
    ok = {"200": {"description": "OK"}}
    paths = {
        "/": {"get": {"operationId": "getLandingPage", "summary": "Startseite",
                      "parameters": [parameters["f"]], "responses": ok}},
        "/conformance": {"get": {"operationId": "getConformance", "responses": ok,
                                 "summary": "Konformitätsklassen"}},
        "/collections": {"get": {"operationId": "getCollections", "responses": ok,
                                 "summary": "Sammlungen"}},
    }
    for entry in _entries():
        name = entry.dataset.name
        columns = queries.columns(entry.version.sha256)
        property_parameters = [
            {"name": c["name"], "in": "query", "required": False,
             "schema": {"type": {"integer": "integer", "decimal": "number",
                                 "boolean": "boolean"}.get(c["type"], "string")}}
            for c in columns if c["name"] not in RESERVED]
        paths[f"/collections/{name}"] = {"get": {
            "operationId": f"describe-{name}", "summary": entry.dataset.title,
            "responses": ok}}
        paths[f"/collections/{name}/items"] = {"get": {
            "operationId": f"items-{name}", "summary": f"Objekte: {entry.dataset.title}",
            "parameters": [parameters["limit"], parameters["offset"], parameters["bbox"],
                           parameters["f"], *property_parameters],
            "responses": ok}}
        paths[f"/collections/{name}/items/{{featureId}}"] = {"get": {
            "operationId": f"item-{name}", "summary": f"Ein Objekt: {entry.dataset.title}",
            "parameters": [{"name": "featureId", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {**ok, "404": {"description": "Nicht gefunden"}}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": f"Offene Daten – {request.authority.name}", "version": "1.0.0",
                 "description": "OGC API – Features, Teil 1"},
        "servers": [{"url": base}],
        "paths": paths,
    }
    return _json(document, content_type=OPENAPI_TYPE)
