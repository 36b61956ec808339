"""Uploads are read as a stream, checked in full and typed; problems name the line."""

import json

import pytest

from rathaus.opendata.ingest.decisions import ColumnDecision
from rathaus.opendata.ingest.ingestion import inspect_file, typed_rows
from tests.factories import DISPENSERS


def _all_public(inferred: list[dict]) -> list[ColumnDecision]:
    return [ColumnDecision.from_json({**column, "public": True}) for column in inferred]


def _inspect(tmp_path, content, fmt="csv"):
    path = tmp_path / f"upload.{fmt}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return inspect_file(path, fmt), path


def test_semicolon_csv_with_german_numbers_and_dates_is_typed(tmp_path, settings):
    inspection, path = _inspect(tmp_path, DISPENSERS)
    assert not inspection.errors
    assert inspection.row_count == 3
    types = {c["name"]: (c["type"], c["role"]) for c in inspection.columns}
    assert types == {
        "standort": ("text", ""), "ortsteil": ("text", ""), "lat": ("decimal", "lat"),
        "lon": ("decimal", "lon"), "aufgestellt": ("date", ""),
        "beutel_je_woche": ("decimal", ""), "aktiv": ("boolean", ""),
    }
    rows = list(typed_rows(path, "csv", _all_public(inspection.columns)))
    assert rows[1] == ["Brückenstraße", "Leichlingen-Mitte", 51.1049, 7.0201, "2021-05-01",
                       95.5, True]


def test_comma_csv_with_quotes_and_integers(tmp_path):
    inspection, _path = _inspect(tmp_path, 'bezirk,wahlberechtigte\n"Mitte, Nord",1200\nSüd,980\n')
    assert not inspection.errors
    assert [c["type"] for c in inspection.columns] == ["text", "integer"]


def test_codes_with_leading_zeros_stay_text_and_keep_their_zeros(tmp_path):
    content = ("bezirk;schluessel;anteil;menge;stand\n"
               "01;05378016;0,5;0;01.05.2021\n02;05378020;1.25;7;2021-06-01\n"
               "07;05378024;0.75;-3;2021-07-01\n")
    inspection, path = _inspect(tmp_path, content)
    assert not inspection.errors
    assert [c["type"] for c in inspection.columns] == [
        "text", "text", "decimal", "integer", "date"]
    rows = list(typed_rows(path, "csv", _all_public(inspection.columns)))
    assert [row[:2] for row in rows] == [
        ["01", "05378016"], ["02", "05378020"], ["07", "05378024"]]


@pytest.mark.parametrize("values", [["00.5", "1.5"], ["-01", "2"], ["0007", "8"]])
def test_a_number_with_a_leading_zero_makes_the_column_text(tmp_path, values):
    inspection, _path = _inspect(tmp_path, "wert\n" + "\n".join(values) + "\n")
    assert [c["type"] for c in inspection.columns] == ["text"]


def test_csv_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    content = "name;ort\nA;Leichlingen\nB;K\xf6ln\n".encode("latin-1")
    inspection, _path = _inspect(tmp_path, content)
    assert inspection.errors == [{"line": 3, "column": "", "message": (
        "Zeile 3 ist kein UTF-8-Text. Speichern Sie die Datei als „CSV UTF-8“ und laden "
        "Sie sie erneut hoch.")}]


def test_row_with_too_many_values_is_refused_with_its_line(tmp_path):
    inspection, _path = _inspect(tmp_path, "a;b\n1;2\n3;4;5\n")
    assert inspection.errors[0]["line"] == 3
    assert "Zeile 3 enthält 3 Werte" in inspection.errors[0]["message"]


def test_duplicate_column_name_is_refused(tmp_path):
    inspection, _path = _inspect(tmp_path, "a;a\n1;2\n")
    assert "„a“" in inspection.errors[0]["message"]


def test_json_list_of_flat_objects(tmp_path):
    records = [{"id": n, "name": f"Ort {n}", "offen": n % 2 == 0, "flaeche": n * 1.5}
               for n in range(1, 2001)]
    records[5]["extra"] = "nur hier"
    inspection, path = _inspect(tmp_path, json.dumps(records, indent=1), "json")
    assert not inspection.errors
    assert inspection.row_count == 2000
    assert [(c["name"], c["type"]) for c in inspection.columns] == [
        ("id", "integer"), ("name", "text"), ("offen", "boolean"), ("flaeche", "decimal"),
        ("extra", "text")]
    rows = list(typed_rows(path, "json", _all_public(inspection.columns)))
    assert rows[5] == [6, "Ort 6", True, 9.0, "nur hier"]


def test_json_with_nested_values_names_record_and_field(tmp_path):
    inspection, _path = _inspect(tmp_path, '[{"a": 1}, {"a": {"b": 2}}]', "json")
    assert inspection.errors[0]["line"] == 2
    assert inspection.errors[0]["column"] == "a"


def test_broken_json_is_refused(tmp_path):
    inspection, _path = _inspect(tmp_path, '[{"a": 1}, {"a": ', "json")
    assert inspection.errors and "Eintrag 2" in inspection.errors[0]["message"]


def test_geojson_points_become_rows_with_coordinates(tmp_path):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.01, 51.10]},
         "properties": {"bezeichnung": "Grundschule Am Hasensprung", "wahlbezirk": 3}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [7.09, 51.12]},
         "properties": {"bezeichnung": "Bürgerhaus Witzhelden", "wahlbezirk": 9}},
    ]}
    inspection, path = _inspect(tmp_path, json.dumps(collection), "geojson")
    assert not inspection.errors
    roles = {c["name"]: c["role"] for c in inspection.columns}
    assert roles == {"bezeichnung": "", "wahlbezirk": "", "lon": "lon", "lat": "lat"}
    assert list(typed_rows(path, "geojson", _all_public(inspection.columns)))[1] == [
        "Bürgerhaus Witzhelden", 9, 7.09, 51.12]


def test_geojson_with_a_polygon_is_refused(tmp_path):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
         "properties": {}}]}
    inspection, _path = _inspect(tmp_path, json.dumps(collection), "geojson")
    assert "Punkt" in inspection.errors[0]["message"]


@pytest.mark.parametrize("content", ["", "\n"])
def test_empty_file_is_refused(tmp_path, content):
    inspection, _path = _inspect(tmp_path, content)
    assert inspection.errors


@pytest.mark.parametrize(("content", "fmt"), [
    (bytes(range(256)) * 50, "csv"), (b"a;b\n1;\x00\n", "csv"), (b"[" * 100_000, "json"),
    (b'{"type": "FeatureCollection", "features": [' + b"[" * 100_000, "geojson"),
    (b'[{"a": NaN}, {"a": Infinity}]', "json"), (b"\xef\xbb\xbf", "csv"),
])
def test_garbage_is_refused_with_a_message(tmp_path, content, fmt):
    inspection, _path = _inspect(tmp_path, content, fmt)
    assert inspection.errors or inspection.row_count
