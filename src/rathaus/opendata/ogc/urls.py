from django.urls import path

from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from . import api as ogc

app_name = "ogc"

limited = rate_limited("api", methods=ALL_METHODS, respond=ogc.too_many_requests)

# OGC API paths have no trailing slash, except the landing page.
urlpatterns = [
    path("", limited(ogc.landing), name="landing"),
    path("api", limited(ogc.openapi), name="openapi"),
    path("conformance", limited(ogc.conformance), name="conformance"),
    path("collections", limited(ogc.collections), name="collections"),
    path("collections/<slug:name>", limited(ogc.collection), name="collection"),
    path("collections/<slug:name>/items", limited(ogc.items), name="items"),
    path("collections/<slug:name>/items/<int:item_id>", limited(ogc.item), name="item"),
]
