from django.urls import path

from . import api as ogc

app_name = "ogc"

# OGC API paths have no trailing slash, except the landing page.
urlpatterns = [
    path("", ogc.landing, name="landing"),
    path("api", ogc.openapi, name="openapi"),
    path("conformance", ogc.conformance, name="conformance"),
    path("collections", ogc.collections, name="collections"),
    path("collections/<slug:name>", ogc.collection, name="collection"),
    path("collections/<slug:name>/items", ogc.items, name="items"),
    path("collections/<slug:name>/items/<int:item_id>", ogc.item, name="item"),
]
