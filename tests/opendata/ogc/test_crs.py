"""OGC API – Features Part 2: items in EPSG:25832 (ETRS89 / UTM zone 32N) besides CRS84,
and bbox given in either. The expected UTM coordinates are not computed with pyproj
(that would check pyproj against itself) but with Krüger's series for the transverse
Mercator projection, written out below from its published form."""

import json
import math
import os
import shutil
import subprocess

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from owslib.ogcapi.features import Features

from tests.factories import PLAYGROUNDS, publish_csv

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
UTM32 = "http://www.opengis.net/def/crs/EPSG/0/25832"
CENTIMETRE = 0.01
# Am Wall, the first playground, beside Leichlingen's town hall: lon 7.0186, lat 51.1056.
# ETRS89 / UTM 32N, computed once (PROJ 9.5) and checked against utm32() below.
AM_WALL_UTM = (361287.619, 5663435.190)


def utm32(lon: float, lat: float) -> tuple[float, float]:
    """GRS80 lon/lat to UTM zone 32N easting/northing by Krüger's series to third order
    in n (Karney 2011, eq. 6–11; the form on Wikipedia's "Universal Transverse Mercator
    coordinate system"): sub-millimetre within the zone."""
    a, f = 6378137.0, 1 / 298.257222101
    k0, lon0, false_easting = 0.9996, math.radians(9), 500000.0
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    alpha = (n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16, 13 * n**2 / 48 - 3 * n**3 / 5,
             61 * n**3 / 240)
    phi, dlon = math.radians(lat), math.radians(lon) - lon0
    c = 2 * math.sqrt(n) / (1 + n)
    t = math.sinh(math.atanh(math.sin(phi)) - c * math.atanh(c * math.sin(phi)))
    xi = math.atan(t / math.cos(dlon))
    eta = math.atanh(math.sin(dlon) / math.sqrt(1 + t * t))
    easting = false_easting + k0 * big_a * (eta + sum(
        aj * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
        for j, aj in enumerate(alpha, start=1)))
    northing = k0 * big_a * (xi + sum(
        aj * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
        for j, aj in enumerate(alpha, start=1)))
    return easting, northing


def test_the_reference_values_agree_with_kruegers_series():
    easting, northing = utm32(7.0186, 51.1056)
    assert abs(easting - AM_WALL_UTM[0]) < 0.001
    assert abs(northing - AM_WALL_UTM[1]) < 0.001


@pytest.fixture
def playgrounds(town):
    publish_csv(town, PLAYGROUNDS, name="spielplaetze", title="Spielplätze")
    return Client(HTTP_HOST="leichlingen.localhost")


ITEMS = "/ogc/collections/spielplaetze/items"


def test_an_item_comes_out_in_utm_32n_within_a_centimetre(playgrounds):
    answer = playgrounds.get(f"{ITEMS}/1", {"crs": UTM32})
    assert answer.status_code == 200
    assert answer["Content-Crs"] == f"<{UTM32}>"
    easting, northing = answer.json()["geometry"]["coordinates"]  # easting first
    assert abs(easting - AM_WALL_UTM[0]) < CENTIMETRE
    assert abs(northing - AM_WALL_UTM[1]) < CENTIMETRE


def test_every_item_of_a_page_in_utm_32n(playgrounds):
    answer = playgrounds.get(ITEMS, {"crs": UTM32, "limit": 100})
    assert answer["Content-Crs"] == f"<{UTM32}>"
    features = answer.json()["features"]
    assert len(features) == 7
    for feature, line in zip(features, PLAYGROUNDS.splitlines()[1:], strict=True):
        lat, lon = (float(v.replace(",", ".")) for v in line.split(";")[2:4])
        expected = utm32(lon, lat)
        got = feature["geometry"]["coordinates"]
        assert math.dist(got, expected) < CENTIMETRE, feature["properties"]
    # The next page keeps the system asked for.
    paged = playgrounds.get(ITEMS, {"crs": UTM32, "limit": 3}).json()
    following = next(link["href"] for link in paged["links"] if link["rel"] == "next")
    assert "crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F25832" in following


def test_without_crs_the_answer_is_crs84_and_says_so(playgrounds):
    answer = playgrounds.get(ITEMS, {"limit": 1})
    assert answer["Content-Crs"] == f"<{CRS84}>"
    assert answer.json()["features"][0]["geometry"]["coordinates"] == [7.0186, 51.1056]
    same = playgrounds.get(f"{ITEMS}/1", {"crs": CRS84})
    assert same["Content-Crs"] == f"<{CRS84}>"
    assert same.json()["geometry"]["coordinates"] == [7.0186, 51.1056]


