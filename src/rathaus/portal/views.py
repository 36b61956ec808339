"""The citizen-facing shell: home with service finder, legal pages."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from rathaus.catalog.selectors import published_services, search_examples

from .page_cache import cache_for_anonymous


@cache_for_anonymous
def home(request):
    query = request.GET.get("q", "").strip()[:200]
    services = published_services(query=query)
    return render(request, "portal/home.html", {
        "query": query, "services": services, "examples": search_examples(),
    })


def imprint(request):
    return render(request, "portal/imprint.html")


def privacy(request):
    return render(request, "portal/privacy.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")


def health(request):
    """For load balancers and monitoring: the process answers and reaches its database."""
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")
