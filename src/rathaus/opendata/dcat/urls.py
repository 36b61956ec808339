from django.urls import path, register_converter

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

# At the root of the host, where DCAT-AP harvesters (ckanext-dcat, GovData) look.
urlpatterns = [
    path("catalog", views.catalog_resource, name="catalog_resource"),
    path("catalog.<rdfext:extension>", views.catalog, name="catalog"),
    path("dataset/<slug:name>", views.dataset_resource, name="dataset_resource"),
    path("dataset/<slug:name>.<rdfext:extension>", views.dataset, name="dataset"),
]
