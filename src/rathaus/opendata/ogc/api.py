"""OGC API – Features, Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) under /ogc/: every
published dataset with point coordinates is a collection. Items come straight from the
version's store (queries.py): a page is a primary-key range or an R-tree query, and
each feature is assembled from the stored JSON text without decoding it.

JSON is the default (OWSLib sends no Accept header); `f=html` or a browser's
`Accept: text/html` gives HTML pages. Every view goes through answers.endpoint (methods,
`f`, unknown parameters, 400s); parameters.py reads the query strictly. Over the rate
limit: 429 with Retry-After, as an exception document (or the 429 page for HTML)."""

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..store import queries, selectors
from ..vocabularies import LICENCES
from . import crs, schemas
from . import filters as cql
from . import openapi as openapi_document
from . import parameters as params
from .answers import (
    DOCUMENT,
    FEATURES,
    endpoint,
    json_answer,
    not_found,
)
from .openapi import DEFAULT_LIMIT, MAX_LIMIT, OPENAPI_TYPE

MAX_OFFSET = 2**53  # beyond any table; keeps SQLite's 64-bit integers from overflowing
CRS84 = params.CRS84
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    crs.CONFORMANCE,
    # CQL2 filters (filters.py; what is supported: docs/decisions/0025). POLYGON and
    # MULTIPOLYGON work too, but not every geometry of basic-spatial-functions-plus.
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
]
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
ITEMS_PARAMETERS = {"f", "limit", "offset", "bbox", "bbox-crs", "datetime", "crs",
                    *cql.PARAMETERS}


def _html_wanted(request, formats=DOCUMENT) -> bool:
    return params.output_format(request, formats) == "html"


def _base(request) -> str:
    return request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")


def _html(request, template: str, context: dict) -> HttpResponse:
    return render(request, f"opendata/ogc/{template}", context)


def _links(href: str, title: str, rel_json="self", rel_html="alternate") -> list[dict]:
    return [
        {"href": f"{href}?f=json", "rel": rel_json, "type": "application/json", "title": title},
        {"href": f"{href}?f=html", "rel": rel_html, "type": "text/html", "title": title},
    ]


@endpoint()
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
    if _html_wanted(request):
        return _html(request, "landing.html", {"data": data, "base": base})
    return json_answer(data)


@endpoint()
def conformance(request):
    data = {"conformsTo": CONFORMANCE}
    if _html_wanted(request):
        return _html(request, "conformance.html", {"data": data})
    return json_answer(data)


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
        "keywords": dataset.keywords, "itemType": "feature", "crs": list(crs.SUPPORTED),
        "storageCrs": crs.STORAGE_CRS,
        "extent": {"spatial": {"bbox": [list(version.bbox)], "crs": CRS84}},
        "links": [
            *_links(href, dataset.title),
            {"href": f"{href}/items?f=json", "rel": "items", "type": "application/geo+json",
             "title": "Objekte"},
            {"href": f"{href}/items?f=html", "rel": "items", "type": "text/html",
             "title": "Objekte"},
            {"href": f"{href}/queryables", "rel": QUERYABLES_REL,
             "type": "application/schema+json", "title": "Abfragbare Spalten"},
            {"href": _licence_uri(dataset), "rel": "license", "type": "text/html",
             "title": dataset.get_licence_display()},
        ],
    }


def _licence_uri(dataset) -> str:
    licence = LICENCES.get(dataset.licence)
    return licence.uri if licence else ""


@endpoint()
def collections(request):
    base = _base(request)
    data = {"links": _links(f"{base}/collections", "Sammlungen"),
            "collections": [_collection(base, e) for e in _entries()]}
    if _html_wanted(request):
        return _html(request, "collections.html", {"data": data})
    return json_answer(data)


@endpoint()
def collection(request, name):
    entry = _entry_or_none(name)
    if entry is None:
        return not_found(request)
    data = _collection(_base(request), entry)
    if _html_wanted(request):
        return _html(request, "collection.html", {"data": data})
    return json_answer(data)


@endpoint()
def queryables(request, name):
    """OGC API – Features Part 3: the columns a query parameter filters on, as a JSON
    Schema (OWSLib's collection_queryables; QGIS and GDAL read it for filters)."""
    entry = _entry_or_none(name)
    if entry is None:
        return not_found(request)
    href = f"{_base(request)}/collections/{name}/queryables"
    data = schemas.queryables(entry.version, href=href, title=entry.dataset.title)
    if _html_wanted(request):
        return _html(request, "queryables.html", {"entry": entry, "data": data})
    return json_answer(data, content_type="application/schema+json")


