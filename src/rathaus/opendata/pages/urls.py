from django.urls import path

from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited
from rathaus.rate_limits.responses import too_many_requests_negotiated

from ..store import downloads
from . import views

app_name = "opendata"

# The search and the dataset pages are lookups for people; the downloads are fetched
# by programs as much as by browsers, so they count like the APIs.
lookup = rate_limited("lookup", methods=ALL_METHODS)
download = rate_limited("api", methods=ALL_METHODS, respond=too_many_requests_negotiated)

urlpatterns = [
    path("", lookup(views.catalogue), name="catalogue"),
    path("<slug:name>/", lookup(views.dataset), name="dataset"),
    path("<slug:name>/download.csv", download(downloads.csv_download), name="csv"),
    path("<slug:name>/download.json", download(downloads.json_download), name="json"),
    path("<slug:name>/download.geojson", download(downloads.geojson_download),
         name="geojson"),
]
