"""The CKAN Action API (/api/3/action/<action>, also /api/action/ as CKAN answers it):
the read actions harvesters and the `ckanapi` client use. The organisation is the
authority whose host name was asked; themes are the groups; every published dataset
is a package with one resource per download format.

Answers use CKAN's envelope {"help", "success", "result"}; errors carry CKAN's
"__type" and status: 404 Not Found Error, 409 Validation Error, 400 for an unknown
action or a body that is not JSON, 429 over the rate limit (with Retry-After)."""

import re
import uuid

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from rathaus import request_json
from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited
from rathaus.rate_limits.responses import wait_text

from ..store.selectors import Entry, catalogue, facets, fold, matches
from ..vocabularies import LICENCES, THEMES

MAX_ROWS = 1000
CKAN_VERSION = "2.10.4"
_NAMESPACE = uuid.UUID("6f1c3c1e-8d0a-4d43-9a55-7d1e0f0a7a11")
MEDIA_TYPES = {"CSV": "text/csv", "JSON": "application/json",
               "GeoJSON": "application/geo+json"}
DOWNLOADS = {"CSV": "opendata:csv", "JSON": "opendata:json", "GeoJSON": "opendata:geojson"}


class NotFound(Exception):
    pass


class Invalid(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _iso(moment) -> str | None:
    return moment.replace(tzinfo=None).isoformat() if moment else None


def organization_dict(request, *, package_count: int | None = None) -> dict:
    authority = request.authority
    result = {
        "id": str(uuid.uuid5(_NAMESPACE, f"authority:{authority.slug}")),
        "name": authority.slug, "title": authority.name, "display_name": authority.name,
        "description": "", "type": "organization", "state": "active",
        "is_organization": True, "approval_status": "approved", "image_url": "",
        "created": _iso(authority.created_at),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def _group(code: str) -> dict:
    title = str(THEMES.get(code, code))
    return {"id": str(uuid.uuid5(_NAMESPACE, f"theme:{code}")), "name": code.lower(),
            "title": title, "display_name": title, "description": "", "image_url": "",
            "type": "group", "state": "active", "is_organization": False}


def package_dict(request, entry: Entry) -> dict:
    dataset, version = entry.dataset, entry.version
    base = request.build_absolute_uri("/")[:-1]
    licence = LICENCES.get(dataset.licence)
    resources = []
    for position, fmt in enumerate(entry.formats):
        resources.append({
            "id": str(uuid.uuid5(_NAMESPACE, f"{version.pk}:{fmt}")),
            "package_id": str(dataset.pk), "position": position, "state": "active",
            "name": f"{dataset.title} ({fmt})", "description": "", "format": fmt,
            "mimetype": MEDIA_TYPES[fmt],
            "url": base + reverse(DOWNLOADS[fmt], args=[dataset.name]),
            "size": version.csv_size if fmt == "CSV" else None,
            "hash": "", "created": _iso(version.created_at),
            "last_modified": _iso(version.created_at), "url_type": None,
        })
    return {
        "id": str(dataset.pk), "name": dataset.name, "title": dataset.title,
        "notes": dataset.description, "type": "dataset", "state": "active", "private": False,
        "url": base + reverse("opendata:dataset", args=[dataset.name]),
        "version": str(version.number),
        "license_id": dataset.licence, "license_title": licence.title if licence else "",
        "license_url": licence.uri if licence else "",
        "author": dataset.contact_name, "author_email": dataset.contact_email,
        "maintainer": dataset.contact_name, "maintainer_email": dataset.contact_email,
        "metadata_created": _iso(dataset.issued or dataset.created_at),
        "metadata_modified": _iso(dataset.modified or dataset.updated_at),
        "organization": organization_dict(request), "owner_org": organization_dict(request)["id"],
        "tags": [{"name": k, "display_name": k, "state": "active"} for k in dataset.keywords],
        "num_tags": len(dataset.keywords),
        "groups": [_group(dataset.theme)],
        "resources": resources, "num_resources": len(resources),
        "extras": [{"key": key, "value": value} for key, value in (
            ("spatial", dataset.spatial), ("temporal_start", _iso_date(dataset.temporal_start)),
            ("temporal_end", _iso_date(dataset.temporal_end)),
            ("frequency", dataset.frequency), ("issued", _iso(dataset.issued)),
        ) if value],
    }


def _iso_date(day) -> str:
    return day.isoformat() if day else ""


# --- Parameters -------------------------------------------------------------------------

def _int(params: dict, name: str, default: int, maximum: int | None = None) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Invalid({name: ["Invalid integer"]}) from None
    if value < 0:
        raise Invalid({name: ["Must be a natural number"]})
    return min(value, maximum) if maximum is not None else value


def _bool(params: dict, name: str) -> bool:
    value = params.get(name, False)
    return value is True or str(value).lower() in ("true", "1", "yes")


def _find(params: dict) -> Entry:
    wanted = str(params.get("id") or params.get("name") or "")
    if not wanted:
        raise Invalid({"id": ["Missing value"]})
    for entry in catalogue():
        if wanted in (entry.dataset.name, str(entry.dataset.pk)):
            return entry
    raise NotFound("Dataset not found")


# --- Actions ----------------------------------------------------------------------------

def package_list(request, params):
    names = sorted(e.dataset.name for e in catalogue())
    offset, limit = _int(params, "offset", 0), _int(params, "limit", len(names))
    return names[offset:offset + limit]


def package_show(request, params):
    return package_dict(request, _find(params))


def current_package_list_with_resources(request, params):
    entries = sorted(catalogue(), key=lambda e: e.version.created_at, reverse=True)
    offset, limit = _int(params, "offset", 0), _int(params, "limit", 10, MAX_ROWS)
    return [package_dict(request, e) for e in entries[offset:offset + limit]]


_FIELD_QUERY = re.compile(r'([+-]?)([\w.]+):("([^"]*)"|\S+)')
_FILTERS = {
    "tags": lambda e, v: v in e.dataset.keywords,
    "organization": lambda e, v: v == e.dataset.authority.slug,
    "res_format": lambda e, v: v.lower() in (f.lower() for f in e.formats),
    "groups": lambda e, v: v.lower() == e.dataset.theme.lower(),
    "license_id": lambda e, v: v == e.dataset.licence,
    "name": lambda e, v: v == e.dataset.name,
}
_SORT_KEYS = {
    "name": lambda e: e.dataset.name,
    "title_string": lambda e: fold(e.dataset.title),
    "metadata_modified": lambda e: e.dataset.modified or e.dataset.updated_at,
    "metadata_created": lambda e: e.dataset.issued or e.dataset.created_at,
}


def _field_filters(text: str) -> tuple[list, str]:
    """Solr-style `field:value` terms (with AND between them); the rest is free text."""
    filters = []
    for sign, name, _raw, quoted in ((m[1], m[2], m[3], m[4])
                                     for m in _FIELD_QUERY.finditer(text)):
        value = quoted if quoted is not None else _raw
        if name == "*" and value == "*":
            continue
        if name not in _FILTERS:
            raise Invalid({"fq": [f"Unknown field: {name}"]})
        filters.append((name, value, sign == "-"))
    rest = _FIELD_QUERY.sub(" ", text).replace("*:*", " ")
    rest = re.sub(r"\b(AND|OR)\b", " ", rest)
    return filters, rest


def _sorter(sort: str):
    keys = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        pieces = part.split()
        field, direction = pieces[0], (pieces[1].lower() if len(pieces) > 1 else "asc")
        if direction not in ("asc", "desc") or (field not in _SORT_KEYS and field != "score"):
            raise Invalid({"sort": [f"Cannot sort by {part}"]})
        if field != "score":
            keys.append((_SORT_KEYS[field], direction == "desc"))
    return keys


def package_search(request, params):
    rows = _int(params, "rows", 10, MAX_ROWS)
    start = _int(params, "start", 0)
    sort = str(params.get("sort") or "score desc, metadata_modified desc")
    keys = _sorter(sort)
    q_filters, text = _field_filters(str(params.get("q") or ""))
    fq_filters, _rest = _field_filters(str(params.get("fq") or ""))
    words = fold(text).split()
    found = [
        e for e in catalogue()
        if matches(e, words=words)
        and all(_FILTERS[name](e, value) != negate for name, value, negate
                in q_filters + fq_filters)
    ]
    for key, reverse_order in reversed(keys):
        found.sort(key=key, reverse=reverse_order)
    return {
        "count": len(found), "sort": sort,
        "results": [package_dict(request, e) for e in found[start:start + rows]],
        "facets": {}, "search_facets": _search_facets(request, params, found),
    }


def _search_facets(request, params, found) -> dict:
    raw = params.get("facet.field")
    if not raw:
        return {}
    try:
        wanted = request_json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        wanted = None
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        raise Invalid({"facet.field": ["Must be a JSON list of field names"]})
    counted = facets(found)
    items = {
        "tags": [(k, k, n) for k, n in counted["keyword"]],
        "res_format": [(k, k, n) for k, n in counted["format"]],
        "groups": [(code.lower(), str(label), n) for code, label, n in counted["theme"]],
        "license_id": [(k, str(label), n) for k, label, n in counted["licence"]],
        "organization": [(request.authority.slug, request.authority.name, len(found))]
        if found else [],
    }
    return {name: {"title": name, "items": [
        {"name": key, "display_name": label, "count": n} for key, label, n in items[name]]}
        for name in wanted if name in items}


def organization_list(request, params):
    if _bool(params, "all_fields"):
        return [organization_dict(request, package_count=len(catalogue()))]
    return [request.authority.slug]


def organization_show(request, params):
    wanted = str(params.get("id") or "")
    org = organization_dict(request, package_count=len(catalogue()))
    if wanted not in (org["name"], org["id"]):
        raise NotFound("Organization not found")
    if _bool(params, "include_datasets"):
        org["packages"] = [package_dict(request, e) for e in catalogue()]
    return org


def group_list(request, params):
    used = sorted({e.dataset.theme for e in catalogue()})
    if _bool(params, "all_fields"):
        counts = {code: n for code, _label, n in facets(catalogue())["theme"]}
        return [{**_group(code), "package_count": counts.get(code, 0)} for code in used]
    return [code.lower() for code in used]


def tag_list(request, params):
    query = fold(str(params.get("query") or ""))
    tags = sorted({k for e in catalogue() for k in e.dataset.keywords
                   if query in fold(k)})
    if _bool(params, "all_fields"):
        return [{"id": str(uuid.uuid5(_NAMESPACE, f"tag:{t}")), "name": t,
                 "vocabulary_id": None} for t in tags]
    return tags


def site_read(request, params):
    return True


def status_show(request, params):
    authority = request.authority
    return {
        "site_title": f"Offene Daten – {authority.name}",
        "site_description": "Open-Data-Portal von Rathaus",
        "site_url": request.build_absolute_uri("/")[:-1],
        "ckan_version": CKAN_VERSION, "error_emails_to": None, "locale_default": "de",
        "extensions": [],
    }


ACTIONS = {f.__name__: f for f in (
    package_list, package_show, package_search, organization_list, organization_show,
    group_list, tag_list, current_package_list_with_resources, site_read, status_show,
)}


# --- The endpoint -----------------------------------------------------------------------

def _answer(request, name, body: dict, status: int = 200) -> JsonResponse:
    help_url = request.build_absolute_uri(f"/api/3/action/help_show?name={name}")
    response = JsonResponse({"help": help_url, **body}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _params(request) -> dict:
    """GET parameters and the POSTed JSON object or form; `ValueError` (JsonRefused)
    for a body too large, nested too deeply or not an object."""
    params = request.GET.dict()
    if request.method == "POST":
        body = request_json.request_body(request)
        if not body:
            return params
        if request.content_type == "application/json" or body[:1] in (b"{", b"["):
            body = request_json.loads(body)
            if not isinstance(body, dict):
                raise ValueError("not an object")
            params.update(body)
        else:
            params.update(request.POST.dict())
    return params


def too_many_requests(request, refusal):
    """CKAN's error envelope for a client over the rate limit."""
    name = request.resolver_match.kwargs.get("name", "") if request.resolver_match else ""
    return _answer(request, name, {"success": False, "error": {
        "__type": "Rate Limit Error",
        "message": f"Too many requests - {wait_text(refusal.retry_after)}"}}, status=429)


@csrf_exempt
@rate_limited("api", methods=ALL_METHODS, respond=too_many_requests)
def action(request, name):
    if request.method not in ("GET", "POST"):
        return _answer(request, name, {"success": False, "error": {
            "__type": "Bad request - Action Error",
            "message": "Bad request - Use GET or POST"}}, status=405)
    handler = ACTIONS.get(name)
    if handler is None:
        return _answer(request, name, {"success": False, "error": {
            "__type": "Bad request - Action Error",
            "message": f"Bad request - Action name not known: {name}"}}, status=400)
    try:
        params = _params(request)
    except (ValueError, UnicodeDecodeError, SuspiciousOperation):
        # SuspiciousOperation: Django's TooManyFieldsSent and the like for a form body.
        return _answer(request, name, {"success": False, "error": {
            "__type": "Bad request - JSON Error",
            "message": "Bad request - JSON Error: could not read the request body"}},
            status=400)
    try:
        result = handler(request, params)
    except NotFound as error:
        return _answer(request, name, {"success": False, "error": {
            "__type": "Not Found Error", "message": f"Not found: {error}"}}, status=404)
    except Invalid as error:
        return _answer(request, name, {"success": False, "error": {
            "__type": "Validation Error",
            "message": "; ".join(f"{k}: {', '.join(v)}" for k, v in error.errors.items()),
            **error.errors}}, status=409)
    return _answer(request, name, {"success": True, "result": result})
