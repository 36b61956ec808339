"""The machine interfaces answer through the short middleware stack, with the same
answers and security headers; their HTML pages and everything else take the full one."""

import json

import pytest
from django.test import Client, RequestFactory

from rathaus.api_handler import is_api_request
from tests.factories import (
    DISPENSERS,
    OPENDATA_HOST,
    publish_csv,
    through_the_wsgi_application,
)


def _wsgi(path, *, method="get", data=None, **headers):
    """A request through the real WSGI application: (status, headers, body)."""
    factory = RequestFactory(HTTP_HOST=OPENDATA_HOST)
    if method == "post":
        request = factory.post(path, data=json.dumps(data), content_type="application/json")
    else:
        request = factory.get(path, **headers)
    return through_the_wsgi_application(request)


@pytest.fixture
def dispensers(town):
    publish_csv(town, DISPENSERS)


@pytest.mark.parametrize(("path", "query", "accept", "api"), [
    ("/ogc/collections/spender/items/1", "", "", True),
    ("/ogc/collections/spender/items/1", "", "application/geo+json", True),
    ("/ogc/collections/spender/items/1", "f=json", "text/html", True),
    ("/ogc/collections/spender/items/1", "f=html", "", False),
    ("/ogc/", "", "text/html,application/xhtml+xml", False),
    ("/api/3/action/package_list", "", "*/*", True),
    ("/catalog.ttl", "", "", True),
    ("/dataset/spender.jsonld", "", "", True),
    ("/daten/spender/", "", "", False),
    ("/konto/", "", "", False),
])
def test_which_requests_take_the_short_stack(path, query, accept, api):
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_ACCEPT": accept}
    assert is_api_request(environ) is api


def test_ogc_item_is_the_same_through_both_stacks_and_keeps_its_headers(dispensers):
    status, headers, body = _wsgi("/ogc/collections/spender/items/1")
    full = Client(HTTP_HOST=OPENDATA_HOST).get("/ogc/collections/spender/items/1")
    assert status == 200 and json.loads(body) == json.loads(full.content)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in headers
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")


def test_html_pages_of_the_same_paths_take_the_full_stack(dispensers):
    status, headers, body = _wsgi("/ogc/collections/spender/items/1?f=html")
    assert status == 200 and body.startswith(b"<!DOCTYPE html>")
    assert "Content-Language" in headers  # set by the locale middleware of the full stack


def test_ckan_and_dcat_answer_through_the_short_stack(dispensers):
    status, _, body = _wsgi("/api/3/action/package_show?id=spender")
    assert status == 200 and json.loads(body)["result"]["name"] == "spender"
    status, _, body = _wsgi("/api/3/action/package_search", method="post", data={"q": "Spender"})
    assert status == 200 and json.loads(body)["result"]["count"] == 1
    status, headers, body = _wsgi("/catalog.ttl")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


def test_unknown_api_paths_and_hosts_still_answer_cleanly(dispensers):
    assert _wsgi("/ogc/collections/nichts/items/1")[0] == 404
    assert _wsgi("/ogc/gibt-es-nicht/")[0] == 404
    assert _wsgi("/api/3/action/unbekannt")[0] in (400, 404)



def test_the_short_stack_is_traced_and_counted_like_every_page(dispensers):
    """Open data clients are most of the traffic: their requests carry a request id and
    appear in the metrics by route, as pages do."""
    from tests.operations.test_metrics import requests_counted, scrape

    route = "ogc/collections/<slug:name>/items/<int:item_id>"
    before = requests_counted(scrape(), route)
    status, headers, _ = _wsgi("/ogc/collections/spender/items/1",
                               HTTP_X_REQUEST_ID="lb-4711.a")
    assert status == 200 and headers["X-Request-ID"] == "lb-4711.a"
    assert requests_counted(scrape(), route) == before + 1
