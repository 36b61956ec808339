"""The maps' data: /karten/<cadastre>.json (public) and /karten/verwaltung/<cadastre>.json
(the cadastre's keepers). The map pages themselves belong to their cadastres."""

from django.urls import path

from . import map_views

app_name = "maps"

urlpatterns = [
    path("verwaltung/<slug:cadastre>.json", map_views.staff_points, name="staff_points"),
    path("<slug:cadastre>.json", map_views.public_points, name="points"),
]
