"""The tree cadastre's open data "baeume": public columns only, an OGC API collection
that GDAL's ogrinfo and OWSLib read from a live server, and a DCAT catalogue that
still conforms to DCAT-AP.de with it."""

import csv
import io
import os
import shutil
import subprocess
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from owslib.ogcapi.features import Features

from rathaus.assets import services
from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.models import Dataset
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.publication.producers import producer
from rathaus.trees.open_data import DATASET
from tests.factories import OPENDATA_HOST

COLUMNS = ["nummer", "baumart", "botanischer_name", "pflanzjahr", "hoehe_m",
           "kronendurchmesser_m", "strasse", "lon", "lat"]
TREES = (  # number, species, lon, lat, planting year, height, street
    ("B-1", "winterlinde", 7.0117, 51.1063, 1980, 18.5, "Am Büscherhof"),
    ("B-2", "stieleiche", 7.0201, 51.1049, 1955, 24, "Brückenstraße"),
    ("B-3", "birke", 7.0982, 51.1231, 2012, 9.5, "Kirchplatz"),
)


@pytest.fixture
def trees(cadastres, town):
    with authority_context(town):
        for number, species, lon, lat, year, height, street in TREES:
            tree = services.create_asset(
                actor=cadastres["inspector"], cadastre=cadastres["trees"], kind="tree",
                number=number, type=species, lon=lon, lat=lat,
                attributes={"planting_year": year, "height": height, "crown_diameter": 8,
                            "trunk_circumference": 150, "traffic_expectation": "high",
                            "street": street})
        services.record_inspection(
            actor=cadastres["inspector"], asset=tree, client_id=uuid.uuid4(), kind="regular",
            inspected_at=timezone.now(), seen_version=tree.version, condition="damaged",
            notes="Prüferin Lieschen Müller: Höhlung am Stammfuß")
        refresh_automatic_datasets()
    return town


def _csv(client) -> list[dict]:
    response = client.get(f"/daten/{DATASET}/download.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_no_tree_no_dataset(town):
    with authority_context(town):
        assert not producer(DATASET).applies()


def test_the_dataset_holds_only_public_columns(trees):
    with authority_context(trees):
        assert Dataset.objects.get(name=DATASET).published
    rows = _csv(Client(HTTP_HOST=OPENDATA_HOST))
    assert list(rows[0]) == COLUMNS
    assert rows[0] == {"nummer": "B-1", "baumart": "Winterlinde",
                       "botanischer_name": "Tilia cordata", "pflanzjahr": "1980",
                       "hoehe_m": "18.5", "kronendurchmesser_m": "8.0",
                       "strasse": "Am Büscherhof", "lon": "7.0117", "lat": "51.1063"}
    text = str(rows)
    for secret in ("damaged", "high", "Müller", "Höhlung", "150"):
        assert secret not in text


@pytest.fixture(scope="module")
def gdal():
    if shutil.which("ogrinfo") is None:
        pytest.fail("GDAL's ogrinfo not found: these tests run Debian's gdal-bin "
                    "(apt-get install gdal-bin).", pytrace=False)


@pytest.fixture
def live_trees(trees, live_server, no_rate_limits):
    return live_server.url


def test_ogrinfo_reads_the_trees_collection(live_trees, gdal):
    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", "GDAL_HTTP_TIMEOUT": "60"}
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", f"OAPIF:{live_trees}/ogc/collections/{DATASET}"],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Feature Count: 3" in out or out.count("OGRFeature(") == 3
    assert "baumart (String) = Stieleiche" in out
    assert "botanischer_name (String) = Quercus robur" in out
    assert "POINT (7.0982 51.1231)" in out
    assert "damaged" not in out and "traffic" not in out


def test_owslib_reads_the_trees_with_a_bbox(live_trees):
    api = Features(f"{live_trees}/ogc/")
    assert DATASET in api.feature_collections()
    found = api.collection_items(DATASET, bbox=[7.0, 51.10, 7.05, 51.11], limit=10)
    assert found["numberMatched"] == 2
    assert sorted(f["properties"]["nummer"] for f in found["features"]) == ["B-1", "B-2"]
    single = api.collection_item(DATASET, "3")
    assert single["geometry"]["coordinates"] == [7.0982, 51.1231]


def test_the_catalogue_with_the_trees_still_conforms_to_dcat_ap_de(trees):
    from tests.opendata.dcat.test_dcat import assert_conforms, fetch

    public = Client(HTTP_HOST=OPENDATA_HOST)
    graph = fetch(public, "/catalog.ttl")
    assert any(str(s).endswith(f"/dataset/{DATASET}") for s in graph.subjects())
    assert_conforms(graph)
    assert_conforms(fetch(public, f"/dataset/{DATASET}.ttl"))
