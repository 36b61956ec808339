"""OParl 1.1 at /oparl/v1/: the System of the request's authority, its Body (when it
keeps council information), the body's lists and every object, and the files' bytes.

Public and read-only: JSON for anyone, browser applications on other origins included
(CORS), with a short shared cache. Everything is read through `visibility.py`
(`oparl.queryset`), so what is not public answers 404 like what does not exist."""

import json
from functools import wraps

from django.http import HttpResponse
from django.utils.translation import gettext as _

from rathaus.records.responses import document_response
from rathaus.records.selectors import latest_version

from . import oparl, visibility
from .models import Council
from .oparl_lists import DEFAULT_LIMIT, DEFAULT_LIMITS, BadListRequest, page

ALLOW = "GET, HEAD, OPTIONS"
CACHE = "public, max-age=60"


def _json(data: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                            status=status, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = CACHE if status == 200 else "no-store"
    return response


def _error(status: int, message: str) -> HttpResponse:
    return _json({"status": status, "message": message}, status=status)


def _not_found() -> HttpResponse:
    return _error(404, _("There is no such OParl object."))


def _gone() -> HttpResponse:
    return _error(410, _("This file has been deleted."))


def endpoint(view):
    """Only reading methods; OPTIONS is the CORS preflight."""
    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = response["Access-Control-Allow-Methods"] = ALLOW
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = "86400"
            return response
        if request.method not in ("GET", "HEAD"):
            response = _error(405, _("The OParl interface only reads: use GET."))
            response["Allow"] = ALLOW
            return response
        return view(request, *args, **kwargs)
    return answer


def _links(request) -> oparl.Links:
    return oparl.Links(request.build_absolute_uri("/oparl/v1/"))


def _website(request) -> str:
    return request.build_absolute_uri("/ratsinfo/")


def _council(pk=None) -> Council | None:
    """The authority's council information, if it keeps one (and it is `pk`)."""
    council = Council.objects.select_related("authority").first()
    if council is None or (pk is not None and council.pk != pk):
        return None
    return council


@endpoint
def system(request):
    return _json(oparl.system(authority=request.authority, links=_links(request),
                              website=_website(request)))


def _body(request, council: Council) -> dict:
    terms = visibility.legislative_terms().order_by("start_date", "id")
    return oparl.body(council, links=_links(request), terms=terms, website=_website(request))


@endpoint
def body_list(request):
    council = _council()
    links = _links(request)
    data = [_body(request, council)] if council is not None else []
    return _json({"data": data, "pagination": {"totalElements": len(data),
                                               "elementsPerPage": max(len(data), 1)},
                  "links": {"first": links.body_list()}})


@endpoint
def body_object(request, pk: int):
    council = _council(pk)
    return _not_found() if council is None else _json(_body(request, council))


@endpoint
def object_view(request, kind: str, pk: int):
    council = _council()
    if council is None:
        return _not_found()
    row = oparl.queryset(kind).filter(pk=pk).first()
    if row is None:
        return _not_found()
    return _json(oparl.to_oparl(kind, row, links=_links(request), council=council))


@endpoint
def list_view(request, body: int, kind: str):
    council = _council(body)
    if council is None:
        return _not_found()
    links = _links(request)
    try:
        found = page(oparl.queryset(kind), query=request.GET, url=links.list_of(council, kind),
                     default_limit=DEFAULT_LIMITS.get(kind, DEFAULT_LIMIT))
    except BadListRequest as refusal:
        return _error(400, str(refusal))
    data = {"data": [oparl.to_oparl(kind, row, links=links, council=council)
                     for row in found.rows],
            "pagination": {"elementsPerPage": found.limit},
            "links": {"first": found.first_url}}
    if found.next_url:
        data["links"]["next"] = found.next_url
    return _json(data)


@endpoint
def file_bytes(request, pk: int, how: str):
    """The bytes of a public file, as the eAkte keeps them: only while its latest
    version is the one described (a newer version in the eAkte is not yet published)."""
    document = visibility.files().select_related("document").filter(pk=pk).first()
    if document is None:
        if visibility.files(with_deleted=True).filter(pk=pk).exists():
            return _gone()  # it was public and is deleted: its stub names this URL
        return _not_found()
    version = latest_version(document.document)
    if version is None or version.sha256 != document.sha256:
        return _not_found()
    response = document_response(version, as_attachment=how == "download")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"  # public papers: no personal data
    return response
