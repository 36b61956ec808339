"""The public open data pages (/daten/): search with facets and a page per dataset."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from ..store import queries, selectors
from ..vocabularies import FREQUENCIES, LICENCES, THEMES

PREVIEW_ROWS = 10


def _param(request, name: str, allowed=None) -> str:
    value = request.GET.get(name, "")[:200]
    return value if allowed is None or value in allowed else ""


def catalogue(request):
    chosen = {
        "q": _param(request, "q"),
        "theme": _param(request, "theme", THEMES),
        "keyword": _param(request, "keyword"),
        "fmt": _param(request, "format", {"CSV", "JSON", "GeoJSON"}),
        "licence": _param(request, "licence", LICENCES),
    }
    result = selectors.search(**chosen)
    return render(request, "opendata/public/catalogue.html", {
        "result": result, "chosen": chosen,
        "filtered": any(value for key, value in chosen.items() if key != "q"),
    })


def dataset(request, name):
    entry = selectors.published_entry(name)
    if entry is None:
        raise Http404
    version = entry.version
    base = request.build_absolute_uri("/")[:-1]
    return render(request, "opendata/public/dataset.html", {
        "entry": entry, "dataset": entry.dataset, "version": version,
        "columns": selectors.columns_of(version),
        "preview": queries.first_rows(version.sha256, PREVIEW_ROWS),
        "history": selectors.history(entry.dataset),
        "licence": LICENCES.get(entry.dataset.licence),
        "frequency": FREQUENCIES.get(entry.dataset.frequency, ""),
        "theme": THEMES.get(entry.dataset.theme, ""),
        "base": base,
        "csv_url": base + reverse("opendata:csv", args=[name]),
        "json_url": base + reverse("opendata:json", args=[name]),
        "geojson_url": base + reverse("opendata:geojson", args=[name]),
        "ckan_url": f"{base}/api/3/action/package_show?id={name}",
    })