@pytest.mark.parametrize("query", [
    {"crs": "EPSG:25832"},
    {"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"},
    {"crs": "http://www.opengis.net/def/crs/EPSG/0/25833"},
    {"crs": ""},
    {"bbox": "360000,5660000,370000,5670000", "bbox-crs": "EPSG:25832"},
    {"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/3857"},
    {"crs": UTM32, "f": "html"},  # the HTML page has no coordinates, but a wrong one
])
def test_a_system_other_than_the_two_is_refused(playgrounds, query):
    query = dict(query)
    if query.get("f") == "html":
        query["crs"] = "EPSG:25832"
    answer = playgrounds.get(ITEMS, query)
    assert answer.status_code == 400
    if "crs" in query and query.get("f") != "html":
        assert answer.json()["code"] == "InvalidParameterValue"
        assert UTM32 in answer.json()["description"]
    item = playgrounds.get(f"{ITEMS}/1", {"crs": "EPSG:25832"})
    assert item.status_code == 400


def test_the_collection_names_its_systems_and_the_conformance_the_class(playgrounds):
    listed = playgrounds.get("/ogc/collections").json()["collections"][0]
    assert listed["crs"] == [CRS84, UTM32]
    assert listed["storageCrs"] == CRS84
    single = playgrounds.get("/ogc/collections/spielplaetze").json()
    assert single["crs"] == [CRS84, UTM32] and single["storageCrs"] == CRS84
    conformance = playgrounds.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conformance
    api = playgrounds.get("/ogc/api").json()
    items = api["paths"]["/collections/spielplaetze/items"]["get"]
    assert "Content-Crs" in items["responses"]["200"]["headers"]
    assert api["components"]["parameters"]["crs"]["schema"]["enum"] == [CRS84, UTM32]
    assert api["components"]["parameters"]["bbox-crs"]["schema"]["enum"] == [CRS84, UTM32]


# A grid of points around Leichlingen, 41 by 41, and a box drawn in UTM over its middle.
# UTM's grid is turned by about 1.5° against the meridians here, so the box is a slanted
# quadrilateral in lon/lat: points near its corners lie in its lon/lat envelope but
# outside the box, and only a check in UTM tells them apart.
GRID = [(round(6.97 + 0.003 * i, 6), round(51.07 + 0.002 * j, 6))
        for j in range(41) for i in range(41)]
BOX = (358989.0, 5660464.0, 365789.0, 5667264.0)


def _inside_box(lon, lat) -> bool:
    easting, northing = utm32(lon, lat)
    return BOX[0] <= easting <= BOX[2] and BOX[1] <= northing <= BOX[3]


@pytest.fixture
def grid(town):
    rows = "\n".join(f"P{n};{lat};{lon}" for n, (lon, lat) in enumerate(GRID, start=1))
    publish_csv(town, f"punkt;lat;lon\n{rows}\n", name="raster", title="Raster")
    return Client(HTTP_HOST="leichlingen.localhost")


def test_a_bbox_in_utm_gives_exactly_the_points_inside_it(grid):
    expected = {f"P{n}" for n, point in enumerate(GRID, start=1) if _inside_box(*point)}
    # No point so near an edge that a centimetre would decide it:
    for lon, lat in GRID:
        easting, northing = utm32(lon, lat)
        assert min(abs(easting - BOX[0]), abs(easting - BOX[2]),
                   abs(northing - BOX[1]), abs(northing - BOX[3])) > 1
    # The test means something: the lon/lat envelope of the points inside holds others.
    inside = [p for p in GRID if _inside_box(*p)]
    west, east = min(p[0] for p in inside), max(p[0] for p in inside)
    south, north = min(p[1] for p in inside), max(p[1] for p in inside)
    in_envelope = [p for p in GRID if west <= p[0] <= east and south <= p[1] <= north]
    assert len(in_envelope) > len(inside) + 10

    query = {"bbox": ",".join(map(str, BOX)), "bbox-crs": UTM32, "limit": 10000}
    answer = grid.get("/ogc/collections/raster/items", query).json()
    assert {f["properties"]["punkt"] for f in answer["features"]} == expected
    assert answer["numberMatched"] == len(expected)
    # Paging sees the same rows as counting.
    pages, offset = set(), 0
    while True:
        page = grid.get("/ogc/collections/raster/items",
                        {**query, "limit": 400, "offset": offset}).json()
        assert page["numberMatched"] == len(expected)
        pages |= {f["properties"]["punkt"] for f in page["features"]}
        if not page["features"]:
            break
        offset += 400
    assert pages == expected


def test_a_bbox_in_crs84_with_bbox_crs_named(grid):
    query = {"bbox": "7.01,51.10,7.02,51.11", "bbox-crs": CRS84, "limit": 10000}
    answer = grid.get("/ogc/collections/raster/items", query).json()
    expected = {f"P{n}" for n, (lon, lat) in enumerate(GRID, start=1)
                if 7.01 <= lon <= 7.02 and 51.10 <= lat <= 51.11}
    assert {f["properties"]["punkt"] for f in answer["features"]} == expected


