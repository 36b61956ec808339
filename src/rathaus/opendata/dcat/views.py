"""DCAT-AP.de documents: /catalog.ttl|.rdf|.jsonld (paged with Hydra when the catalogue
is larger than a page) and /dataset/<name>.ttl|.rdf|.jsonld. The URIs /catalog and
/dataset/<name> that the documents describe answer with 303 See Other to the document
(or the HTML page) the client's Accept header prefers."""

import hashlib
import math
import re

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from rathaus.authorities.links import portal_url
from rathaus.authorities.selectors import portal_host

from ..store import selectors
from . import graph as dcat

PAGE_SIZE = 100
_PAGE = re.compile(r"[1-9][0-9]{0,8}")
MEDIA_TYPES = {"text/turtle": "ttl", "application/rdf+xml": "rdf",
               "application/ld+json": "jsonld"}


def site(request) -> dcat.Site:
    authority = request.authority
    # An authority without a host name of its own is served as the default authority:
    # then the address asked is all there is.
    base = (portal_url("", authority) if portal_host(authority)
            else request.build_absolute_uri("/"))
    return dcat.Site(authority=authority, base=base.rstrip("/"))


def _document(request, graph, extension: str, changed_at) -> HttpResponse:
    body = dcat.serialise(graph, extension)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    timestamp = int(changed_at.timestamp()) if changed_at else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(body, content_type=dcat.SERIALISATIONS[extension][1])
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalog(request, extension: str):
    raw = request.GET.get("page", "1")
    if not _PAGE.fullmatch(raw):
        raise Http404
    page = int(raw)
    total, entries = selectors.catalogue_page(offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages:
        raise Http404
    here = site(request)
    builder = dcat.Builder(here)
    changed_at = selectors.catalogue_changed_at()
    builder.catalog(entries, modified=changed_at)
    if pages > 1:
        # The next page from the host this one was read from: the public address of the
        # identifiers need not resolve for this client (an internal name, a proxy).
        path = reverse("dcat:catalog", args=[extension])
        builder.paging(page=page, pages=pages, total=total, size=PAGE_SIZE,
                       page_url=lambda number: request.build_absolute_uri(
                           f"{path}?page={number}"))
    return _document(request, builder.graph, extension, changed_at)


@require_safe
def dataset(request, name: str, extension: str):
    entry = selectors.published_entry(name)
    if entry is None:
        raise Http404
    builder = dcat.Builder(site(request))
    builder.dataset(entry)
    changed_at = max(entry.dataset.updated_at, entry.version.created_at)
    return _document(request, builder.graph, extension, changed_at)


def _negotiated(request, documents: str, page: str):
    chosen = request.get_preferred_type(["text/html", *MEDIA_TYPES])
    if chosen in MEDIA_TYPES:
        target = reverse(documents[0], args=[*documents[1:], MEDIA_TYPES[chosen]])
    else:
        target = page
    response = HttpResponseRedirect(target, status=303)
    response["Vary"] = "Accept"
    return response


@require_safe
def catalog_resource(request):
    return _negotiated(request, ("dcat:catalog",), reverse("opendata:catalogue"))


@require_safe
def dataset_resource(request, name: str):
    if selectors.published_entry(name) is None:
        raise Http404
    return _negotiated(request, ("dcat:dataset", name),
                       reverse("opendata:dataset", args=[name]))
