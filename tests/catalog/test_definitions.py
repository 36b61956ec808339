from pathlib import Path

import pytest
import yaml

from rathaus.catalog.definitions import InvalidDefinition, load_all, load_definition
from rathaus.catalog.registry import definition
from tests.factories import SERVICES_DIR


def test_every_shipped_definition_loads():
    loaded = load_all(SERVICES_DIR)
    assert "hundeanmeldung" in loaded
    dog = loaded["hundeanmeldung"]
    assert dog.minimum_login_level == "basisregistrierung"
    assert [t.department for t in dog.tasks] == ["steueramt", "ordnungsamt"]
    assert dog.fields["microchip"].type == "microchip"


def _broken(tmp_path, change) -> Path:
    data = yaml.safe_load((SERVICES_DIR / "hundeanmeldung.yaml").read_text())
    change(data)
    path = tmp_path / "hundeanmeldung.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


@pytest.mark.parametrize("change, where, message", [
    (lambda d: d.pop("title"), "(top level)", "'title' is a required property"),
    (lambda d: d["steps"][1]["fields"][1].update(type="colour-picker"),
     "steps.1.fields.1.type", "is not one of"),
    (lambda d: d["steps"][1]["fields"][2].update(show_if={"field": "no_such", "equals": "x"}),
     "steps.1.fields.2.show_if", "no field 'no_such'"),
    (lambda d: d["workflow"]["tasks"][0].pop("decides"), "workflow.tasks", "decides"),
    (lambda d: d.update(minimum_login_level="egal"), "minimum_login_level", "is not one of"),
])
def test_invalid_definition_fails_naming_file_and_field(tmp_path, change, where, message):
    path = _broken(tmp_path, change)
    with pytest.raises(InvalidDefinition) as raised:
        load_definition(path)
    text = str(raised.value)
    assert str(path) in text and where in text and message in text


def test_registry_serves_the_loaded_definitions():
    assert definition("hundeanmeldung").title["de"] == "Hund anmelden"
    assert definition("gibt-es-nicht") is None


def test_two_files_defining_the_same_service_stop_the_start(tmp_path):
    text = (SERVICES_DIR / "hundeanmeldung.yaml").read_text()
    (tmp_path / "hundeanmeldung.yaml").write_text(text)
    (tmp_path / "hundeanmeldung.yml").write_text(text)
    with pytest.raises(InvalidDefinition, match="'hundeanmeldung' is registered twice"):
        load_all(tmp_path)