def _filters(request, version) -> dict:
    """The column parameters, each converted to its column's type (or refused)."""
    declared = {c["name"]: c["type"] for c in schemas.queryable_columns(version)}
    params.check_names(request, ITEMS_PARAMETERS | set(declared))
    return {name: params.property_value(name, value, declared[name])
            for name, value in request.GET.items() if name in declared}


def _during(request, version) -> tuple[str, str | None, str | None] | None:
    """`datetime` on the collection's date column: there must be exactly one."""
    raw = request.GET.get("datetime")
    if raw is None:
        return None
    interval = params.datetime_interval(raw)
    dates = schemas.date_columns(version)
    if not dates:
        raise params.BadRequest(_("datetime cannot be applied: this collection has no "
                                  "date column."))
    if len(dates) > 1:
        raise params.BadRequest(
            _("datetime cannot be applied: this collection has several date columns "
              "(%(names)s) and none is declared as its time. Filter on one of them "
              "by name instead.") % {"names": ", ".join(dates)})
    return dates[0], interval.first, interval.last


@endpoint(formats=FEATURES, parameters=None)
def items(request, name):
    entry = _entry_or_none(name)
    if entry is None:
        return not_found(request)
    version = entry.version
    filters = _filters(request, version)
    limit = params.whole_number(request, "limit", DEFAULT_LIMIT, smallest=1, largest=MAX_LIMIT)
    offset = params.whole_number(request, "offset", 0, smallest=0, largest=MAX_OFFSET)
    target = crs.requested(request)
    box = crs.bbox(request)
    during = _during(request, version)
    condition = cql.condition(request, version)
    found = queries.page(version.sha256, row_count=version.row_count, limit=limit,
                         offset=offset, bbox=box and box.envelope, filters=filters,
                         during=during, exact=box and box.exact, condition=condition)
    href = f"{_base(request)}/collections/{name}/items"
    query = {k: v for k, v in request.GET.items() if k not in ("f", "offset")}
    links = _page_links(href, query, offset, limit, len(found.rows), found.number_matched)
    if _html_wanted(request, FEATURES):
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
    features = ",".join(crs.features(found.rows, target))
    body = f'{head[:-1]},"features":[{features}]}}'
    return _geojson(body, target)


def _geojson(body: str, target: str) -> HttpResponse:
    response = HttpResponse(body.encode(), content_type="application/geo+json")
    response["Content-Crs"] = crs.content_crs(target)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_links(href, query, offset, limit, returned, matched) -> list[dict]:
    def url(f, start):
        parameters = {**query, "f": f, **({"offset": start} if start else {})}
        return f"{href}?{urlencode(parameters)}"

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


@endpoint(formats=FEATURES, parameters=frozenset({"f", "crs"}))
def item(request, name, item_id):
    entry = _entry_or_none(name)
    if entry is None:
        return not_found(request)
    target = crs.requested(request)
    row = queries.row(entry.version.sha256, item_id)
    if row is None:
        return not_found(request)
    base = _base(request)  # once: reversing and building the URL is a good part of an item
    href = f"{base}/collections/{name}/items/{item_id}"
    if _html_wanted(request, FEATURES):
        return _html(request, "item.html", {"entry": entry, "id": item_id,
                                            "values": row.values()})
    links = json.dumps([
        *_links(href, f"Objekt {item_id}"),
        {"href": f"{base}/collections/{name}?f=json", "rel": "collection",
         "type": "application/json", "title": entry.dataset.title},
    ], ensure_ascii=False)
    feature = next(crs.features([row], target))
    body = f'{feature[:-1]},"links":{links}}}'
    return _geojson(body, target)


@endpoint(formats=("json",))
def openapi(request):
    document = openapi_document.document(
        base=_base(request), title=f"Offene Daten – {request.authority.name}",
        entries=_entries())
    return json_answer(document, content_type=OPENAPI_TYPE)


def unknown(request, rest):
    """Any other path under /ogc/, whatever the method or parameters: an OGC exception,
    not the site's HTML page."""
    return not_found(request)
