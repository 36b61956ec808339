"""OGC API – Features, read by OWSLib's client against a live server."""

import json

import pytest
from django.test import Client
from owslib.ogcapi.features import Features

from tests.factories import DISPENSERS, publish_csv


@pytest.fixture
def dispensers(town):
    publish_csv(town, DISPENSERS)
    publish_csv(town, "bezirk;wahlberechtigte\nMitte;1200\n", name="wahlbezirke")


def test_owslib_lists_collections_and_reads_items_with_a_bbox(dispensers, live_server):
    api = Features(f"{live_server.url}/ogc/")
    assert api.feature_collections() == ["spender"]  # only data with coordinates
    assert api.conformance()["conformsTo"][0].endswith("/conf/core")
    assert api.collection("spender")["extent"]["spatial"]["bbox"][0] == [
        7.0186, 51.1049, 7.0982, 51.1231]
    found = api.collection_items("spender", bbox=[7.0, 51.10, 7.05, 51.11], limit=10)
    assert found["numberMatched"] == 2
    assert [f["properties"]["standort"] for f in found["features"]] == [
        "Marktplatz", "Brückenstraße"]
    single = api.collection_item("spender", "3")
    assert single["geometry"]["coordinates"] == [7.0982, 51.1231]
    assert api.api()["openapi"].startswith("3.0")


def test_items_page_with_next_link_and_property_filter(dispensers):
    client = Client(HTTP_HOST="leichlingen.localhost")
    page = json.loads(client.get("/ogc/collections/spender/items", {"limit": 2}).content)
    assert page["numberMatched"] == 3 and page["numberReturned"] == 2
    next_link = next(link["href"] for link in page["links"] if link["rel"] == "next")
    assert "offset=2" in next_link and "limit=2" in next_link
    last = json.loads(client.get("/ogc/collections/spender/items",
                                 {"limit": 2, "offset": 2}).content)
    assert [f["id"] for f in last["features"]] == [3]
    assert not any(link["rel"] == "next" for link in last["links"])
    filtered = json.loads(client.get("/ogc/collections/spender/items",
                                     {"ortsteil": "Witzhelden"}).content)
    assert filtered["numberMatched"] == 1


def test_bad_parameters_and_unknown_items_answer_with_ogc_errors(dispensers):
    client = Client(HTTP_HOST="leichlingen.localhost")
    bad = client.get("/ogc/collections/spender/items", {"bbox": "1,2,drei"})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidParameterValue"
    assert "vier Zahlen" in bad.json()["description"]
    assert client.get("/ogc/collections/spender/items", {"farbe": "rot"}).status_code == 400
    assert client.get("/ogc/collections/spender/items/99").status_code == 404
    assert client.get("/ogc/collections/wahlbezirke").status_code == 404


def test_html_pages_for_browsers(dispensers):
    client = Client(HTTP_HOST="leichlingen.localhost", HTTP_ACCEPT="text/html")
    assert "Hundekotbeutelspender" in client.get("/ogc/collections").text
    items = client.get("/ogc/collections/spender/items", {"limit": 1})
    assert "Marktplatz" in items.text and "offset=1" in items.text
    assert "Witzhelden Kirche" in client.get("/ogc/collections/spender/items/3").text
