"""Cemetery plan imports: CSV in EPSG:25832 and WGS 84 and GeoJSON polygons land at the
right place in the right fields (new fields created with an outline around their
graves), every bad row is refused with its line and a reason, a confirmed import runs
once and all or nothing, and only the keepers of the cemetery cadastre may import."""

import math
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from rathaus.accounts.permissions import NotPermitted
from rathaus.assets.models import Asset, AssetRevision
from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import importing, services
from rathaus.cemeteries.import_files import FileRefused
from rathaus.cemeteries.models import Grave, GraveKind
from tests.cemeteries.conftest import BYLAW
from tests.factories import make_department, make_staff, office_client

DATA = Path(__file__).parent / "data"
URL = "/verwaltung/friedhof/import/"


def haversine_m(lon1, lat1, lon2, lat2) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def expected_place(row: int, position: int) -> tuple[float, float]:
    """Where the sample files' generator put a grave (WGS 84), about 2.5 m apart."""
    return 7.0180 + position * 0.000036, 51.1095 + row * 0.0000225


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None
                              else (DATA / name).read_bytes())


def preview(world, name: str, *, content: bytes | None = None, cemetery=None, crs=""):
    return importing.preview_import(actor=world["clerk"], cadastre=world["cadastre"],
                                    cemetery=cemetery or world["cemetery"],
                                    file=upload(name, content), crs=crs)


def run(world, previewed):
    return importing.run_import(actor=world["clerk"], cadastre=world["cadastre"],
                                previewed=previewed)


@pytest.fixture
def other_cemetery(cemetery_world, town):
    """A second cemetery whose bylaw knows row graves only, with a field "X-ANDERS-B"."""
    world = cemetery_world
    with authority_context(town):
        cemetery = services.create_cemetery(
            actor=world["clerk"], cadastre=world["cadastre"], number="X-ANDERS",
            name="Waldfriedhof", lon=7.0190, lat=51.1100)
        services.create_field(actor=world["clerk"], cadastre=world["cadastre"],
                              cemetery=cemetery, number="X-ANDERS-B", name="Feld B",
                              lon=7.0191, lat=51.1101)
        services.save_grave_type(actor=world["clerk"], cadastre=world["cadastre"],
                                 cemetery=cemetery, kind=GraveKind.ROW,
                                 values=BYLAW[GraveKind.ROW])
    return cemetery


# --- Files and places ---------------------------------------------------------------

def test_a_csv_in_utm32_lands_in_its_fields_and_creates_the_new_one(cemetery_world, town):
    world = cemetery_world
    with authority_context(town):
        previewed = preview(world, "plan_25832.csv")
        summary = previewed["summary"]
        assert (summary["new"], summary["refused"], summary["new_fields"]) == (6, 0, 1)
        assert summary["crs"] == "EPSG:25832"
        fields = {f["number"]: f for f in summary["fields"]}
        assert fields["FH-T1-A"]["graves"] == 3 and not fields["FH-T1-A"]["new_field"]
        assert fields["FH-T1-B"]["graves"] == 3 and fields["FH-T1-B"]["new_field"]
        assert not Asset.objects.filter(number="P-A-1-1").exists()  # nothing yet

        result = run(world, previewed)
        assert result == {"created": 6, "fields_created": 1, "refused": 0}
        grave = Grave.objects.select_related("asset", "field", "grave_type").get(
            asset__number="P-A-2-1")
        assert grave.field == world["field"] and grave.grave_type.kind == GraveKind.CHOICE
        assert (grave.row, grave.position, grave.places) == (2, 1, 2)
        lon, lat = expected_place(2, 1)
        assert haversine_m(grave.asset.lon, grave.asset.lat, lon, lat) < 0.5
        assert grave.asset.revisions.get().reason == "Import plan_25832.csv"

        new_field = Asset.objects.get(number="FH-T1-B")
        assert new_field.parent == world["cemetery"] and new_field.name == "Feld B"
        assert new_field.outline["type"] == "Polygon"
        assert len(new_field.outline["coordinates"][0]) >= 4  # a closed ring
        urn = Grave.objects.get(asset__number="P-B-1-1")
        assert urn.field == new_field and urn.places == 4
        assert urn.grave_type.kind == GraveKind.URN_CHOICE
        # Places not given take the bylaw's places of a new grave.
        assert Grave.objects.get(asset__number="P-B-1-2").places == BYLAW[GraveKind.URN_ROW][
            "places"]


