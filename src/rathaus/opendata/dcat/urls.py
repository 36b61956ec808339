from django.urls import path, register_converter

from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited
from rathaus.rate_limits.responses import too_many_requests_negotiated

from . import views


class RdfExtension:
    """The file name extension of a DCAT-AP.de document: ttl, rdf or jsonld."""

    regex = "ttl|rdf|jsonld"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RdfExtension, "rdfext")

app_name = "dcat"

limited = rate_limited("api", methods=ALL_METHODS, respond=too_many_requests_negotiated)

# At the root of the host, where DCAT-AP harvesters (ckanext-dcat, GovData) look.
urlpatterns = [
    path("catalog", limited(views.catalog_resource), name="catalog_resource"),
    path("catalog.<rdfext:extension>", limited(views.catalog), name="catalog"),
    path("dataset/<slug:name>", limited(views.dataset_resource), name="dataset_resource"),
    path("dataset/<slug:name>.<rdfext:extension>", limited(views.dataset), name="dataset"),
]
