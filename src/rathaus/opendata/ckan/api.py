"""The CKAN Action API (/api/3/action/<action>, also /api/action/ as CKAN answers it):
every read action that ckanext-harvest's CKAN harvester, ckanext-dcat and the
`ckanapi` client call. The organisation is the authority whose host name was asked;
themes are the groups; every published dataset is a package with one resource per
download format (shapes.py). `package_search` reads Solr's query syntax in q, fq and
fq_list (query.py) over the index fields of fields.py; what it cannot honour (a
field, a sort, date math) is refused with 409, never ignored.

Answers use CKAN's envelope {"help", "success", "result"}; errors carry CKAN's
"__type" and status: 404 Not Found Error, 409 Validation Error, 400 for an unknown
action or a body that is not JSON, 429 over the rate limit (with Retry-After)."""

from collections import Counter

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from rathaus import request_json
from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited
from rathaus.rate_limits.responses import wait_text

from ..store.selectors import Entry, catalogue, fold
from ..vocabularies import LICENCES
from . import query, shapes
from .fields import FACETS, FIELDS, SORT_KEYS, Record

MAX_ROWS = 1000
CKAN_VERSION = "2.10.4"
# Parameters a client may give more than once (GET ?facet.field=a&facet.field=b).
LIST_PARAMETERS = ("facet.field", "fq_list")


class NotFound(Exception):
    pass


