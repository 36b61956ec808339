"""The citizen-facing shell: home with service finder, legal pages, Leichte Sprache."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from rathaus.assets.reports import reportable_cadastres
from rathaus.catalog.life_events import LIFE_EVENTS
from rathaus.catalog.selectors import (
    life_events_offered,
    offered_service,
    published_services,
    search_examples,
    services_for_life_event,
)
from rathaus.council.public_selectors import is_offered as council_information_offered
from rathaus.finder.selectors import MAX_QUERY_LENGTH, find_services, suggestions
from rathaus.opendata.store.selectors import published_entry
from rathaus.satisfaction import open_data as satisfaction_open_data
from rathaus.satisfaction import selectors as satisfaction

from .page_cache import cache_for_anonymous


@cache_for_anonymous
def home(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    # Without a query: every service, by title; with one: the finder's, best first.
    services = find_services(query) if query else published_services()
    published = published_entry(satisfaction_open_data.DATASET) is not None
    return render(request, "portal/home.html", {
        "query": query, "services": services, "examples": search_examples(),
        "life_events": life_events_offered(),
        "satisfaction": satisfaction.last_twelve_months(),
        "satisfaction_url": reverse("opendata:dataset", args=[satisfaction_open_data.DATASET])
        if published else "",
        "cadastres": {name for name, _label in reportable_cadastres()},
        "council_information": council_information_offered(),
    })


@require_GET
def search_suggestions(request):
    """Services for what is being typed into the search field, as a list of links that
    htmx puts under the field. Without htmx (no script, a bookmark) the visitor gets
    the results page of the same query instead of a page fragment."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    if request.headers.get("HX-Request") != "true":
        url = reverse("portal:home")
        response = redirect(f"{url}?{urlencode({'q': query.strip()})}" if query.strip() else url)
    else:
        response = render(request, "portal/includes/search_suggestions.html", {
            "query": query.strip(), "services": suggestions(query) if query.strip() else [],
        })
    patch_vary_headers(response, ["HX-Request"])
    return response


@cache_for_anonymous
def life_events(request):
    return render(request, "portal/life_events.html", {"life_events": life_events_offered()})


@cache_for_anonymous
def life_event(request, slug):
    event = LIFE_EVENTS.get(slug)
    services = services_for_life_event(slug) if event else []
    if not services:
        raise Http404
    return render(request, "portal/life_event.html", {"event": event, "services": services})


def imprint(request):
    return render(request, "portal/imprint.html")


def privacy(request):
    return render(request, "portal/privacy.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")


def easy_language(request):
    """The portal in Leichte Sprache, with every service offered: those whose definition
    brings a Leichte Sprache text link to it, the others are still listed."""
    services = [(service, service.definition.easy_language if service.definition else None)
                for service in published_services()]
    return render(request, "portal/easy_language/home.html", {"services": services})


def service_easy_language(request, service_id):
    service = offered_service(slug=service_id)
    if service is None or service.definition.easy_language is None:
        raise Http404
    return render(request, "portal/easy_language/service.html",
                  {"service": service, "easy": service.definition.easy_language})
