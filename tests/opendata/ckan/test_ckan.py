"""The CKAN Action API, driven by the real ckanapi client against a live server."""

import json

import ckanapi
import pytest
from django.test import Client

from tests.factories import DISPENSERS, publish_csv

WAHL = "bezirk;wahlberechtigte\nMitte;1200\nSüd;980\nNord;1010\n"


@pytest.fixture
def two_datasets(town):
    publish_csv(town, DISPENSERS)
    publish_csv(town, WAHL, name="wahlbezirke", title="Wahlbezirke", keywords=("Wahlen",),
                theme="GOVE")


def test_ckanapi_round_trip_search_then_show(two_datasets, live_server):
    portal = ckanapi.RemoteCKAN(live_server.url)
    found = portal.action.package_search(q="Hundekotbeutel", rows=5)
    assert found["count"] == 1
    package = portal.action.package_show(id=found["results"][0]["name"])
    assert package["title"] == "Hundekotbeutelspender"
    assert package["organization"]["name"] == "leichlingen"
    assert package["license_id"] == "dl-by-de/2.0"
    assert {r["format"] for r in package["resources"]} == {"CSV", "JSON", "GeoJSON"}
    csv_url = next(r["url"] for r in package["resources"] if r["format"] == "CSV")
    assert csv_url == f"{live_server.url}/daten/spender/download.csv"
    assert sorted(portal.action.package_list()) == ["spender", "wahlbezirke"]
    assert portal.action.tag_list() == ["Hunde", "Sauberkeit", "Wahlen"]
    assert portal.action.organization_list() == ["leichlingen"]
    assert portal.action.group_list() == ["envi", "gove"]
    assert portal.action.site_read() is True
    assert portal.action.status_show()["ckan_version"]
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="gibt-es-nicht")


def test_package_search_filters_pages_and_sorts(two_datasets):
    client = Client(HTTP_HOST="leichlingen.localhost")

    def search(**params):
        response = client.get("/api/3/action/package_search", params)
        assert response.status_code == 200
        return response.json()["result"]

    assert search(fq="tags:Wahlen")["results"][0]["name"] == "wahlbezirke"
    assert search(fq="res_format:GeoJSON")["count"] == 1
    assert search(fq="organization:leichlingen")["count"] == 2
    assert search(fq="organization:rbk")["count"] == 0
    assert [p["name"] for p in search(sort="name desc")["results"]] == ["wahlbezirke",
                                                                         "spender"]
    page = search(sort="name asc", rows=1, start=1)
    assert page["count"] == 2 and [p["name"] for p in page["results"]] == ["wahlbezirke"]
    body = client.post("/api/3/action/package_search", json.dumps({"q": "*:*", "rows": 1}),
                       content_type="application/json").json()
    assert body["success"] is True and len(body["result"]["results"]) == 1
    assert body["help"].endswith("/api/3/action/help_show?name=package_search")


def test_errors_use_ckans_envelope(two_datasets):
    client = Client(HTTP_HOST="leichlingen.localhost")
    missing = client.get("/api/3/action/package_show", {"id": "nichts"})
    assert missing.status_code == 404
    assert missing.json()["error"]["__type"] == "Not Found Error"
    invalid = client.get("/api/3/action/package_search", {"rows": "viele"})
    assert invalid.status_code == 409
    assert invalid.json()["success"] is False
    assert invalid.json()["error"]["__type"] == "Validation Error"
    unknown = client.get("/api/3/action/package_delete")
    assert unknown.status_code == 400
    broken = client.post("/api/3/action/package_search", "{", content_type="application/json")
    assert broken.status_code == 400
    huge = client.get("/api/3/action/package_search", {"rows": "5000"})
    assert huge.status_code == 200


DEEP = 100_000


@pytest.mark.parametrize("body", [
    '{"q": ' * DEEP + "1" + "}" * DEEP,  # RecursionError in json.loads before issue 11
    "[" * DEEP + "]" * DEEP,
    json.dumps({"q": "x" * (3 * 1024 * 1024)}),  # larger than DATA_UPLOAD_MAX_MEMORY_SIZE
], ids=["deep-object", "deep-list", "oversized"])
def test_a_deeply_nested_or_oversized_body_gets_a_ckan_400(town, body):
    client = Client(raise_request_exception=False)
    response = client.post("/api/3/action/package_search", body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert response.json()["error"]["__type"] == "Bad request - JSON Error"


def test_a_deeply_nested_facet_field_gets_a_ckan_400(town):
    client = Client(raise_request_exception=False)
    response = client.get("/api/3/action/package_search",
                          {"facet.field": "[" * DEEP + "]" * DEEP})
    assert response.status_code in (400, 409)
    assert response.json()["success"] is False
