"""How the OGC API answers, whatever the resource: JSON documents, OGC exceptions
({"code", "description"}) for errors unless HTML was asked for, and the `endpoint`
wrapper every view goes through.

The wrapper answers what the views need not know about: only GET and HEAD read (405
with Allow otherwise; OPTIONS is the CORS preflight of a browser application on
another origin), `f` is one of the resource's formats, every query parameter is
declared, and a BadRequest from the parameters becomes 400 with its message."""

from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from rathaus.rate_limits.responses import too_many_requests_page, wait_text

from .parameters import BadRequest, check_names, output_format

DOCUMENT = ("json", "html")
FEATURES = ("json", "geojson", "html")
ALLOW = "GET, HEAD, OPTIONS"


def wants_html(request) -> bool:
    """For requests that may not have passed the wrapper's check of `f`: HTML only when
    `f=html`, or a browser's Accept header without `f`."""
    f = request.GET.get("f")
    if f is not None:
        return f == "html"
    return "text/html" in request.headers.get("Accept", "")


def json_answer(data: dict, status: int = 200, content_type="application/json") -> HttpResponse:
    response = JsonResponse(data, status=status, content_type=content_type,
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(status: int, code: str, description: str) -> HttpResponse:
    return json_answer({"code": code, "description": description}, status=status)


def not_found(request, *args, **kwargs):
    """Anything under /ogc/ that does not exist, a collection or item included."""
    if wants_html(request):
        raise Http404
    return error(404, "NotFound", _("There is no such collection or item."))


def bad_request(request, message: str) -> HttpResponse:
    if wants_html(request):
        return render(request, "opendata/ogc/error.html", {"message": message}, status=400)
    return error(400, "InvalidParameterValue", message)


def too_many_requests(request, refusal) -> HttpResponse:
    if wants_html(request):
        return too_many_requests_page(request, refusal)
    return error(429, "TooManyRequests", wait_text(refusal.retry_after))


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOW
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOW
    response["Access-Control-Allow-Headers"] = "*"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _method_not_allowed(request) -> HttpResponse:
    response = error(405, "MethodNotAllowed",
                     _("The OGC API only reads: use GET (or HEAD)."))
    response["Allow"] = ALLOW
    return response


def endpoint(*, formats: tuple[str, ...] = DOCUMENT, parameters=frozenset({"f"})):
    """Wraps an OGC API view. `parameters`: the query parameters it declares, or None
    when the view checks them itself (the items, whose columns are parameters)."""
    def wrap(view):
        @wraps(view)
        def answer(request, *args, **kwargs):
            if request.method == "OPTIONS":
                return _preflight()
            if request.method not in ("GET", "HEAD"):
                return _method_not_allowed(request)
            try:
                output_format(request, formats)
                if parameters is not None:
                    check_names(request, set(parameters))
                return view(request, *args, **kwargs)
            except BadRequest as refused:
                return bad_request(request, str(refused))
        return answer
    return wrap
