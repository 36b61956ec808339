"""The maps' data: clusters computed in the database, single assets up close, only public
facts on the public map, the keepers' map with what is due, and clear 400s."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client

from rathaus.assets import map_points
from rathaus.assets.kinds import KINDS, AssetKind, InspectionKind
from rathaus.assets.models import Asset
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from tests.factories import make_staff, office_client


def _public(asset) -> dict:
    return {"number": asset.number, "species": asset.type, "secret_check": None}


def _none(asset, inspection, today):
    return {}


MAP_TREE = AssetKind(name="test_map_tree", cadastre="trees", label="tree", label_plural="trees",
                     inspection_kinds=(InspectionKind("regular", "regular"),),
                     next_inspections=_none, public_properties=_public)
MAP_HIDDEN = AssetKind(name="test_map_hidden", cadastre="trees", label="hidden",
                       label_plural="hidden", inspection_kinds=(), next_inspections=_none)


@pytest.fixture(autouse=True)
def _kinds():
    for kind in (MAP_TREE, MAP_HIDDEN):
        if kind.name not in KINDS:
            KINDS.register(kind.name, kind)


# Leichlingen's centre; a grid of trees 0.001° apart (about 70 × 110 m).
LON, LAT = 7.0167, 51.1063


@pytest.fixture
def trees(cadastres, town):
    with authority_context(town):
        cadastre = cadastres["trees"]
        rows = [Asset(cadastre=cadastre, kind="test_map_tree", number=f"T-{i:04d}",
                      type="tilia-cordata", lon=LON + (i % 30) * 0.001,
                      lat=LAT + (i // 30) * 0.001, next_due=date(2027, 1, 1) + timedelta(days=i))
                for i in range(600)]
        for row in rows:
            map_points.place(row)
        Asset.objects.bulk_create(rows)
        yield cadastre


def _get(client, url, **params):
    response = client.get(url, params)
    return response, (json.loads(response.content) if response.content else None)


def test_pixels_round_trip_in_web_mercator():
    x, y = map_points.pixel(LON, LAT)
    lon, lat = map_points.lonlat(x + 0.5, y + 0.5)
    assert abs(lon - LON) < 1e-5 and abs(lat - LAT) < 1e-5
    assert map_points.pixel(-180, 85.06) == (0, 0)


def test_saving_an_asset_sets_its_map_pixels(cadastres, town):
    with authority_context(town):
        asset = Asset.objects.create(cadastre=cadastres["trees"], kind="test_map_tree",
                                     number="T-1", lon=LON, lat=LAT)
        assert (asset.map_x, asset.map_y) == map_points.pixel(LON, LAT)
        asset.lon = LON + 0.01
        asset.save(update_fields=["lon"])
        asset.refresh_from_db()
        assert asset.map_x == map_points.pixel(LON + 0.01, LAT)[0]


def test_town_wide_zoom_gives_clusters_that_count_every_tree(trees):
    response, data = _get(Client(), "/karten/trees.json", bbox="6.9,51.0,7.2,51.2", zoom="12")
    assert response.status_code == 200
    assert data["clustered"] is True
    assert all(f["properties"]["cluster"] for f in data["features"])
    assert sum(f["properties"]["count"] for f in data["features"]) == 600
    assert len(data["features"]) < 50


def test_up_close_single_trees_with_only_their_public_properties(trees):
    response, data = _get(Client(), "/karten/trees.json",
                          bbox=f"{LON - 0.0005},{LAT - 0.0005},{LON + 0.0025},{LAT + 0.0015}",
                          zoom="18")
    assert data["clustered"] is False
    numbers = sorted(f["properties"]["number"] for f in data["features"])
    assert numbers == ["T-0000", "T-0001", "T-0002", "T-0030", "T-0031", "T-0032"]
    props = data["features"][0]["properties"]
    assert props["species"] == "tilia-cordata"
    assert "next_due" not in props and "url" not in props and "name" not in props


def test_few_trees_in_view_are_shown_singly_even_at_low_zoom(trees):
    _response, data = _get(Client(), "/karten/trees.json",
                           bbox=f"{LON - 0.0005},{LAT - 0.0005},{LON + 0.0095},{LAT + 0.0005}",
                           zoom="10")
    # The bbox is widened to whole cells, so more than the ten trees in it may come.
    assert data["clustered"] is False
    assert {"T-0000", "T-0009"} <= {f["properties"]["number"] for f in data["features"]}


def test_removed_hidden_and_child_assets_are_never_public(trees, cadastres, town):
    with authority_context(town):
        parent = Asset.objects.get(number="T-0000")
        Asset.objects.filter(number="T-0001").update(status=Asset.Status.REMOVED)
        Asset.objects.create(cadastre=trees, kind="test_map_hidden", number="H-1",
                             lon=LON, lat=LAT)
        Asset.objects.create(cadastre=trees, kind="test_map_tree", number="C-1",
                             lon=LON, lat=LAT, parent=parent)
    _response, data = _get(Client(), "/karten/trees.json",
                           bbox=f"{LON - 0.0005},{LAT - 0.0005},{LON + 0.0015},{LAT + 0.0005}",
                           zoom="18")
    numbers = {f["properties"]["number"] for f in data["features"]}
    assert "T-0000" in numbers
    assert not numbers & {"T-0001", "H-1", "C-1"}


def test_the_extent_covers_every_tree_and_names_the_tiles(trees):
    _response, data = _get(Client(), "/karten/trees.json", extent="1")
    west, south, east, north = data["bbox"]
    assert west == pytest.approx(LON) and south == pytest.approx(LAT)
    assert east == pytest.approx(LON + 0.029) and north == pytest.approx(LAT + 0.019)
    assert data["tiles"]["url"] == ""  # the tests fetch no tiles (tests/conftest.py)


def test_an_unchanged_view_is_not_sent_again_but_a_closure_shows_at_once(trees, town):
    client = Client()
    params = {"bbox": f"{LON - 0.0005},{LAT - 0.0005},{LON + 0.0005},{LAT + 0.0005}",
              "zoom": "18"}
    first = client.get("/karten/trees.json", params)
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get("/karten/trees.json", params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with authority_context(town):
        tree = Asset.objects.get(number="T-0000")
        tree.status = Asset.Status.CLOSED
        tree.save()
    after = client.get("/karten/trees.json", params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert json.loads(after.content)["features"][0]["properties"]["status"] == "closed"


@pytest.mark.parametrize("params", [
    {"bbox": "7,51,7.1", "zoom": "12"},
    {"bbox": "a,b,c,d", "zoom": "12"},
    {"bbox": "7.1,51,7.0,51.1", "zoom": "12"},
    {"bbox": "7,51,7.1,95", "zoom": "12"},
    {"bbox": "7,51,7.1,nan", "zoom": "12"},
    {"bbox": "7,51,7.1,51.1"},
    {"bbox": "7,51,7.1,51.1", "zoom": "x"},
    {"bbox": "7,51,7.1,51.1", "zoom": "99"},
])
def test_bad_parameters_get_400_with_a_message(trees, params):
    response, data = _get(Client(), "/karten/trees.json", **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert data["error"]


def test_an_unknown_cadastre_is_404(trees):
    assert Client().get("/karten/friedhoefe.json", {"zoom": "3"}).status_code == 404


def test_the_keepers_see_every_asset_with_its_due_date_and_office_page(trees, cadastres):
    client = office_client(cadastres["inspector"], cadastres["device"])
    response, data = _get(client, "/karten/verwaltung/trees.json",
                          bbox=f"{LON - 0.0005},{LAT - 0.0005},{LON + 0.0005},{LAT + 0.0005}",
                          zoom="18")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    (feature,) = data["features"]
    props = feature["properties"]
    assert props["number"] == "T-0000" and props["next_due"] == "2027-01-01"
    assert props["url"].startswith("/verwaltung/kataster/")


def test_the_keepers_map_shows_only_what_is_due(trees, cadastres):
    client = office_client(cadastres["inspector"], cadastres["device"])
    _response, data = _get(client, "/karten/verwaltung/trees.json", bbox="6.9,51.0,7.2,51.2",
                           zoom="18", due="2027-01-10")
    assert sorted(f["properties"]["number"] for f in data["features"]) == [
        f"T-{i:04d}" for i in range(10)]
    response, data = _get(client, "/karten/verwaltung/trees.json", zoom="12", due="10.01.2027")
    assert response.status_code == 400 and data["error"]


def test_other_staff_and_citizens_do_not_get_the_keepers_map(trees, town):
    with authority_context(town):
        other = Department.objects.create(slug="ordnungsamt", name="Ordnungsamt")
    staff, device = make_staff(town, departments=[other], email="ordnung@x.example")
    response = office_client(staff, device).get("/karten/verwaltung/trees.json", {"zoom": "12"})
    assert response.status_code == 403
    assert Client().get("/karten/verwaltung/trees.json", {"zoom": "12"}).status_code == 302


def test_bulk_inserted_assets_get_their_pixels_and_rows_without_are_placed_later(
        cadastres, town):
    with authority_context(town):
        (asset,) = Asset.objects.bulk_create([Asset(
            cadastre=cadastres["trees"], kind="test_map_tree", number="B-1", lon=LON, lat=LAT)])
        assert (asset.map_x, asset.map_y) == map_points.pixel(LON, LAT)
        Asset.objects.filter(pk=asset.pk).update(map_x=None, map_y=None)  # raw SQL, say
    _response, data = _get(Client(), "/karten/trees.json", zoom="12")
    assert [f["properties"]["number"] for f in data["features"]] == ["B-1"]


@pytest.mark.parametrize("zoom", [3, 10, 12, 13, 14, 15, 16])
def test_clusters_summed_from_the_counted_cells_equal_those_grouped_at_once(trees, town, zoom):
    bbox = (LON + 0.0031, LAT + 0.0022, LON + 0.0213, LAT + 0.0171)
    with authority_context(town):
        rows = map_points.public_assets(trees)
        counted = map_points.points(rows, bbox=bbox, zoom=zoom, cells_key=f"test:{zoom}")
        grouped = map_points.points(rows, bbox=bbox, zoom=zoom)

    def clusters(data):
        return sorted((f["properties"].get("count", f["properties"].get("number")),
                       *(round(c, 5) for c in f["geometry"]["coordinates"]))
                      for f in data["features"])

    assert counted["clustered"] == grouped["clustered"]
    assert clusters(counted) == clusters(grouped)


def test_a_new_tree_changes_the_stamp_and_so_the_counted_cells(trees, town):
    client = Client()
    params = {"bbox": "6.9,51.0,7.2,51.2", "zoom": "12"}
    before = json.loads(client.get("/karten/trees.json", params).content)
    with authority_context(town):
        Asset.objects.create(cadastre=trees, kind="test_map_tree", number="N-1", lon=LON,
                             lat=LAT)
    after = json.loads(client.get("/karten/trees.json", params).content)
    assert sum(f["properties"]["count"] for f in before["features"]) == 600
    assert sum(f["properties"]["count"] for f in after["features"]) == 601


def test_the_message_of_a_bad_request_is_german(trees):
    _response, data = _get(Client(), "/karten/trees.json", bbox="a,b,c,d", zoom="12")
    assert data["error"] == "bbox muss aus vier Zahlen bestehen: West,Süd,Ost,Nord."
