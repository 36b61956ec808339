"""The `time` field type, added as one object in forms/field_types.py: a definition
may use it at once, and it behaves like every other type."""

from datetime import time

import pytest
import yaml
from django.utils import translation

from rathaus.catalog.definitions import load_definition
from rathaus.forms.engine import initial_for_form, json_answers, step_form_class, summary_rows

FOUND_DOG = {
    "id": "fundhund", "version": 1,
    "title": {"de": "Fundhund melden"}, "summary": {"de": "Einen gefundenen Hund melden."},
    "department": "ordnungsamt", "minimum_login_level": "basisregistrierung",
    "retention_years": 2, "file_plan": {"code": "32.1", "title": {"de": "Fundtiere"}},
    "steps": [{"id": "sighting", "title": {"de": "Fund"}, "fields": [
        {"id": "seen_at", "type": "time", "required": True,
         "label": {"de": "Uhrzeit des Fundes", "en": "Time found"},
         "errors": {"required": {"de": "Geben Sie die Uhrzeit ein, zu der Sie den Hund "
                                       "gefunden haben."}}},
    ]}],
    "workflow": {"tasks": [{"id": "check", "department": "ordnungsamt",
                            "title": {"de": "Fund prüfen"}, "decides": True}]},
}


@pytest.fixture
def found_dog(tmp_path):
    path = tmp_path / "fundhund.yaml"
    path.write_text(yaml.safe_dump(FOUND_DOG, allow_unicode=True))
    return load_definition(path)


def _form(definition, data=None, answers=None):
    step = definition.steps[0]
    return step_form_class(definition, step)(
        data, initial=initial_for_form(step, answers or {}), answers=answers or {}, uploads={})


def test_a_definition_with_a_time_field_validates(found_dog):
    assert found_dog.fields["seen_at"].type == "time"


def test_a_time_is_kept_as_hh_mm_and_shown_again_in_the_form(found_dog):
    form = _form(found_dog, {"seen_at": "14:30"})
    assert form.is_valid(), form.errors
    answers = json_answers(found_dog.steps[0], form.cleaned_data)
    assert answers == {"seen_at": "14:30"}
    again = _form(found_dog, answers=answers)
    assert again.initial["seen_at"] == time(14, 30)
    html = str(again["seen_at"])
    assert 'value="14:30"' in html and 'inputmode="numeric"' in html


def test_a_time_is_displayed_with_uhr_in_german(found_dog):
    with translation.override("de"):
        [(_step, [(_spec, shown)])] = summary_rows(found_dog, {"seen_at": "14:30"}, {})
    assert shown == "14:30 Uhr"
    with translation.override("en"):
        [(_step, [(_spec, shown)])] = summary_rows(found_dog, {"seen_at": "14:30"}, {})
    assert shown == "14:30"


@pytest.mark.parametrize("typed", ["25:00", "14:61", "halb drei"])
def test_an_impossible_time_is_refused_with_a_german_message(found_dog, typed):
    with translation.override("de"):
        form = _form(found_dog, {"seen_at": typed})
        assert not form.is_valid()
        assert form.errors["seen_at"] == ["Bitte geben Sie die Uhrzeit als HH:MM ein."]
