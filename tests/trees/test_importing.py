"""Tree imports: Shapefiles in EPSG:25832 land at the right place, CSV and GeoJSON
are read, bad rows are refused with their line and a reason, and a confirmed import
runs once."""

import io
import json
import math
import zipfile

import pytest
import shapefile
from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.accounts.permissions import NotPermitted
from rathaus.assets.models import Asset, AssetRevision
from rathaus.authorities.tenancy import authority_context
from rathaus.trees import importing
from rathaus.trees.import_files import FileRefused, read_file
from rathaus.trees.models import TreeImport

# ETRS89 / UTM zone 32N (EPSG:25832) at Leichlingen's town hall (Am Büscherhof, about
# 51.1063 N, 7.0117 E).
TOWN_HALL_E, TOWN_HALL_N = 360_807.0, 5_663_526.0

PRJ_25832 = (
    'PROJCS["ETRS_1989_UTM_Zone_32N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",'
    'SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)


def utm32_to_lonlat(easting: float, northing: float) -> tuple[float, float]:
    """Inverse transverse Mercator on GRS 80 (Snyder, USGS Professional Paper 1395,
    pp. 63-64), written out here so the test does not check pyproj with pyproj."""
    a, f, k0 = 6378137.0, 1 / 298.257222101, 0.9996
    e2 = f * (2 - f)
    ep2 = e2 / (1 - e2)
    x, m = easting - 500_000.0, northing / k0
    mu = m / (a * (1 - e2 / 4 - 3 * e2**2 / 64 - 5 * e2**3 / 256))
    e1 = (1 - math.sqrt(1 - e2)) / (1 + math.sqrt(1 - e2))
    phi1 = (mu + (3 * e1 / 2 - 27 * e1**3 / 32) * math.sin(2 * mu)
            + (21 * e1**2 / 16 - 55 * e1**4 / 32) * math.sin(4 * mu)
            + (151 * e1**3 / 96) * math.sin(6 * mu) + (1097 * e1**4 / 512) * math.sin(8 * mu))
    c1, t1 = ep2 * math.cos(phi1) ** 2, math.tan(phi1) ** 2
    n1 = a / math.sqrt(1 - e2 * math.sin(phi1) ** 2)
    r1 = a * (1 - e2) / (1 - e2 * math.sin(phi1) ** 2) ** 1.5
    d = x / (n1 * k0)
    phi = phi1 - (n1 * math.tan(phi1) / r1) * (
        d**2 / 2 - (5 + 3 * t1 + 10 * c1 - 4 * c1**2 - 9 * ep2) * d**4 / 24
        + (61 + 90 * t1 + 298 * c1 + 45 * t1**2 - 252 * ep2 - 3 * c1**2) * d**6 / 720)
    lam = (d - (1 + 2 * t1 + c1) * d**3 / 6
           + (5 - 2 * c1 + 28 * t1 - 3 * c1**2 + 8 * ep2 + 24 * t1**2) * d**5 / 120
           ) / math.cos(phi1)
    return 9.0 + math.degrees(lam), math.degrees(phi)


def haversine_m(lon1, lat1, lon2, lat2) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def shapefile_zip(points, *, prj=PRJ_25832) -> bytes:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POINT) as writer:
        writer.field("number", "C", 20)
        writer.field("species", "C", 60)
        writer.field("planting_y", "N", 4)  # the format cuts names to 10 characters
        writer.field("street", "C", 80)
        for (x, y), record in points:
            writer.point(x, y)
            writer.record(*record)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("baeume.shp", shp.getvalue())
        zipped.writestr("baeume.shx", shx.getvalue())
        zipped.writestr("baeume.dbf", dbf.getvalue())
        if prj:
            zipped.writestr("baeume.prj", prj)
    return archive.getvalue()


def _import(cadastres, content, name, crs=""):
    upload = SimpleUploadedFile(name, content)
    tree_import = importing.preview_import(actor=cadastres["inspector"],
                                           cadastre=cadastres["trees"], file=upload, crs=crs)
    return tree_import


def _run(cadastres, tree_import):
    """Confirm; the background task runs at once in tests."""
    return importing.confirm_import(actor=cadastres["inspector"], cadastre=cadastres["trees"],
                                    tree_import=tree_import)


