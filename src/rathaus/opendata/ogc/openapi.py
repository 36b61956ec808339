"""The OpenAPI 3.0 document of the OGC API (/ogc/api): every path with its parameters
and the schema of every answer, 400 and 404 included.

Each collection has its own paths, with its columns as query parameters of its items:
GDAL's OGC API driver sends a `-where` equality to the server only for a parameter
declared there, and filters everything else itself."""

from .crs import STORAGE_CRS, SUPPORTED
from .schemas import column_schema, queryable_columns

OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_LIMIT, MAX_LIMIT = 10, 10_000
REF = "#/components/"


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"{REF}{kind}/{name}"}


def _format_parameter(formats: list[str]) -> dict:
    return {"name": "f", "in": "query", "required": False,
            "description": "Ausgabeformat", "schema": {"type": "string", "enum": formats}}


PARAMETERS = {
    "f-document": _format_parameter(["json", "html"]),
    "f-features": _format_parameter(["json", "geojson", "html"]),
    "f-api": _format_parameter(["json"]),
    "limit": {"name": "limit", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                         "default": DEFAULT_LIMIT}},
    "offset": {"name": "offset", "in": "query", "required": False,
               "schema": {"type": "integer", "minimum": 0, "default": 0}},
    "bbox": {"name": "bbox", "in": "query", "required": False, "style": "form",
             "explode": False, "schema": {"type": "array", "minItems": 4, "maxItems": 6,
                                          "items": {"type": "number"}}},
    "bbox-crs": {"name": "bbox-crs", "in": "query", "required": False,
                 "description": "Koordinatensystem von bbox (Teil 2); ohne: CRS84",
                 "schema": {"type": "string", "format": "uri", "enum": list(SUPPORTED),
                            "default": STORAGE_CRS}},
    "crs": {"name": "crs", "in": "query", "required": False,
            "description": "Koordinatensystem der Geometrien in der Antwort (Teil 2): "
                           "CRS84 (Länge, Breite) oder EPSG:25832, ETRS89 / UTM Zone 32N "
                           "(Ostwert, Nordwert in Metern); die Antwort nennt es im "
                           "Kopf Content-Crs",
            "schema": {"type": "string", "format": "uri", "enum": list(SUPPORTED),
                       "default": STORAGE_CRS}},
    "datetime": {"name": "datetime", "in": "query", "required": False,
                 "description": "Ein Tag oder Zeitpunkt (RFC 3339) oder ein Intervall "
                                "a/b, ../b, a/.. auf der Datumsspalte der Sammlung",
                 "schema": {"type": "string"}},
    "filter": {"name": "filter", "in": "query", "required": False,
               "description": "Filter in CQL2 (OGC API – Features, Teil 3): Vergleiche, "
                              "AND/OR/NOT, LIKE, IN, BETWEEN, IS NULL, S_INTERSECTS mit "
                              "BBOX, POINT oder POLYGON auf der Eigenschaft geometry, "
                              "T_BEFORE/T_AFTER/T_EQUALS/T_DURING/T_DISJOINT auf "
                              "Datumsspalten (in CQL2 JSON). Eigenschaften: die "
                              "abfragbaren Spalten (queryables).",
               "schema": {"type": "string"}},
    "filter-lang": {"name": "filter-lang", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"],
                               "default": "cql2-text"}},
    "filter-crs": {"name": "filter-crs", "in": "query", "required": False,
                   "schema": {"type": "string", "format": "uri",
                              "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]}},
    "featureId": {"name": "featureId", "in": "path", "required": True,
                  "schema": {"type": "integer", "minimum": 1}},
}

ITEMS = ("limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang",
         "filter-crs", "f-features")

_LINK = {"type": "object", "required": ["href", "rel"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"},
    "title": {"type": "string"}}}
_LINKS = {"type": "array", "items": _ref("schemas", "link")}
_POINT = {"type": "object", "nullable": True, "required": ["type", "coordinates"],
          "properties": {"type": {"type": "string", "enum": ["Point"]},
                         "coordinates": {"type": "array", "minItems": 2, "maxItems": 2,
                                         "items": {"type": "number"}}}}
SCHEMAS = {
    "exception": {"type": "object", "required": ["code"], "properties": {
        "code": {"type": "string"}, "description": {"type": "string"}}},
    "link": _LINK,
    "landingPage": {"type": "object", "required": ["links"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"}, "links": _LINKS}},
    "confClasses": {"type": "object", "required": ["conformsTo"], "properties": {
        "conformsTo": {"type": "array", "items": {"type": "string"}}}},
    "collection": {"type": "object", "required": ["id", "links"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"},
        "description": {"type": "string"},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "itemType": {"type": "string"}, "crs": {"type": "array", "items": {"type": "string"}},
        "storageCrs": {"type": "string"},
        "extent": {"type": "object"}, "links": _LINKS}},
    "collections": {"type": "object", "required": ["links", "collections"], "properties": {
        "links": _LINKS, "collections": {"type": "array",
                                         "items": _ref("schemas", "collection")}}},
    "queryables": {"type": "object", "required": ["type", "properties"], "properties": {
        "$schema": {"type": "string"}, "$id": {"type": "string"},
        "type": {"type": "string", "enum": ["object"]}, "title": {"type": "string"},
        "properties": {"type": "object"}, "additionalProperties": {"type": "boolean"}}},
    "pointGeoJSON": _POINT,
}
_HTML = {"text/html": {"schema": {"type": "string"}}}
_EXCEPTION = {"application/json": {"schema": _ref("schemas", "exception")}}
RESPONSES = {
    "InvalidParameter": {"description": "Ein Parameter ist unbekannt oder sein Wert "
                                        "ungültig.", "content": {**_EXCEPTION, **_HTML}},
    "NotFound": {"description": "Nicht gefunden", "content": {**_EXCEPTION, **_HTML}},
}


_CONTENT_CRS = {"Content-Crs": {
    "description": "Koordinatensystem der Geometrien, als URI in spitzen Klammern",
    "schema": {"type": "string"}}}


def _ok(description: str, media_type: str, schema: dict, html: bool = True,
        headers: dict | None = None) -> dict:
    content = {media_type: {"schema": schema}, **(_HTML if html else {})}
    return {"description": description, "content": content, **(
        {"headers": headers} if headers else {})}


def _responses(ok: dict, *, not_found: bool = False) -> dict:
    answers = {"200": ok, "400": _ref("responses", "InvalidParameter")}
    if not_found:
        answers["404"] = _ref("responses", "NotFound")
    return answers


def _feature(properties: dict) -> dict:
    return {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "integer"},
        "geometry": _ref("schemas", "pointGeoJSON"),
        "properties": {"type": "object", "properties": properties}, "links": _LINKS}}


def _collection_paths(name: str, title: str, version) -> dict:
    columns = queryable_columns(version)
    properties = {c["name"]: {**column_schema(c), "nullable": True} for c in columns}
    feature = _feature(properties)
    collection = {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": feature},
        "links": _LINKS, "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
        "timeStamp": {"type": "string", "format": "date-time"}}}
    column_parameters = [{"name": c["name"], "in": "query", "required": False,
                          "schema": column_schema(c)} for c in columns]
    document = [_ref("parameters", "f-document")]
    return {
        f"/collections/{name}": {"get": {
            "operationId": f"describe-{name}", "summary": title, "parameters": document,
            "responses": _responses(_ok("Die Sammlung", "application/json",
                                        _ref("schemas", "collection")), not_found=True)}},
        f"/collections/{name}/queryables": {"get": {
            "operationId": f"queryables-{name}", "summary": f"Abfragbare Spalten: {title}",
            "parameters": document,
            "responses": _responses(_ok("JSON Schema der abfragbaren Spalten",
                                        "application/schema+json",
                                        _ref("schemas", "queryables")), not_found=True)}},
        f"/collections/{name}/items": {"get": {
            "operationId": f"items-{name}", "summary": f"Objekte: {title}",
            "parameters": [_ref("parameters", p) for p in ITEMS] + column_parameters,
            "responses": _responses(_ok("Objekte", "application/geo+json", collection,
                                        headers=_CONTENT_CRS), not_found=True)}},
        f"/collections/{name}/items/{{featureId}}": {"get": {
            "operationId": f"item-{name}", "summary": f"Ein Objekt: {title}",
            "parameters": [_ref("parameters", "featureId"), _ref("parameters", "crs"),
                           _ref("parameters", "f-features")],
            "responses": _responses(_ok("Ein Objekt", "application/geo+json", feature,
                                        headers=_CONTENT_CRS), not_found=True)}},
    }


