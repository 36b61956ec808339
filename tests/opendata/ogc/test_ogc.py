"""OGC API – Features, read by OWSLib's client against a live server."""

import json

import pytest
from django.test import Client
from jsonschema import Draft4Validator
from owslib.ogcapi.features import Features

from tests.factories import DISPENSERS, PLAYGROUNDS, publish_csv


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


def test_owslib_reads_the_queryables_with_each_columns_type(town, live_server):
    publish_csv(town, PLAYGROUNDS, name="spielplaetze", title="Spielplätze")
    api = Features(f"{live_server.url}/ogc/")
    queryables = api.collection_queryables("spielplaetze")
    assert queryables["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert queryables["$id"] == f"{live_server.url}/ogc/collections/spielplaetze/queryables"
    assert queryables["type"] == "object" and queryables["additionalProperties"] is False
    types = {name: (schema["type"], schema.get("format"))
             for name, schema in queryables["properties"].items()}
    assert types == {
        "spielplatz": ("string", None), "bezirk": ("string", None),
        "lat": ("number", None), "lon": ("number", None), "geraete": ("integer", None),
        "saniert": ("boolean", None), "eroeffnet": ("string", "date")}
    links = {link["rel"]: link["href"] for link in api.collection("spielplaetze")["links"]}
    assert links["http://www.opengis.net/def/rel/ogc/1.0/queryables"].endswith(
        "/collections/spielplaetze/queryables")
    assert any(c.endswith("/conf/queryables-query-parameters")
               for c in api.conformance()["conformsTo"])


def _resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        kind, name = node["$ref"].removeprefix("#/components/").split("/")
        node = document["components"][kind][name]
    return node


def test_the_openapi_document_declares_every_answer_with_its_schema(dispensers):
    client = Client(HTTP_HOST="leichlingen.localhost")
    response = client.get("/ogc/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = response.json()
    for path, operations in document["paths"].items():
        answers = operations["get"]["responses"]
        assert set(answers) >= {"200", "400"}, path
        assert "schema" in next(iter(_resolve(document, answers["200"])["content"].values()))
        bad = _resolve(document, answers["400"])["content"]["application/json"]["schema"]
        assert _resolve(document, bad)["required"] == ["code"]
        if path.startswith("/collections/"):
            assert "404" in answers, path
    items = document["paths"]["/collections/spender/items"]["get"]
    declared = {_resolve(document, p)["name"]: _resolve(document, p)["schema"]
                for p in items["parameters"]}
    assert declared["aktiv"] == {"type": "boolean"}
    assert declared["aufgestellt"] == {"type": "string", "format": "date"}
    assert {"datetime", "bbox-crs", "limit", "offset", "bbox", "f"} <= set(declared)
    feature = items["responses"]["200"]["content"]["application/geo+json"]["schema"]
    properties = feature["properties"]["features"]["items"]["properties"]["properties"]
    assert properties["properties"]["beutel_je_woche"] == {"type": "number", "nullable": True}


def test_the_answers_match_the_schemas_the_openapi_document_declares(dispensers):
    """Each answer validated against the schema its operation declares."""
    client = Client(HTTP_HOST="leichlingen.localhost")
    document = client.get("/ogc/api").json()

    def check(path, operation_path, status="200", query=None):
        response = client.get(f"/ogc{path}", query or {})
        assert response.status_code == int(status), path
        answer = _resolve(document, document["paths"][operation_path]["get"]["responses"][
            status])
        media = response["Content-Type"].split(";")[0]
        media = next(m for m in answer["content"] if m.startswith(media))
        schema = {**answer["content"][media]["schema"], "components": document["components"]}
        Draft4Validator(_nullable_as_draft4(schema)).validate(response.json())

    check("/", "/")
    check("/conformance", "/conformance")
    check("/collections", "/collections")
    check("/collections/spender", "/collections/spender")
    check("/collections/spender/queryables", "/collections/spender/queryables")
    check("/collections/spender/items", "/collections/spender/items", query={"limit": 2})
    check("/collections/spender/items/1", "/collections/spender/items/{featureId}")
    check("/collections/spender/items/99", "/collections/spender/items/{featureId}", "404")
    check("/collections/spender/items", "/collections/spender/items", "400",
          {"aktiv": "vielleicht"})


def _nullable_as_draft4(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema says it."""
    if isinstance(node, list):
        return [_nullable_as_draft4(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_as_draft4(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node
