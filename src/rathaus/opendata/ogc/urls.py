from django.urls import path

from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from . import answers
from . import api as ogc

app_name = "ogc"

limited = rate_limited("api", methods=ALL_METHODS, respond=answers.too_many_requests)

# OGC API paths have no trailing slash, except the landing page.
urlpatterns = [
    path("", limited(ogc.landing), name="landing"),
    path("api", limited(ogc.openapi), name="openapi"),
    path("conformance", limited(ogc.conformance), name="conformance"),
    path("collections", limited(ogc.collections), name="collections"),
    path("collections/<slug:name>", limited(ogc.collection), name="collection"),
    path("collections/<slug:name>/queryables", limited(ogc.queryables), name="queryables"),
    path("collections/<slug:name>/items", limited(ogc.items), name="items"),
    path("collections/<slug:name>/items/<int:item_id>", limited(ogc.item), name="item"),
    # Last: whatever else is asked under /ogc/ gets an OGC exception (JSON), not HTML.
    path("<path:rest>", limited(ogc.unknown), name="unknown"),
]