def test_the_independent_formula_agrees_with_a_published_point():
    # The UTM 32N origin of the central meridian at the equator's false easting.
    lon, lat = utm32_to_lonlat(500_000.0, 0.0)
    assert (lon, lat) == pytest.approx((9.0, 0.0), abs=1e-9)


def test_a_shapefile_in_utm_32n_lands_at_the_right_place(cadastres, town):
    content = shapefile_zip([((TOWN_HALL_E, TOWN_HALL_N),
                              ("B-1", "Stieleiche", 1975, "Am Büscherhof"))])
    with authority_context(town):
        tree_import = _import(cadastres, content, "baeume.zip")
        assert tree_import.summary["crs"] == "EPSG:25832"
        assert tree_import.summary["new"] == 1 and tree_import.summary["refused"] == 0
        _run(cadastres, tree_import)
        tree = Asset.objects.get(kind="tree", number="B-1")
        lon, lat = utm32_to_lonlat(TOWN_HALL_E, TOWN_HALL_N)
        assert haversine_m(lon, lat, 7.0117, 51.1063) < 30  # the town hall
        assert haversine_m(tree.lon, tree.lat, lon, lat) < 1.0
        assert tree.type == "stieleiche"
        assert tree.attributes["planting_year"] == 1975
        assert tree.attributes["street"] == "Am Büscherhof"
        assert AssetRevision.objects.get(asset=tree).reason == "Import baeume.zip"


def test_a_shapefile_without_prj_needs_a_chosen_crs(cadastres, town):
    content = shapefile_zip([((TOWN_HALL_E, TOWN_HALL_N), ("B-1", "birke", 2000, ""))],
                            prj=None)
    with pytest.raises(FileRefused):
        read_file(content, filename="b.zip")
    crs, rows = read_file(content, filename="b.zip", crs="EPSG:25832")
    assert crs == "EPSG:25832" and len(rows) == 1


def test_a_shapefile_whose_prj_contradicts_the_choice_is_refused():
    content = shapefile_zip([((TOWN_HALL_E, TOWN_HALL_N), ("B-1", "birke", 2000, ""))])
    with pytest.raises(FileRefused):
        read_file(content, filename="b.zip", crs="EPSG:4326")


CSV = (
    "\ufeffnumber;species;x;y;planting_year;height;crown_diameter;trunk_circumference;"
    "traffic_expectation;street\n"
    "B-1;Winterlinde;360807;5663526;1980;18,5;9;210;hoch;Brückenstraße\n"
    "B-2;Acer platanoides;360827;5663536;2001;12;6;120;medium;Brückenstraße\n"
    ";birke;365990;5663420;2010;;;;;\n"
    "B-4;Palme;366000;5663430;2010;;;;;\n"
    "B-5;birke;9000000;5663430;2010;;;;;\n"
    "B-1;birke;366010;5663440;2010;;;;;\n"
    "B-7;birke;abc;5663440;2010;;;;;\n"
    "B-8;birke;366020;5663450;zwanzig;;;;;\n"
    "B 9 mit einer viel zu langen Nummer die niemand lesen kann;birke;366030;5663460;;;;;;\n"
)


def test_refused_rows_name_their_line_and_reason(cadastres, town):
    with authority_context(town):
        tree_import = _import(cadastres, CSV.encode(), "baeume.csv")
    summary = tree_import.summary
    assert summary["crs"] == "EPSG:25832"
    assert summary["new"] == 2
    refused = {row["line"]: row["reason"] for row in summary["refused_rows"]}
    assert set(refused) == {4, 5, 6, 7, 8, 9, 10}
    assert "Palme" in refused[5]
    assert "2" in refused[7]  # the line where B-1 appeared first
    assert len(set(refused.values())) == 7  # each its own reason


def test_a_csv_with_commas_and_lon_lat_is_read_as_wgs84(cadastres, town):
    content = (b"number,species,lon,lat,traffic_expectation\n"
               b"B-1,birke,7.0117,51.1063,low\n")
    with authority_context(town):
        tree_import = _import(cadastres, content, "baeume.csv")
        assert tree_import.summary["crs"] == "EPSG:4326"
        _run(cadastres, tree_import)
        tree = Asset.objects.get(number="B-1")
        assert (tree.lon, tree.lat) == (7.0117, 51.1063)
        assert tree.attributes["traffic_expectation"] == "low"