class Invalid(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _base(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _packages(request, entries: list[Entry]) -> list[dict]:
    first = shapes.first_version_times(entries)
    return [shapes.package_dict(_base(request), request.authority, e,
                                first_created=first.get(e.dataset.pk)) for e in entries]


def _package(request, entry: Entry) -> dict:
    return _packages(request, [entry])[0]


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


def _wanted(params: dict) -> str:
    wanted = params.get("id") or params.get("name") or ""
    if not wanted or not isinstance(wanted, str):
        raise Invalid({"id": ["Missing value"]})
    return wanted


def _find(params: dict) -> Entry:
    wanted = _wanted(params)
    for entry in catalogue():
        if wanted in (entry.dataset.name, str(entry.dataset.pk)):
            return entry
    raise NotFound("Dataset not found")


def _strings(params: dict, name: str) -> list[str]:
    """A list parameter: repeated GET parameters, a JSON list, or one plain value."""
    raw = params.get(name)
    if raw in (None, "", []):
        return []
    if isinstance(raw, str) and raw.lstrip().startswith("["):
        try:
            raw = request_json.loads(raw)
        except ValueError:
            raise Invalid({name: ["Must be a JSON list of strings"]}) from None
    values = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(v, str) for v in values):
        raise Invalid({name: ["Must be a list of strings"]})
    return values


# --- Actions ----------------------------------------------------------------------------

def package_list(request, params):
    names = sorted(e.dataset.name for e in catalogue())
    offset, limit = _int(params, "offset", 0), _int(params, "limit", len(names))
    return names[offset:offset + limit]


def package_show(request, params):
    return _package(request, _find(params))


def current_package_list_with_resources(request, params):
    entries = sorted(catalogue(), key=lambda e: e.version.created_at, reverse=True)
    offset, limit = _int(params, "offset", 0), _int(params, "limit", 10, MAX_ROWS)
    return _packages(request, entries[offset:offset + limit])


def _sorter(sort: str) -> list:
    keys = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        pieces = part.split()
        field, direction = pieces[0], (pieces[1].lower() if len(pieces) > 1 else "asc")
        if (len(pieces) > 2 or direction not in ("asc", "desc")
                or (field not in SORT_KEYS and field != "score")):
            raise Invalid({"sort": [f"Cannot sort by {part}; sortable: score, "
                                    + ", ".join(sorted(SORT_KEYS))]})
        if field != "score":  # every package matches equally well: no score to sort by
            keys.append((SORT_KEYS[field], direction == "desc"))
    return keys


def _filter(params: dict, name: str, text) -> query.Test:
    if not isinstance(text, str):
        raise Invalid({name: ["Must be a string"]})
    try:
        return query.parse(text, FIELDS)
    except query.Unreadable as error:
        raise Invalid({name: [f"Search Query is invalid: {error}"]}) from None


def package_search(request, params):
    rows = _int(params, "rows", 10, MAX_ROWS)
    start = _int(params, "start", 0)
    sort = params.get("sort") or "score desc, metadata_modified desc"
    if not isinstance(sort, str):
        raise Invalid({"sort": ["Must be a string"]})
    keys = _sorter(sort)
    tests = [_filter(params, "q", params.get("q") or ""),
             _filter(params, "fq", params.get("fq") or "")]
    tests += [_filter(params, "fq_list", fq) for fq in _strings(params, "fq_list")]
    facet_fields = _facet_fields(params)
    found = [r for r in (Record(e, request.authority) for e in catalogue())
             if all(test(r) for test in tests)]
    for key, descending in reversed(keys):
        found.sort(key=key, reverse=descending)
    search_facets = _search_facets(params, facet_fields, found)
    return {
        "count": len(found), "sort": sort,
        "results": _packages(request, [r.entry for r in found[start:start + rows]]),
        "facets": {name: {item["name"]: item["count"] for item in facet["items"]}
                   for name, facet in search_facets.items()},
        "search_facets": search_facets,
    }


def _facet_fields(params: dict) -> list[str]:
    if str(params.get("facet", "true")).lower() == "false":
        return []
    wanted = _strings(params, "facet.field")
    unknown = [name for name in wanted if name not in FACETS]
    if unknown:
        raise Invalid({"facet.field": [f"Cannot count by {', '.join(unknown)}; "
                                       "countable: " + ", ".join(sorted(FACETS))]})
    return wanted


def _search_facets(params: dict, wanted: list[str], found: list[Record]) -> dict:
    raw = params.get("facet.limit")
    try:
        limit = 50 if raw in (None, "") else int(raw)  # below 0: no limit, as in Solr
    except (TypeError, ValueError):
        raise Invalid({"facet.limit": ["Invalid integer"]}) from None
    mincount = _int(params, "facet.mincount", 1)
    result = {}
    for name in wanted:
        counts, labels = Counter(), {}
        for record in found:
            for key, label in FACETS[name](record):
                counts[key] += 1
                labels[key] = label
        items = sorted(((k, n) for k, n in counts.items() if n >= mincount),
                       key=lambda item: (-item[1], item[0]))
        if limit >= 0:
            items = items[:limit]
        result[name] = {"title": name, "items": [
            {"name": key, "display_name": labels[key], "count": n} for key, n in items]}
    return result


def resource_show(request, params):
    wanted = _wanted(params)
    entries = catalogue()
    for entry in entries:
        for fmt in entry.formats:
            if wanted == shapes.resource_id(entry.dataset, fmt):
                package = _package(request, entry)
                return next(r for r in package["resources"] if r["id"] == wanted)
    raise NotFound("Resource was not found.")


def organization_list(request, params):
    if _bool(params, "all_fields"):
        return [shapes.organization_dict(request.authority, package_count=len(catalogue()))]
    return [request.authority.slug]


def organization_show(request, params):
    wanted = _wanted(params)
    entries = catalogue()
    org = shapes.organization_dict(request.authority, package_count=len(entries))
    if wanted not in (org["name"], org["id"]):
        raise NotFound("Organization not found")
    if _bool(params, "include_datasets"):
        org["packages"] = _packages(request, entries)
    return org


def _themes(entries: list[Entry]) -> Counter:
    return Counter(e.dataset.theme for e in entries)


def group_list(request, params):
    counts = _themes(catalogue())
    if _bool(params, "all_fields"):
        return [shapes.group_dict(code, package_count=counts[code]) for code in sorted(counts)]
    return [code.lower() for code in sorted(counts)]


def group_show(request, params):
    wanted = _wanted(params)
    entries = catalogue()
    for code, count in _themes(entries).items():
        group = shapes.group_dict(code, package_count=count)
        if wanted in (group["name"], group["id"]):
            if _bool(params, "include_datasets"):
                group["packages"] = _packages(
                    request, [e for e in entries if e.dataset.theme == code])
            return group
    raise NotFound("Group not found")


def tag_list(request, params):
    wanted = params.get("query") or ""
    if not isinstance(wanted, str):
        raise Invalid({"query": ["Must be a string"]})
    tags = sorted({k for e in catalogue() for k in e.dataset.keywords
                   if fold(wanted) in fold(k)})
    if _bool(params, "all_fields"):
        return [shapes.tag_dict(t) for t in tags]
    return tags


def tag_show(request, params):
    wanted = _wanted(params)
    entries = catalogue()
    for name in sorted({k for e in entries for k in e.dataset.keywords}):
        if wanted in (name, shapes.tag_id(name)):
            tag = shapes.tag_dict(name)
            if _bool(params, "include_datasets"):
                tag["packages"] = _packages(
                    request, [e for e in entries if name in e.dataset.keywords])
            return tag
    raise NotFound("Could not find tag")


def license_list(request, params):
    return [shapes.licence_dict(licence) for licence in LICENCES.values()]


def site_read(request, params):
    return True


def status_show(request, params):
    authority = request.authority
    return {
        "site_title": f"Offene Daten – {authority.name}",
        "site_description": "Open-Data-Portal von Rathaus",
        "site_url": _base(request),
        "ckan_version": CKAN_VERSION, "error_emails_to": None, "locale_default": "de",
        "extensions": [],
    }


def help_show(request, params):
    name = params.get("name")
    if not isinstance(name, str) or not name:
        raise Invalid({"name": ["Missing value"]})
    if name not in ACTIONS:
        raise NotFound(f"Action function not found: {name}")
    return HELP[name]


HELP = {
    "package_list": "Return a list of the names of the site's datasets.",
    "package_show": "Return the metadata of a dataset and its resources (id or name).",
    "package_search": "Search for datasets: q, fq, fq_list, sort, rows, start, "
                      "facet, facet.field, facet.limit, facet.mincount.",
    "resource_show": "Return the metadata of a resource (id).",
    "organization_list": "Return the names of the site's organizations.",
    "organization_show": "Return the details of an organization (id or name).",
    "group_list": "Return the names of the site's groups.",
    "group_show": "Return the details of a group (id or name).",
    "tag_list": "Return the names of the site's tags.",
    "tag_show": "Return the details of a tag (id or name).",
    "license_list": "Return the list of licenses available for datasets on the site.",
    "current_package_list_with_resources": "Return the datasets, newest first, "
                                           "with their resources.",
    "site_read": "Return True: the site may be read.",
    "status_show": "Return the site's title, CKAN version and extensions.",
    "help_show": "Return the help string of an action (name).",
}

ACTIONS = {f.__name__: f for f in (
    package_list, package_show, package_search, resource_show, organization_list,
    organization_show, group_list, group_show, tag_list, tag_show, license_list,
    current_package_list_with_resources, site_read, status_show, help_show,
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
    params = {key: values if key in LIST_PARAMETERS and len(values) > 1 else values[-1]
              for key, values in request.GET.lists()}
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
