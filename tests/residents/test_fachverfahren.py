"""The JSON-file adapter: one file per change, with the documented fields."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from rathaus.residents.models import ResidenceKind
from rathaus.residents.services import AlreadyMainResident, move_within, register_move_in

from .conftest import FAMILY, dwelling

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).parents[2] / "docs" / "residents.md"


@pytest.fixture
def export_dir(settings, tmp_path):
    settings.RATHAUS_RESIDENTS_ADAPTER = "json-files"
    settings.RATHAUS_RESIDENTS_EXPORT_DIR = tmp_path / "melderegister"
    return settings.RATHAUS_RESIDENTS_EXPORT_DIR


def _files(folder: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.iterdir())]


def test_each_change_is_one_file_in_the_folder(in_town, clerk, export_dir,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change = register_move_in(actor=clerk, household=FAMILY, dwelling=dwelling(),
                                  moved_in=date(2024, 3, 1), kind=ResidenceKind.MAIN)
    with django_capture_on_commit_callbacks(execute=True):
        move_within(actor=clerk, household=change.household,
                    dwelling=dwelling("Brückenstraße", "4", "00340"), moved_in=date(2025, 9, 15))
    assert [p.suffix for p in export_dir.iterdir()] == [".json", ".json"]
    move_in, move = _files(export_dir)
    assert (move_in["schema"], move_in["schema_version"]) == ("rathaus.melderegister.change", 1)
    assert [move_in["change"], move["change"]] == ["move_in", "move_within"]
    assert move_in["change_id"] == str(change.id)
    anna = next(p for p in move["persons"] if p["given_names"] == "Anna")
    assert anna["moved_out_of"] == {
        "dwelling": {"street": "Marktstraße", "street_key": "01210", "house_number": "17",
                     "postcode": "42799", "place": "Leichlingen"},
        "kind": "main", "moved_in": "2024-03-01", "moved_out": "2025-09-15"}
    assert anna["moved_into"]["dwelling"]["street_key"] == "00340"
    assert anna["objections"] == ["address_books"]
    assert {p["relationship"] for p in move["persons"]} == {"head", "spouse", "child"}


def test_a_refused_change_writes_no_file(in_town, clerk, export_dir,
                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change = register_move_in(actor=clerk, household=FAMILY, dwelling=dwelling(),
                                  moved_in=date(2024, 3, 1), kind=ResidenceKind.MAIN)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyMainResident):
        register_move_in(actor=clerk, household=change.household, dwelling=dwelling(number="3"),
                         moved_in=date(2024, 6, 1), kind=ResidenceKind.MAIN)
    assert len(list(export_dir.iterdir())) == 1


def test_the_default_adapter_writes_no_file(in_town, clerk, settings, tmp_path,
                                            django_capture_on_commit_callbacks):
    settings.RATHAUS_RESIDENTS_EXPORT_DIR = tmp_path / "melderegister"
    with django_capture_on_commit_callbacks(execute=True):
        register_move_in(actor=clerk, household=FAMILY, dwelling=dwelling(),
                         moved_in=date(2024, 3, 1), kind=ResidenceKind.MAIN)
    assert not (tmp_path / "melderegister").exists()


def _keys(document, prefix=""):
    for key, value in document.items():
        yield prefix + key
        if isinstance(value, dict):
            yield from _keys(value, prefix + key + ".")
        if isinstance(value, list) and value and isinstance(value[0], dict):
            yield from _keys(value[0], prefix + key + "[].")


def test_the_docs_describe_every_field_of_the_file(in_town, clerk, export_dir,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change = register_move_in(actor=clerk, household=FAMILY, dwelling=dwelling(),
                                  moved_in=date(2024, 3, 1), kind=ResidenceKind.MAIN)
        move_within(actor=clerk, household=change.household, dwelling=dwelling(number="3"),
                    moved_in=date(2025, 9, 15))
    table = DOCS.read_text().split("### Fields of a change file")[1]
    documented = set(re.findall(r"^\| `([^`]+)`", table, flags=re.MULTILINE))
    written = {key for document in _files(export_dir) for key in _keys(document)}
    assert written == documented
