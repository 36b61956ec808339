"""The machine interfaces (CKAN, OGC API, DCAT-AP.de, downloads) share one rate limit
per client and answer it in their own error format; the public search is a lookup."""

import json

import pytest
from django.test import Client, RequestFactory

from tests.factories import (
    DISPENSERS,
    OPENDATA_HOST,
    publish_csv,
    through_the_wsgi_application,
)


@pytest.fixture
def dispensers(town):
    publish_csv(town, DISPENSERS)


@pytest.fixture
def tight(settings):
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "api": {"client": "3/m"}, "lookup": {"client": "2/m"}}


def _visitor(address="192.0.2.1", **headers) -> Client:
    return Client(HTTP_HOST=OPENDATA_HOST, REMOTE_ADDR=address, **headers)


def _use_up(client, path="/api/3/action/package_list", times=3):
    for _ in range(times):
        assert client.get(path).status_code == 200


def test_ckan_answers_with_its_error_envelope(dispensers, tight, rate_clock):
    client = _visitor()
    _use_up(client)
    rate_clock.advance(20)
    response = client.get("/api/3/action/package_show?id=spender")
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Rate Limit Error"
    assert "Bitte versuchen Sie es in 40 Sekunden erneut." in body["error"]["message"]
    assert body["help"].endswith("help_show?name=package_show")


def test_ogc_api_answers_with_an_exception_document_or_the_page(dispensers, tight, rate_clock):
    client = _visitor()
    _use_up(client, "/ogc/collections")
    response = client.get("/ogc/collections/spender/items")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {"code": "TooManyRequests",
                               "description": "Bitte versuchen Sie es in 1 Minute erneut."}
    page = client.get("/ogc/collections/spender/items?f=html")
    assert page.status_code == 429
    assert page["Retry-After"] == "60"
    assert "Zu viele Anfragen" in page.text


def test_dcat_documents_and_downloads_answer_with_problem_json(dispensers, tight, rate_clock):
    client = _visitor()
    _use_up(client, "/catalog.ttl")
    for path in ("/dataset/spender.jsonld", "/daten/spender/download.csv"):
        response = client.get(path)
        assert response.status_code == 429
        assert response["Content-Type"] == "application/problem+json"
        assert response["Retry-After"] == "60"
        assert response.json()["status"] == 429
    browser = client.get("/daten/spender/download.csv", HTTP_ACCEPT="text/html")
    assert browser.status_code == 429
    assert "Zu viele Anfragen" in browser.text


def test_all_machine_interfaces_count_against_one_limit_per_client(dispensers, tight,
                                                                  rate_clock):
    client = _visitor()
    for path in ("/api/3/action/package_list", "/ogc/", "/catalog.jsonld"):
        assert client.get(path).status_code == 200
    assert client.get("/ogc/collections").status_code == 429
    assert _visitor("192.0.2.2").get("/ogc/collections").status_code == 200


def test_the_open_data_search_is_a_limited_lookup(dispensers, tight, rate_clock):
    client = _visitor()
    assert client.get("/daten/?q=Spender").status_code == 200
    assert client.get("/daten/spender/").status_code == 200
    response = client.get("/daten/?q=Bank")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Zu viele Anfragen" in response.text
    assert "Bitte versuchen Sie es in 1 Minute erneut." in response.text
    rate_clock.advance(60)
    assert client.get("/daten/?q=Bank").status_code == 200


def _through_the_short_stack(path, address):
    """A request through the real WSGI application, which sends machine requests
    through the short middleware stack (no session, no locale): (status, headers, body)."""
    request = RequestFactory(HTTP_HOST=OPENDATA_HOST, REMOTE_ADDR=address).get(path)
    return through_the_wsgi_application(request)


def test_the_short_stack_of_the_machine_interfaces_is_limited_too(dispensers, tight,
                                                                   rate_clock):
    for _ in range(3):
        assert _through_the_short_stack("/ogc/collections", "192.0.2.1")[0] == 200
    status, headers, body = _through_the_short_stack("/api/3/action/package_list",
                                                     "192.0.2.1")
    assert status == 429
    assert headers["Retry-After"] == "60"
    assert json.loads(body)["error"]["message"].startswith("Too many requests - Bitte")