def test_a_geojson_file_with_a_crs_member_is_converted(cadastres, town):
    document = {"type": "FeatureCollection",
                "crs": {"type": "name",
                        "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
                "features": [
                    {"type": "Feature", "geometry": {"type": "Point",
                                                     "coordinates": [TOWN_HALL_E, TOWN_HALL_N]},
                     "properties": {"number": "G-1", "species": "Quercus robur",
                                    "height": 21.5}},
                    {"type": "Feature", "geometry": {"type": "LineString",
                                                     "coordinates": [[0, 0], [1, 1]]},
                     "properties": {"number": "G-2", "species": "birke"}},
                ]}
    with authority_context(town):
        tree_import = _import(cadastres, json.dumps(document).encode(), "b.geojson")
        assert tree_import.summary["new"] == 1
        assert tree_import.summary["refused_rows"][0]["line"] == 2
        _run(cadastres, tree_import)
        tree = Asset.objects.get(number="G-1")
        lon, lat = utm32_to_lonlat(TOWN_HALL_E, TOWN_HALL_N)
        assert haversine_m(tree.lon, tree.lat, lon, lat) < 1.0
        assert tree.attributes["height"] == 21.5


def test_a_second_import_shows_what_it_changes_and_runs_once(cadastres, town):
    first = "number;species;lon;lat;height\nB-1;birke;7.01;51.1;10\nB-2;birke;7.02;51.1;8\n"
    second = "number;species;lon;lat;height\nB-1;birke;7.01;51.1;12\nB-2;birke;7.02;51.1;8\n"
    with authority_context(town):
        _run(cadastres, _import(cadastres, first.encode(), "eins.csv"))
        tree_import = _import(cadastres, second.encode(), "zwei.csv")
        assert tree_import.summary["changed"] == 1 and tree_import.summary["unchanged"] == 1
        (changed,) = tree_import.summary["changed_rows"]
        assert changed["number"] == "B-1" and len(changed["fields"]) == 1
        _run(cadastres, tree_import)
        again = _run(cadastres, tree_import)
        assert again.state == TreeImport.State.DONE
        tree = Asset.objects.get(number="B-1")
        assert tree.attributes["height"] == 12.0 and tree.version == 2


def test_a_file_that_is_not_utf8_is_refused_as_a_whole():
    with pytest.raises(FileRefused):
        read_file("number;species;lon;lat\nB-1;Rosskastanie;7;51\n".encode("utf-16"),
                  filename="b.csv")


def test_only_keepers_of_the_cadastre_may_import(cadastres, town):
    from tests.factories import make_department, make_staff

    tax_office = make_department(town, slug="steueramt", name="Steueramt")
    other, _device = make_staff(town, departments=[tax_office],
                                email="steuer@leichlingen.example")
    with authority_context(town), pytest.raises(NotPermitted):
        importing.preview_import(actor=other, cadastre=cadastres["trees"],
                                 file=SimpleUploadedFile("b.csv", b"number;species\n"))


def test_an_import_whose_stored_file_changed_fails_and_changes_no_tree(cadastres, town,
                                                                      settings):
    from django.core.files.storage import default_storage

    content = b"number;species;lon;lat\nB-1;birke;7.01;51.1\n"
    with authority_context(town):
        tree_import = _import(cadastres, content, "b.csv")
        with default_storage.open(tree_import.blob_name, "wb") as blob:
            blob.write(b"number;species;lon;lat\nB-9;birke;7.01;51.1\n")
        done = _run(cadastres, tree_import)
        assert done.state == TreeImport.State.FAILED and done.summary["error"]
        assert not Asset.objects.exists()
        assert _run(cadastres, done).state == TreeImport.State.FAILED


def test_too_many_rows_and_a_zip_that_unpacks_too_large_are_refused(monkeypatch):
    from rathaus.trees import import_files

    monkeypatch.setattr(import_files, "MAX_ROWS", 2)
    with pytest.raises(FileRefused):
        read_file(b"number;species;lon;lat\n1;birke;7;51\n2;birke;7;51\n3;birke;7;51\n",
                  filename="b.csv")
    monkeypatch.setattr(import_files, "MAX_UNPACKED_BYTES", 1000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("b.shp", b"\0" * 100_000)
    with pytest.raises(FileRefused):
        read_file(bomb.getvalue(), filename="b.zip", crs="EPSG:25832")
