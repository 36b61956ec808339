"""The answers to a request over a limit: the German page for people, problem JSON for
machines. The decorator adds Retry-After to whichever is given."""

import math

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from .limiter import Refusal


def wait_text(seconds: int) -> str:
    """"in 40 seconds" / "in 3 minutes", for pages and JSON messages."""
    if seconds < 60:
        return ngettext("Please try again in %(count)d second.",
                        "Please try again in %(count)d seconds.", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("Please try again in %(count)d minute.",
                    "Please try again in %(count)d minutes.", minutes) % {"count": minutes}


def too_many_requests_page(request, refusal: Refusal):
    """The page in the site's layout. It names no address or account: whoever sees it
    may not be the person the limit counted."""
    return render(request, "errors/429.html", {"wait": wait_text(refusal.retry_after)},
                  status=429)


def too_many_requests_problem(request, refusal: Refusal):
    """RFC 9457 problem details, for machine interfaces without an error format of
    their own (DCAT-AP.de documents, downloads)."""
    response = JsonResponse(
        {"type": "about:blank", "title": "Too Many Requests", "status": 429,
         "detail": wait_text(refusal.retry_after)},
        status=429, content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # as the documents themselves
    return response


def too_many_requests_negotiated(request, refusal: Refusal):
    """The page for a browser (it asks for HTML), problem JSON for any other client."""
    if "text/html" in request.headers.get("Accept", ""):
        return too_many_requests_page(request, refusal)
    return too_many_requests_problem(request, refusal)
