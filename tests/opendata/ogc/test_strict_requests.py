"""The OGC API honours every query value or refuses it with 400 and a message: never
ignored, so that no client gets every row for a filter it believes applied. Only GET
and HEAD; errors under /ogc/ are OGC exceptions."""

import pytest
from django.test import Client

from tests.factories import DISPENSERS, OPENDATA_HOST, PLAYGROUNDS, publish_csv

ITEMS = "/ogc/collections/spielplaetze/items"


@pytest.fixture
def api(town):
    publish_csv(town, PLAYGROUNDS, name="spielplaetze", title="Spielplätze")
    return Client(HTTP_HOST=OPENDATA_HOST)


def _names(api, query: dict) -> list[str]:
    response = api.get(ITEMS, {"limit": 100, **query})
    assert response.status_code == 200, response.content
    return sorted(f["properties"]["spielplatz"] for f in response.json()["features"])


def _refused(response, words: str):
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "InvalidParameterValue"
    assert words in response.json()["description"]


SANIERT = ["Am Wall", "Balken", "Pilghausen", "Wupperaue"]
NICHT_SANIERT = ["Brückenstraße", "Kirchplatz", "Unterberg"]


@pytest.mark.parametrize("value", ["true", "TRUE", "True", "1", " 1 "])
def test_a_boolean_is_true_as_true_or_1(api, value):
    assert _names(api, {"saniert": value}) == SANIERT


@pytest.mark.parametrize("value", ["false", "FALSE", "0"])
def test_a_boolean_is_false_as_false_or_0(api, value):
    assert _names(api, {"saniert": value}) == NICHT_SANIERT


@pytest.mark.parametrize("value", ["ja", "yes", "2", "", "wahr", "t"])
def test_any_other_boolean_value_is_refused(api, value):
    _refused(api.get(ITEMS, {"saniert": value}), "true, false, 1 oder 0")


def test_typed_columns_refuse_values_of_another_type(api):
    _refused(api.get(ITEMS, {"geraete": "fünf"}), "ganze Zahl")
    _refused(api.get(ITEMS, {"geraete": "5.5"}), "ganze Zahl")
    _refused(api.get(ITEMS, {"lat": "Norden"}), "Zahl")
    _refused(api.get(ITEMS, {"eroeffnet": "gestern"}), "Datum")
    assert _names(api, {"geraete": "5"}) == ["Am Wall", "Kirchplatz", "Unterberg"]
    assert _names(api, {"geraete": "9" * 5000}) == []  # a number, just none of the rows
    assert _names(api, {"lat": "51,1056"}) == ["Am Wall"]
    assert _names(api, {"eroeffnet": "2019-04-01"}) == ["Am Wall", "Unterberg"]
    assert _names(api, {"bezirk": "03"}) == ["Kirchplatz", "Wupperaue"]
    assert _names(api, {"bezirk": "3"}) == []  # text: "03" as written


@pytest.mark.parametrize(("value", "expected"), [
    ("2019-04-01", ["Am Wall", "Unterberg"]),
    ("2019-04-01T10:30:00Z", ["Am Wall", "Unterberg"]),
    ("2019-04-01T", ["Am Wall", "Unterberg"]),  # as GDAL writes a date
    ("2019-04-01/2020-01-01", ["Am Wall", "Kirchplatz", "Unterberg"]),
    ("2020-01-01/..", ["Balken", "Kirchplatz", "Wupperaue"]),
    ("2020-01-01T00:00:00+01:00/", ["Balken", "Kirchplatz", "Wupperaue"]),
    ("../2018-03-12", ["Brückenstraße", "Pilghausen"]),
    ("/2018-03-12T23:59Z", ["Brückenstraße", "Pilghausen"]),
    ("2023-01-01/..", []),
])
def test_datetime_selects_the_rows_of_the_date_column_within_it(api, value, expected):
    assert _names(api, {"datetime": value}) == expected


@pytest.mark.parametrize(("value", "words"), [
    ("gestern", "RFC 3339"), ("", "RFC 3339"), ("../..", "mindestens ein Ende"),
    ("2020-01-01/2019-01-01", "endet vor"), ("2019-02-30", "es nicht gibt"),
    ("2019-04-01T25:00:00Z", "es nicht gibt"), ("2019-04-01/2019-05-01/2019-06-01", "RFC 3339"),
])
def test_a_datetime_that_is_no_instant_or_interval_is_refused(api, value, words):
    _refused(api.get(ITEMS, {"datetime": value}), words)


