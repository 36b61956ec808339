"""Each field type is one object: form field, JSON kept in the draft, display,
files and prefill. The catalog takes the type names from its registry."""

from datetime import date

import pytest
import yaml
from django import forms
from django.utils import translation

from rathaus.accounts.models import CitizenProfile, User
from rathaus.catalog import definitions
from rathaus.catalog.definitions import Field, InvalidDefinition, Option, load_definition
from rathaus.forms.field_types import FIELD_TYPES, FieldType, field_type, form_field
from rathaus.registry import DuplicateEntry
from tests.factories import SERVICES_DIR


def _field(type_: str, **extra) -> Field:
    return Field(id="answer", type=type_, label={"de": "Antwort", "en": "Answer"}, **extra)


def test_a_second_field_type_with_a_taken_name_is_refused():
    with pytest.raises(DuplicateEntry, match="field type 'date' is registered twice"):
        @field_type
        class AnotherDate(FieldType):
            name = "date"

            def form_field(self, spec, **kwargs):
                return forms.DateField(**kwargs)


def test_a_field_type_without_its_form_field_is_refused_when_registered():
    with pytest.raises(TypeError, match="form_field"):
        @field_type
        class Unfinished(FieldType):
            name = "unfinished"


def test_definitions_may_use_exactly_the_registered_field_types(tmp_path, monkeypatch):
    data = yaml.safe_load((SERVICES_DIR / "hundeanmeldung.yaml").read_text())
    data["steps"][1]["fields"][1]["type"] = "colour-picker"
    path = tmp_path / "hundeanmeldung.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(InvalidDefinition, match="is not one of"):
        load_definition(path)
    # A type registered in code is accepted without any edit of the schema file.
    monkeypatch.setattr(definitions, "_field_type_names",
                        lambda: [*FIELD_TYPES.names(), "colour-picker"])
    assert load_definition(path).fields[data["steps"][1]["fields"][1]["id"]].type == "colour-picker"


def test_every_shipped_field_type_makes_a_form_field():
    for name in FIELD_TYPES:
        options = (Option(value="a", label={"de": "A"}),) if name in ("select", "radio") else ()
        assert form_field(_field(name, options=options), required=True).label == "Antwort"


def test_a_date_is_kept_as_iso_text_and_shown_in_german_order():
    kind = FIELD_TYPES["date"]
    assert kind.to_json(date(2026, 3, 14)) == "2026-03-14"
    assert kind.from_json("2026-03-14") == date(2026, 3, 14)
    assert kind.display(_field("date"), "2026-03-14") == "14.03.2026"
    assert kind.display(_field("date"), None) == "–"


def test_choices_checkboxes_and_ibans_are_shown_as_people_read_them():
    radio = _field("radio", options=(Option(value="m", label={"de": "Rüde", "en": "Male"}),))
    with translation.override("de"):
        assert FIELD_TYPES["radio"].display(radio, "m") == "Rüde"
        assert FIELD_TYPES["checkbox"].display(_field("checkbox"), True) == "Ja"
    assert FIELD_TYPES["iban"].display(_field("iban"), "DE02120300000000202051") == (
        "DE02 1203 0000 0000 2020 51")


def test_only_the_file_type_holds_files_and_it_is_never_demanded_by_the_form():
    assert [name for name, kind in FIELD_TYPES.all().items() if kind.holds_files] == ["file"]
    assert not form_field(_field("file"), required=True).required
    with translation.override("en"):
        assert FIELD_TYPES["file"].display(_field("file"), None) == "not uploaded"
        assert FIELD_TYPES["file"].display(_field("file"), "nachweis.pdf") == "nachweis.pdf"


def test_prefill_takes_names_from_the_user_and_dates_from_the_profile_as_json(db):
    user = User.objects.create_user("b@example.org", first_name="Bettina")
    CitizenProfile.objects.update_or_create(user=user,
                                            defaults={"date_of_birth": date(1956, 4, 12)})
    user.refresh_from_db()
    assert FIELD_TYPES["text"].prefill(user=user, source="first_name") == "Bettina"
    assert FIELD_TYPES["date"].prefill(user=user, source="date_of_birth") == "1956-04-12"
    assert FIELD_TYPES["text"].prefill(user=user, source="street") is None
