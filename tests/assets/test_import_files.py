"""The import primitives the cadastres share (trees and cemeteries call them)."""

import io

import pytest

from rathaus.assets import import_files as core


def test_column_names_by_the_kinds_list_and_german_aliases():
    assert core.column_name(" Crown-Diameter ") == "crown_diameter"
    assert core.column_name("crown_diam", columns=("crown_diameter",)) == "crown_diameter"
    assert core.column_name("Grabart", aliases={"grabart": "type"}) == "type"


@pytest.mark.parametrize("value", [True, "nan", float("inf"), "", None, "x"])
def test_what_is_no_finite_number_is_no_coordinate(value):
    with pytest.raises((TypeError, ValueError)):
        core.number(value)


def test_a_decimal_comma_is_read():
    assert core.number(" 7,5 ") == 7.5


def test_an_upload_over_the_limit_is_refused_in_german_words():
    with pytest.raises(core.FileRefused, match="1 MB"):
        core.read_limited(io.BytesIO(b"x" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)
    assert core.read_limited(io.BytesIO(b"abc"), max_bytes=3) == b"abc"


def test_the_upload_name_loses_its_folders():
    file = io.BytesIO(b"")
    file.name = "C:\\Users\\amt\\Bäume.csv"
    assert core.upload_name(file) == "Bäume.csv"


def test_csv_rows_skip_empty_lines_and_count_against_the_limit():
    header, reader = core.csv_header("Nummer;x;y\n1;2;3\n;;\n4;5;6\n",
                                     column=lambda h: core.column_name(
                                         h, aliases={"nummer": "number"}))
    assert header == ["number", "x", "y"]
    assert core.csv_crs(header, "") == (core.UTM32, True)
    assert [line for line, _values in core.csv_rows(header, reader, max_rows=5)] == [2, 4]
    header, reader = core.csv_header("number;x;y\n1;2;3\n4;5;6\n", column=str)
    with pytest.raises(core.FileRefused):
        list(core.csv_rows(header, reader, max_rows=1))


def test_a_declared_crs_that_contradicts_the_choice_is_refused():
    text = '{"type": "FeatureCollection", "features": [], "crs": {"properties": ' \
           '{"name": "urn:ogc:def:crs:EPSG::25832"}}}'
    assert core.geojson_features(text, crs="", column=str, max_rows=1)[0] == core.UTM32
    with pytest.raises(core.FileRefused):
        core.geojson_features(text, crs=core.WGS84, column=str, max_rows=1)


def test_utm32_is_converted_to_wgs84():
    lon, lat = core.to_wgs84(500000, 5800000, core.UTM32)
    assert lon == pytest.approx(9.0, abs=1e-6)
    assert 52.3 < lat < 52.4
    assert core.outside_germany(lon, lat) == ""
    assert core.outside_germany(2.35, 48.85)


def test_a_number_is_checked():
    assert core.checked_number({"number": " B-12 "}) == ("B-12", "")
    assert core.checked_number({"number": ""})[1]
    assert core.checked_number({"number": "a;b"})[1]