def document(*, base: str, title: str, entries) -> dict:
    """The OpenAPI document for the collections `entries` (store Entries)."""
    paths = {
        "/": {"get": {"operationId": "getLandingPage", "summary": "Startseite",
                      "parameters": [_ref("parameters", "f-document")],
                      "responses": _responses(_ok("Startseite", "application/json",
                                                  _ref("schemas", "landingPage")))}},
        "/api": {"get": {"operationId": "getApi", "summary": "Diese API-Beschreibung",
                         "parameters": [_ref("parameters", "f-api")],
                         "responses": _responses(_ok("OpenAPI 3.0", OPENAPI_TYPE,
                                                     {"type": "object"}, html=False))}},
        "/conformance": {"get": {"operationId": "getConformance",
                                 "summary": "Konformitätsklassen",
                                 "parameters": [_ref("parameters", "f-document")],
                                 "responses": _responses(_ok(
                                     "Konformitätsklassen", "application/json",
                                     _ref("schemas", "confClasses")))}},
        "/collections": {"get": {"operationId": "getCollections", "summary": "Sammlungen",
                                 "parameters": [_ref("parameters", "f-document")],
                                 "responses": _responses(_ok(
                                     "Sammlungen", "application/json",
                                     _ref("schemas", "collections")))}},
    }
    for entry in entries:
        paths.update(_collection_paths(entry.dataset.name, entry.dataset.title, entry.version))
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0.0",
                 "description": "OGC API – Features, Teil 1, Koordinatensysteme aus "
                                "Teil 2 und die abfragbaren Spalten aus Teil 3"},
        "servers": [{"url": base}],
        "paths": paths,
        "components": {"parameters": PARAMETERS, "schemas": SCHEMAS, "responses": RESPONSES},
    }