def test_a_utm_bbox_beyond_the_projection_refuses_nothing_and_finds_what_it_holds(grid):
    # A box far larger than the zone: the lon/lat envelope cannot be computed, so every
    # point is a candidate and the check in UTM decides.
    query = {"bbox": "-1e12,-1e12,1e12,1e12", "bbox-crs": UTM32, "limit": 10000}
    answer = grid.get("/ogc/collections/raster/items", query)
    assert answer.status_code == 200
    assert answer.json()["numberMatched"] == len(GRID)
    nothing = grid.get("/ogc/collections/raster/items",
                       {"bbox": "0,0,1,1", "bbox-crs": UTM32}).json()
    assert nothing["numberMatched"] == 0


def test_owslib_reads_items_in_utm_with_a_utm_bbox(town, live_server, no_rate_limits):
    publish_csv(town, PLAYGROUNDS, name="spielplaetze", title="Spielplätze")
    api = Features(f"{live_server.url}/ogc/")
    assert UTM32 in api.collection("spielplaetze")["crs"]
    found = api.collection_items(
        "spielplaetze", crs=UTM32, limit=100,
        bbox=[361000, 5663000, 362000, 5664000], **{"bbox-crs": UTM32})
    assert [f["properties"]["spielplatz"] for f in found["features"]] == [
        "Am Wall", "Brückenstraße"]
    easting, northing = found["features"][0]["geometry"]["coordinates"]
    assert abs(easting - AM_WALL_UTM[0]) < CENTIMETRE
    assert abs(northing - AM_WALL_UTM[1]) < CENTIMETRE


def test_gdal_reads_the_utm_answer_back_to_the_source_coordinates(town, live_server,
                                                                  no_rate_limits):
    """Debian's GDAL 3.6 OGC API driver cannot ask for a system yet (that came in 3.7),
    so GDAL reads the GeoJSON answer as EPSG:25832 and transforms it to CRS84 itself:
    swapped axes or a wrong zone would not come back to the source's lon/lat."""
    if shutil.which("ogr2ogr") is None:
        pytest.fail("GDAL's ogr2ogr not found (apt-get install gdal-bin).", pytrace=False)
    publish_csv(town, PLAYGROUNDS, name="spielplaetze", title="Spielplätze")
    url = (f"{live_server.url}{ITEMS}?f=json&limit=100&crs="
           "http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F25832")
    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", "GDAL_HTTP_TIMEOUT": "60"}
    done = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", f"GeoJSON:/vsicurl/{url}",
         "-s_srs", "EPSG:25832", "-t_srs", "OGC:CRS84", "-lco", "COORDINATE_PRECISION=9"],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    features = json.loads(done.stdout)["features"]
    assert len(features) == 7
    for feature, line in zip(features, PLAYGROUNDS.splitlines()[1:], strict=True):
        lat, lon = (float(v.replace(",", ".")) for v in line.split(";")[2:4])
        got_lon, got_lat = feature["geometry"]["coordinates"]
        assert abs(got_lon - lon) < 1e-7 and abs(got_lat - lat) < 1e-7  # about 1 cm


def test_a_point_where_the_projection_gives_out_is_refused_not_made_up(town):
    # On the equator 90° from zone 32's meridian, transverse Mercator has no value.
    publish_csv(town, "ort;lat;lon\nLeichlingen;51,1056;7,0186\nFern;0;99\n",
                name="orte", title="Orte")
    client = Client(HTTP_HOST="leichlingen.localhost")
    far = client.get("/ogc/collections/orte/items/2", {"crs": UTM32})
    assert far.status_code == 400
    assert "CRS84" in far.json()["description"]
    assert client.get("/ogc/collections/orte/items", {"crs": UTM32}).status_code == 400
    near = client.get("/ogc/collections/orte/items/1", {"crs": UTM32})
    assert near.status_code == 200
    assert client.get("/ogc/collections/orte/items/2").json()["geometry"]["coordinates"] == [
        99.0, 0.0]


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(box=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64),
                    min_size=4, max_size=4))
def test_any_utm_bbox_is_answered_or_refused_never_a_server_error(playgrounds, box):
    # The crawl's random text seldom names a system; here every box is in UTM and the
    # answer in UTM, so the transformation of the box and of the points is exercised.
    query = {"bbox": ",".join(map(repr, box)), "bbox-crs": UTM32, "crs": UTM32}
    answer = playgrounds.get(ITEMS, query)
    assert answer.status_code in (200, 400), answer.content
    if answer.status_code == 200:
        west, south, east, north = box
        expected = [p for p in PLAYGROUNDS.splitlines()[1:]
                    if _in(utm32(*_lonlat(p)), west, south, east, north)]
        assert answer.json()["numberMatched"] == len(expected)


def _lonlat(line: str) -> tuple[float, float]:
    lat, lon = (float(v.replace(",", ".")) for v in line.split(";")[2:4])
    return lon, lat


def _in(point, west, south, east, north) -> bool:
    return west <= point[0] <= east and south <= point[1] <= north