def test_a_csv_in_wgs84_separated_by_commas(cemetery_world, town):
    world = cemetery_world
    with authority_context(town):
        previewed = preview(world, "plan_4326.csv")
        assert previewed["summary"]["crs"] == "EPSG:4326"
        assert (previewed["summary"]["new"], previewed["summary"]["refused"]) == (6, 0)
        run(world, previewed)
        asset = Asset.objects.get(number="WP-B-2-1")
        lon, lat = expected_place(2 + 4 + 10, 1)
        assert haversine_m(asset.lon, asset.lat, lon, lat) < 0.05
        assert asset.grave.grave_type.kind == GraveKind.TREE


def test_geojson_polygons_keep_their_outline_and_a_grave_too_big_is_refused(
        cemetery_world, town):
    world = cemetery_world
    with authority_context(town), translation.override("en"):
        previewed = preview(world, "plan_polygons.geojson")
        summary = previewed["summary"]
        assert (summary["new"], summary["refused"]) == (5, 1)
        refused = summary["refused_rows"][0]
        assert refused["line"] == 5 and refused["number"] == "G-C-2-1"
        assert "more than a grave may have (30 m²)" in refused["reason"]
        run(world, previewed)
        asset = Asset.objects.get(number="G-C-1-2")
        assert asset.outline["type"] == "Polygon"
        lon, lat = expected_place(20, 2)
        assert haversine_m(asset.lon, asset.lat, lon, lat) < 0.1  # the centroid
        assert Asset.objects.get(number="G-C-2-3").outline is None  # a point feature
        assert Grave.objects.get(asset__number="G-C-1-4").grave_type.kind == GraveKind.CHOICE
        field = Asset.objects.get(number="FH-T1-C")
        ring = field.outline["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4


def test_geojson_in_utm32_with_german_property_names(cemetery_world, town):
    world = cemetery_world
    with authority_context(town):
        previewed = preview(world, "plan_25832.geojson")
        assert previewed["summary"]["crs"] == "EPSG:25832"
        assert (previewed["summary"]["new"], previewed["summary"]["refused"]) == (2, 0)
        run(world, previewed)
        asset = Asset.objects.get(number="U-D-1-2")
        lon, lat = expected_place(24, 2)
        assert haversine_m(asset.lon, asset.lat, lon, lat) < 0.5
        corner = asset.outline["coordinates"][0][0]
        assert 7.01 < corner[0] < 7.03 and 51.10 < corner[1] < 51.12  # stored in WGS 84
        assert asset.parent.number == "FH-T1-D"


def test_every_bad_row_is_refused_with_its_line_and_reason(cemetery_world, other_cemetery,
                                                           town):
    world = cemetery_world
    with authority_context(town), translation.override("en"):
        previewed = preview(world, "refusals.csv")
    summary = previewed["summary"]
    reasons = {row["line"]: row["reason"] for row in summary["refused_rows"]}
    assert summary["new"] == 1 and sorted(reasons) == list(range(3, 14))
    assert reasons[3] == "The number A-1-1 is taken."
    assert reasons[4] == "The number R-1 appears already in line 2."
    assert reasons[5] == "Unknown grave type „Familiengruft“."
    assert reasons[6] == "The coordinates are missing or not numbers."
    assert reasons[7].startswith("The coordinates lie outside Germany")
    assert reasons[8].startswith("The grave lies 11,")  # km from the cemetery
    assert reasons[9] == "Row and position must be whole numbers from 1 to 9999."
    assert reasons[10] == "The field X-ANDERS-B belongs to another cemetery."
    assert reasons[11] == "The field is missing."
    assert reasons[12] == "The places must be a whole number from 1 to 12."
    assert reasons[13] == "The number is missing."


def test_a_grave_type_the_cemeterys_bylaw_lacks_is_refused(cemetery_world, other_cemetery,
                                                            town):
    world = cemetery_world
    csv = (b"field;number;row;position;type;lon;lat\n"
           b"B;W-1;1;1;Reihengrab;7.0191;51.1101\n"
           b"B;W-2;1;2;Wahlgrab;7.0191;51.1101\n")
    with authority_context(town), translation.override("en"):
        previewed = preview(world, "w.csv", content=csv, cemetery=other_cemetery)
        assert previewed["summary"]["new"] == 1
        assert previewed["summary"]["refused_rows"] == [{
            "line": 3, "number": "W-2",
            "reason": "The bylaw of Waldfriedhof has no grave type grave of choice."}]
        run(world, previewed)
        assert Asset.objects.get(number="W-1").parent.number == "X-ANDERS-B"


@pytest.mark.parametrize(("name", "content", "says"), [
    ("leer.csv", b"", "The file is empty."),
    ("plan.csv", b"field;number\nA;1\n", "The file has no column „type“."),
    ("plan.csv", b"field;number;type\nA;1;Reihengrab\n", "The file needs the columns x"),
    ("plan.csv", "feld;nummer\nä".encode("latin-1"), "The file is not saved as UTF-8."),
    ("plan.geojson", b"{not json", "The file is not valid GeoJSON."),
    ("plan.geojson", b'{"type": "Feature"}', "The file is not a GeoJSON FeatureCollection."),
    ("plan.pdf", b"%PDF-1.7\n...", "The file is neither a CSV file nor GeoJSON."),
    ("plan.zip", b"PK\x03\x04....", "The file is neither a CSV file nor GeoJSON."),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(cemetery_world, town, name,
                                                          content, says):
    with authority_context(town), translation.override("en"), \
            pytest.raises(FileRefused) as refused:
        preview(cemetery_world, name, content=content)
    assert str(refused.value).startswith(says)


def test_a_geojson_in_another_system_or_with_a_broken_polygon(cemetery_world, town):
    other = (b'{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
             b'{"name": "EPSG:31466"}}, "features": []}')
    broken = (b'{"type": "FeatureCollection", "features": ['
              b'{"type": "Feature", "properties": {"field": "A", "number": "K-1", "row": 1, '
              b'"position": 1, "type": "Reihengrab"}, "geometry": {"type": "Polygon", '
              b'"coordinates": [[[7.018, 51.11], [7.01801, 51.11], [7.01801, 51.11002]]]}},'
              b'{"type": "Feature", "properties": {"field": "A", "number": "K-2", "row": 1, '
              b'"position": 2, "type": "Reihengrab"}, "geometry": {"type": "LineString", '
              b'"coordinates": [[7.018, 51.11], [7.019, 51.11]]}}]}')
    with authority_context(town), translation.override("en"):
        with pytest.raises(FileRefused, match="EPSG:31466"):
            preview(cemetery_world, "a.geojson", content=other)
        rows = preview(cemetery_world, "b.geojson", content=broken)["summary"]["refused_rows"]
    assert [r["reason"] for r in rows] == ["The polygon's coordinates cannot be read.",
                                           "The feature is neither a point nor a polygon."]


# --- All or nothing, once -------------------------------------------------------------

def test_a_number_taken_since_the_preview_refuses_the_whole_import(cemetery_world, town):
    world = cemetery_world
    with authority_context(town):
        previewed = preview(world, "plan_25832.csv")
        services.create_graves(actor=world["clerk"], cadastre=world["cadastre"],
                               field=world["field"], reason="meanwhile", graves=[
                                   services.NewGrave(number="P-B-2-1", row=9, position=9,
                                                     kind=GraveKind.ROW, lon=7.0181,
                                                     lat=51.1096)])
        with pytest.raises(importing.ImportRefused):
            run(world, previewed)
        assert not Asset.objects.filter(number__startswith="P-A-").exists()
        assert not Asset.objects.filter(number="FH-T1-B").exists()


def test_a_failure_in_the_second_field_leaves_the_first_untouched(cemetery_world, town,
                                                                  monkeypatch):
    world = cemetery_world
    real = services.create_graves
    calls = []

    def failing_second(**kwargs):
        calls.append(kwargs["field"].number)
        if len(calls) == 2:
            raise services.InvalidGrave("kaputt")
        return real(**kwargs)

    with authority_context(town):
        previewed = preview(world, "plan_25832.csv")
        monkeypatch.setattr(services, "create_graves", failing_second)
        with pytest.raises(importing.ImportRefused, match="kaputt"):
            run(world, previewed)
        assert calls == ["FH-T1-A", "FH-T1-B"]
        assert not Asset.objects.filter(number__startswith="P-").exists()
        assert not Asset.objects.filter(number="FH-T1-B").exists()
        assert Grave.objects.count() == 2 * len(BYLAW)  # the world's own


def test_two_thousand_graves_are_imported_at_once(cemetery_world, town):
    # How long it takes is measured by bench/bench_cemeteries.py, not here.
    lines = ["field;number;row;position;type;lon;lat"]
    for i in range(2000):
        row, position = divmod(i, 50)
        lon, lat = expected_place(row + 1, position + 1)
        lines.append(f"M;M-{i};{row + 1};{position + 1};Urnenreihengrab;{lon:.7f};{lat:.7f}")
    content = "\n".join(lines).encode()
    with authority_context(town):
        previewed = preview(cemetery_world, "gross.csv", content=content)
        result = run(cemetery_world, previewed)
        assert Grave.objects.filter(field__number="FH-T1-M").count() == 2000
    assert result["created"] == 2000


def test_a_preview_whose_file_is_gone_asks_for_the_file_again(cemetery_world, town):
    from django.core.files.storage import default_storage

    with authority_context(town), translation.override("de"):
        previewed = preview(cemetery_world, "plan_25832.csv")
        default_storage.delete(previewed["blob_name"])
        with pytest.raises(importing.ImportRefused) as refused:
            run(cemetery_world, previewed)
        assert "erneut hoch" in refused.value.message
        assert not Asset.objects.filter(number__startswith="P-A-").exists()


# --- Permission and pages ---------------------------------------------------------------

def test_only_a_keeper_of_the_cemetery_cadastre_may_import(cemetery_world, town):
    tax_office = make_department(town, slug="steueramt", name="Steueramt")
    clerk, device = make_staff(town, departments=[tax_office], email="steuer@x.example")
    with authority_context(town), pytest.raises(NotPermitted):
        importing.preview_import(actor=clerk, cadastre=cemetery_world["cadastre"],
                                 cemetery=cemetery_world["cemetery"],
                                 file=upload("plan_25832.csv"))
    with authority_context(town):
        previewed = preview(cemetery_world, "plan_25832.csv")
        with pytest.raises(NotPermitted):
            importing.run_import(actor=clerk, cadastre=cemetery_world["cadastre"],
                                 previewed=previewed)
    client = office_client(clerk, device)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": upload("plan_25832.csv")}).status_code == 404


@pytest.fixture
def keeper(cemetery_world):
    return office_client(cemetery_world["clerk"], cemetery_world["device"])


def test_the_pages_preview_confirm_once_and_show_the_result(cemetery_world, other_cemetery,
                                                            keeper, town):
    page = keeper.get(URL)
    assert page.status_code == 200
    assert "Testfriedhof" in page.content.decode()
    uploaded = keeper.post(URL, {"cemetery": cemetery_world["cemetery"].pk,
                                 "file": upload("refusals.csv"), "crs": ""})
    assert uploaded.status_code == 302
    shown = keeper.get(uploaded["Location"])
    html = shown.content.decode()
    assert shown.status_code == 200
    assert 'id="count-new">1<' in html and 'id="count-refused">11<' in html
    assert "Familiengruft" in html
    with authority_context(town):
        assert not Asset.objects.filter(number="R-1").exists()

    run_url = uploaded["Location"] + "ausfuehren/"
    done = keeper.post(run_url)
    assert done.status_code == 302 and done["Location"].endswith("/ergebnis/")
    again = keeper.post(run_url)
    assert again.status_code == 302
    result = keeper.get(done["Location"])
    assert 'id="result-created">1<' in result.content.decode()
    assert keeper.get(uploaded["Location"]).status_code == 302  # no preview any more
    with authority_context(town):
        assert Asset.objects.filter(number="R-1").count() == 1
        assert AssetRevision.objects.filter(asset__number="R-1").count() == 1


def test_the_page_refuses_a_bad_upload_on_the_form(cemetery_world, keeper, monkeypatch):
    cemetery = cemetery_world["cemetery"].pk
    bad = keeper.post(URL, {"cemetery": cemetery, "file": upload("x.pdf", b"%PDF-1.7 x")})
    assert bad.status_code == 400 and "kern-error" in bad.content.decode() or \
        "kern-form-input--error" in bad.content.decode()
    assert keeper.post(URL, {"cemetery": cemetery}).status_code == 400  # no file
    assert keeper.post(URL, {"cemetery": 999999,
                             "file": upload("plan_25832.csv")}).status_code == 400
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    assert keeper.post(URL, {"cemetery": cemetery,
                             "file": upload("plan_25832.csv")}).status_code == 400


def test_another_session_does_not_find_the_preview(cemetery_world, keeper, town):
    uploaded = keeper.post(URL, {"cemetery": cemetery_world["cemetery"].pk,
                                 "file": upload("plan_4326.csv")})
    colleague, device = make_staff(town, departments=[cemetery_world["department"]],
                                   email="kollegin@leichlingen.example")
    other = office_client(colleague, device)
    assert other.get(uploaded["Location"]).status_code == 404
    assert other.post(uploaded["Location"] + "ausfuehren/").status_code == 404
