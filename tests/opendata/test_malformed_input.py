"""Malformed parameters on real datasets answer with a message, never a 500."""

import pytest
from django.test import Client

from tests.factories import DISPENSERS, publish_csv

JUNK = ["", "-1", "9" * 30, "-" + "9" * 30, "ä" * 300, "<script>", "1,2,3,4,5", "nan,nan,nan,nan",
        "inf,0,0,0", "\x00", "{}", "[", "true"]
URLS = ["/daten/", "/daten/spender/", "/api/3/action/package_search",
        "/api/3/action/package_show", "/api/3/action/package_list",
        "/api/3/action/tag_list", "/api/3/action/organization_show",
        "/api/3/action/current_package_list_with_resources", "/ogc/collections/spender/items",
        "/ogc/collections/spender", "/ogc/", "/catalog.ttl", "/catalog.rdf", "/catalog.jsonld",
        "/catalog", "/dataset/spender.ttl", "/dataset/spender.jsonld", "/dataset/spender"]
PARAMS = ["q", "fq", "rows", "start", "sort", "id", "limit", "offset", "bbox", "bbox-crs",
          "f", "theme", "format", "licence", "keyword", "facet.field", "all_fields",
          "ortsteil", "standort", "beutel_je_woche", "aktiv", "page"]


@pytest.mark.parametrize("value", JUNK)
def test_junk_parameters_never_cause_a_server_error(town, value):
    publish_csv(town, DISPENSERS)
    client = Client(HTTP_HOST="leichlingen.localhost")
    for url in URLS:
        for param in PARAMS:
            response = client.get(url, {param: value})
            assert response.status_code < 500, (url, param, value)
        response = client.post(url, value, content_type="application/json")
        assert response.status_code < 500, (url, "POST", value)
    for header in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_ACCEPT_ENCODING",
                   "HTTP_ACCEPT"):
        for url in ("/daten/spender/download.csv", "/catalog.ttl", "/dataset/spender"):
            response = client.get(url, **{header: value})
            assert response.status_code < 500, (url, header, value)
