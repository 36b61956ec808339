"""package_search's Solr syntax, the actions harvesters call besides it, and the shape of
what they get, compared with CKAN 2.10's."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.publish import services
from tests.factories import DISPENSERS, OPENDATA_HOST, make_uploader, publish_csv

WAHL = "bezirk;wahlberechtigte\nMitte;1200\nSüd;980\nNord;1010\n"


@pytest.fixture
def two(town):
    spender, _ = publish_csv(town, DISPENSERS)
    wahl, _ = publish_csv(town, WAHL, name="wahlbezirke", title="Wahlbezirke",
                          keywords=("Wahlen",), theme="GOVE")
    return {"spender": spender, "wahlbezirke": wahl}


@pytest.fixture
def api():
    client = Client(HTTP_HOST=OPENDATA_HOST)

    def call(action, params=None, *, status=200):
        response = client.get(f"/api/3/action/{action}", params or {})
        assert response.status_code == status, response.content
        body = response.json()
        return body["result"] if status == 200 else body["error"]
    return call


def _names(result) -> list[str]:
    return [p["name"] for p in result["results"]]


def test_sort_by_id_as_the_harvester_asks(two, api):
    result = api("package_search", {"sort": "id asc", "rows": "100", "start": "0"})
    assert [p["id"] for p in result["results"]] == sorted(str(d.pk) for d in two.values())
    error = api("package_search", {"sort": "popularity desc"}, status=409)
    assert error["__type"] == "Validation Error" and "Cannot sort by popularity desc" \
        in error["message"]


@pytest.mark.parametrize(("fq", "expected"), [
    ("organization:rbk OR organization:leichlingen", ["spender", "wahlbezirke"]),
    ("-organization:leichlingen", []),
    ("groups:gove OR groups:envi -groups:envi", ["wahlbezirke"]),
    ("(groups:gove OR groups:envi) AND res_format:GeoJSON", ["spender"]),
    ("tags:(Wahlen OR Hunde) NOT name:spender", ["wahlbezirke"]),
    ("name:wahl*", ["wahlbezirke"]),
    ("metadata_modified:[NOW-1DAY TO NOW]", ["spender", "wahlbezirke"]),
    ("metadata_modified:[* TO 2000-01-01T00:00:00Z]", []),
    ("metadata_created:{2000-01-01T00:00:00.000001Z TO *}", ["spender", "wahlbezirke"]),
    ("num_resources:[3 TO *]", ["spender"]),
    ("-dataset_type:harvest -dataset_type:showcase", ["spender", "wahlbezirke"]),
    ('title:"Wahlbezirke"', ["wahlbezirke"]),
    ("*:*", ["spender", "wahlbezirke"]),
])
def test_fq_means_what_solr_means(two, api, fq, expected):
    assert _names(api("package_search", {"fq": fq, "sort": "name asc"})) == expected


def test_an_incremental_search_finds_only_what_changed_since(two, town, api):
    since = api("package_show", {"id": "wahlbezirke"})["metadata_modified"]
    with authority_context(town):
        upload = services.receive_upload(
            dataset=two["spender"], actor=make_uploader(),
            file=SimpleUploadedFile("neu.csv", DISPENSERS.replace("120", "121").encode()))
        services.confirm_upload(upload=upload, actor=upload.uploaded_by, decisions={
            c["name"]: {"public": True, "type": c["type"], "reason": ""}
            for c in upload.columns})
    fq = f"metadata_modified:{{{since}Z TO *]"
    assert _names(api("package_search", {"fq": fq})) == ["spender"]


def test_ckanext_dcat_s_fq_list_and_q_are_all_applied(two):
    body = Client(HTTP_HOST=OPENDATA_HOST).post(
        "/api/3/action/package_search", json.dumps({
            "q": "*:*", "fq": "groups:gove OR groups:envi", "sort": "metadata_modified desc",
            "fq_list": ["-dataset_type:harvest", "metadata_modified:[2000-01-01T00:00:00Z"
                        " TO NOW]", "-name:spender"], "rows": 100, "start": 0}),
        content_type="application/json").json()
    assert _names(body["result"]) == ["wahlbezirke"]


@pytest.mark.parametrize("fq", [
    "unknown_field:x",
    "organization:a AND organization:b OR organization:c",
    "metadata_modified:[NOW-1MONTH TO *]",
    "metadata_modified:[gestern TO *]",
    "num_tags:[eins TO *]",
    "organization:(a OR b",
    "title:Wahl*",
    "NOT",
    "extras_spatial:*",
    "name:spender AND",
    pytest.param("(" * 40 + "name:spender" + ")" * 40, id="nested-groups"),
    pytest.param("-" * 40 + "name:spender", id="nested-negations"),
    "metadata_modified:[NOW-99999999999999DAYS TO *]",
    pytest.param("metadata_modified:[NOW-" + "9" * 5000 + "DAYS TO *]", id="long-number"),
])
def test_what_cannot_be_honoured_is_refused_not_ignored(two, api, fq):
    error = api("package_search", {"fq": fq}, status=409)
    assert error["__type"] == "Validation Error"
    assert error["message"].startswith("fq: Search Query is invalid")


def test_facet_fields_as_repeated_parameters_or_a_json_list(two):
    client = Client(HTTP_HOST=OPENDATA_HOST)
    repeated = client.get("/api/3/action/package_search?facet.field=tags"
                          "&facet.field=res_format").json()["result"]
    listed = client.get("/api/3/action/package_search",
                        {"facet.field": '["tags", "res_format"]'}).json()["result"]
    assert repeated["search_facets"] == listed["search_facets"]
    assert set(repeated["search_facets"]) == {"tags", "res_format"}
    assert repeated["facets"]["res_format"] == {"CSV": 2, "JSON": 2, "GeoJSON": 1}
    unknown = client.get("/api/3/action/package_search", {"facet.field": "popularity"})
    assert unknown.status_code == 409


def test_packages_and_resources_have_ckans_fields(two, api):
    package = api("package_show", {"id": "spender"})
    assert package["isopen"] is True
    assert package["metadata_created"] <= package["metadata_modified"]
    assert all(tag["id"] and tag["name"] for tag in package["tags"])
    for resource in package["resources"]:
        assert resource["resource_type"] == "file"
        assert resource["mimetype_inner"] is None
        assert resource["datastore_active"] is False
        assert resource["metadata_modified"]
        assert api("resource_show", {"id": resource["id"]}) == resource
    api("resource_show", {"id": "00000000-0000-0000-0000-000000000000"}, status=404)


def test_resource_ids_stay_when_a_new_version_is_published(two, town, api):
    before = [r["id"] for r in api("package_show", {"id": "spender"})["resources"]]
    with authority_context(town):
        upload = services.receive_upload(
            dataset=two["spender"], actor=make_uploader(),
            file=SimpleUploadedFile("neu.csv", DISPENSERS.replace("40", "41").encode()))
        services.confirm_upload(upload=upload, actor=upload.uploaded_by, decisions={
            c["name"]: {"public": True, "type": c["type"], "reason": ""}
            for c in upload.columns})
    after = api("package_show", {"id": "spender"})
    assert after["version"] == "2"
    assert [r["id"] for r in after["resources"]] == before


def test_spatial_is_geojson_and_the_municipality_key_has_its_own_extra(two, api):
    extras = {e["key"]: e["value"] for e in api("package_show", {"id": "spender"})["extras"]}
    geometry = json.loads(extras["spatial"])
    assert geometry["type"] == "Polygon"
    ring = geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    assert {x for x, _y in ring} == {7.0186, 7.0982}
    assert {y for _x, y in ring} == {51.1049, 51.1231}
    wahl = api("package_show", {"id": "wahlbezirke"})
    keys = {e["key"]: e["value"] for e in wahl["extras"]}
    assert "spatial" not in keys  # no coordinates: no area to give
    assert keys.get("municipality_key", "") == two["wahlbezirke"].spatial


def test_group_tag_licence_and_help_actions(two, api):
    group = api("group_show", {"id": "gove"})
    assert api("group_show", {"id": group["id"]})["name"] == "gove"
    assert group["package_count"] == 1
    assert [p["name"] for p in api("group_show", {"id": "envi", "include_datasets": "true"})[
        "packages"]] == ["spender"]
    api("group_show", {"id": "agri"}, status=404)
    tag = api("tag_show", {"id": "Wahlen"})
    assert api("tag_show", {"id": tag["id"]})["name"] == "Wahlen"
    api("tag_show", {"id": "Katzen"}, status=404)
    licences = {licence["id"]: licence for licence in api("license_list")}
    assert licences["dl-by-de/2.0"]["od_conformance"] == "approved"
    assert "fq" in api("help_show", {"name": "package_search"})
    api("help_show", {"name": "package_delete"}, status=404)