def test_datetime_is_refused_without_exactly_one_date_column(town):
    publish_csv(town, "ort;lat;lon\nA;51,1;7,01\n", name="orte", title="Orte")
    publish_csv(town, "ort;lat;lon;von;bis\nA;51,1;7,01;2020-01-01;2020-02-01\n",
                name="zeiten", title="Zeiten")
    client = Client(HTTP_HOST=OPENDATA_HOST)
    _refused(client.get("/ogc/collections/orte/items", {"datetime": "2020-01-01"}),
             "keine Datumsspalte")
    _refused(client.get("/ogc/collections/zeiten/items", {"datetime": "2020-01-01"}),
             "mehrere Datumsspalten (von, bis)")
    by_name = client.get("/ogc/collections/zeiten/items", {"von": "2020-01-01"})
    assert by_name.json()["numberMatched"] == 1


@pytest.mark.parametrize("path", [
    "/ogc/", "/ogc/api", "/ogc/conformance", "/ogc/collections",
    "/ogc/collections/spielplaetze", "/ogc/collections/spielplaetze/queryables", ITEMS,
    f"{ITEMS}/1"])
def test_every_resource_refuses_unknown_and_repeated_parameters(api, path):
    _refused(api.get(path, {"farbe": "rot"}), "Unbekannter Parameter: farbe")
    _refused(api.get(f"{path}?f=json&f=json"), "mehr als einmal")


def test_items_refuse_repeated_filters_and_a_bbox_crs_other_than_crs84(api):
    _refused(api.get(f"{ITEMS}?saniert=true&saniert=false"), "mehr als einmal")
    _refused(api.get(ITEMS, {"bbox": "7,51,7.1,51.2", "bbox-crs": "EPSG:25832"}), "CRS84")
    _refused(api.get(ITEMS, {"bbox": "7,51,nan,51.2"}), "vier Zahlen")


@pytest.mark.parametrize(("path", "formats"), [
    ("/ogc/", ["json", "html"]), ("/ogc/collections", ["json", "html"]),
    (ITEMS, ["json", "geojson", "html"]), (f"{ITEMS}/1", ["json", "geojson", "html"]),
    ("/ogc/api", ["json"]), ("/ogc/collections/spielplaetze/queryables", ["json", "html"])])
def test_f_must_be_one_of_the_formats_of_the_resource(api, path, formats):
    for f in formats:
        assert api.get(path, {"f": f}).status_code == 200, f
    for f in ("xml", "", "JSON", "csv"):
        response = api.get(path, {"f": f})
        assert response.status_code == 400, f
        assert response.json()["code"] == "InvalidParameterValue"


def test_only_get_and_head_read_and_options_answers_the_cors_preflight(api):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api, method)(ITEMS)
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json()["code"] == "MethodNotAllowed"
    assert api.head(ITEMS).status_code == 200
    preflight = api.options(ITEMS, HTTP_ORIGIN="https://karte.example",
                            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("path", [
    "/ogc/gibt-es-nicht", "/ogc/collections/nichts", "/ogc/collections/nichts/items",
    "/ogc/collections/spielplaetze/items/99", "/ogc/collections/spielplaetze/items/abc",
    "/ogc/collections/spielplaetze/queryables/mehr", "/ogc/collections/nichts/queryables"])
def test_what_does_not_exist_under_ogc_is_an_ogc_exception(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "NotFound"
    page = api.get(path, {"f": "html"})
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_the_old_filters_on_the_dispensers_still_work(town):
    publish_csv(town, DISPENSERS)
    client = Client(HTTP_HOST=OPENDATA_HOST)
    found = client.get("/ogc/collections/spender/items", {"aktiv": "true"}).json()
    assert [f["properties"]["standort"] for f in found["features"]] == [
        "Marktplatz", "Brückenstraße"]
    dated = client.get("/ogc/collections/spender/items", {"datetime": "2022-01-01/.."})
    assert [f["id"] for f in dated.json()["features"]] == [3]
