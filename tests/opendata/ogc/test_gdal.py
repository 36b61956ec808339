"""GDAL (Debian's gdal-bin) against a live server, as a GIS user would run it: the OGC
API driver with -where and -spat gets exactly the rows the source data says, and
/vsicurl/ reads the CSV and GeoJSON downloads (in byte ranges).

GDAL's OGC API driver sends an equality on a declared column as `name=value`, and a
comparison on a date column as `datetime=`; it trusts the server with both and does
not filter again. A server that ignores or misreads them gives wrong rows, silently.
"""

import csv
import io
import json
import os
import shutil
import subprocess

import pytest

from tests.factories import PLAYGROUNDS, publish_csv

SOURCE = list(csv.DictReader(io.StringIO(PLAYGROUNDS), delimiter=";"))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _names(predicate) -> list[str]:
    return sorted(row["spielplatz"] for row in SOURCE if predicate(row))


@pytest.fixture(scope="module")
def gdal():
    missing = [tool for tool in ("ogr2ogr", "ogrinfo") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"GDAL's {', '.join(missing)} not found: these tests run Debian's "
                    "gdal-bin (`make browser` installs it, as .ci/run does; by hand: "
                    "apt-get install gdal-bin).", pytrace=False)


@pytest.fixture
def server(town, live_server, no_rate_limits, gdal):
    publish_csv(town, PLAYGROUNDS, name="spielplaetze", title="Spielplätze")
    return live_server.url


def _run(*arguments: str) -> str:
    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", "GDAL_HTTP_TIMEOUT": "60",
           "CPL_VSIL_CURL_CACHE_SIZE": "0"}
    done = subprocess.run(arguments, capture_output=True, text=True, env=env, timeout=300,
                          check=False)
    assert done.returncode == 0, f"{' '.join(arguments)}\n{done.stderr}"
    return done.stdout


def _features(source: str, *options: str) -> list[dict]:
    out = _run("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", source, *options)
    return json.loads(out)["features"]


def _ogc(server, *options) -> list[str]:
    found = _features(f"OAPIF:{server}/ogc/collections/spielplaetze", *options)
    return sorted(f["properties"]["spielplatz"] for f in found)


def test_where_on_a_boolean_column_gives_the_rows_with_that_value(server):
    assert _ogc(server, "-where", "saniert = 1") == _names(lambda r: r["saniert"] == "ja")
    assert _ogc(server, "-where", "saniert = 0") == _names(lambda r: r["saniert"] == "nein")


def test_where_on_an_integer_and_a_text_column(server):
    assert _ogc(server, "-where", "geraete = 5") == _names(lambda r: r["geraete"] == "5")
    # A code with a leading zero stays text, "03" as written.
    assert _ogc(server, "-where", "bezirk = '03'") == _names(lambda r: r["bezirk"] == "03")
    assert _ogc(server, "-where", "spielplatz = 'Brückenstraße'") == ["Brückenstraße"]
    assert _ogc(server, "-where", "geraete = 5 AND bezirk = '07'") == ["Unterberg"]


def test_where_on_the_date_column_is_applied_by_the_server(server):
    assert _ogc(server, "-where", "eroeffnet = '2019-04-01'") == _names(
        lambda r: r["eroeffnet"] == "2019-04-01")
    assert _ogc(server, "-where", "eroeffnet >= '2020-01-01'") == _names(
        lambda r: r["eroeffnet"] >= "2020-01-01")
    assert _ogc(server, "-where", "eroeffnet <= '2019-04-01'") == _names(
        lambda r: r["eroeffnet"] <= "2019-04-01")
    assert _ogc(server, "-where",
                "eroeffnet >= '2018-01-01' AND eroeffnet <= '2019-12-31'") == _names(
        lambda r: "2018-01-01" <= r["eroeffnet"] <= "2019-12-31")


def test_spat_gives_the_rows_inside_the_rectangle(server):
    west, south, east, north = 7.0, 51.10, 7.05, 51.125
    assert _ogc(server, "-spat", str(west), str(south), str(east), str(north)) == _names(
        lambda r: west <= _number(r["lon"]) <= east and south <= _number(r["lat"]) <= north)


def test_the_fields_have_the_types_of_the_columns(server):
    info = _run("ogrinfo", "-ro", "-so", f"OAPIF:{server}/ogc/collections/spielplaetze",
                "spielplaetze")
    assert "bezirk: String" in info and "geraete: Integer (" in info
    assert "saniert: Integer(Boolean)" in info and "eroeffnet: Date" in info


def _rows_as_source(features: list[dict]) -> list[tuple]:
    return sorted((f["properties"]["spielplatz"], f["properties"]["bezirk"],
                   int(f["properties"]["geraete"])) for f in features)


EXPECTED_ROWS = sorted((r["spielplatz"], r["bezirk"], int(r["geraete"])) for r in SOURCE)


def test_vsicurl_reads_the_csv_download(server):
    url = f"/vsicurl/{server}/daten/spielplaetze/download.csv"
    info = _run("ogrinfo", "-ro", "-so", "-al", url)
    assert "Feature Count: 7" in info
    features = _features(url, "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat")
    assert _rows_as_source(features) == EXPECTED_ROWS
    assert features[0]["geometry"]["coordinates"] == [7.0186, 51.1056]


def test_vsicurl_reads_the_geojson_download(server):
    url = f"/vsicurl/{server}/daten/spielplaetze/download.geojson"
    info = _run("ogrinfo", "-ro", "-so", "-al", url)
    assert "Feature Count: 7" in info and "saniert: Integer(Boolean)" in info
    features = _features(url)
    assert _rows_as_source(features) == EXPECTED_ROWS
    assert [f["properties"]["saniert"] for f in features] == [
        row["saniert"] == "ja" for row in SOURCE]
