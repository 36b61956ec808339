from django.urls import path

from ..store import downloads
from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:name>/", views.dataset, name="dataset"),
    path("<slug:name>/download.csv", downloads.csv_download, name="csv"),
    path("<slug:name>/download.json", downloads.json_download, name="json"),
    path("<slug:name>/download.geojson", downloads.geojson_download, name="geojson"),
]
