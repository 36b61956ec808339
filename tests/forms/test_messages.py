"""What the form engine says when an answer is missing or wrong: one message per field,
its own words from the definition, never the question repeated; and a field that is
required whenever it is asked is required, not optional (docs/frontend/forms-and-errors.md)."""

import pytest
import yaml
from django.utils import translation

from rathaus.catalog.definitions import InvalidDefinition, load_definition, localize
from rathaus.catalog.registry import definition
from rathaus.forms.engine import step_form_class
from tests.factories import HOLDER, PAYMENT_SEPA, SERVICES_DIR, SMALL_DOG


def _form(step_id: str, data: dict, answers: dict | None = None):
    service = definition("hundeanmeldung")
    step = service.step(step_id)
    return step_form_class(service, step)(data, answers=answers or {}, uploads={})


def _errors(step_id: str, data: dict) -> dict:
    with translation.override("de"):
        form = _form(step_id, data)
        assert not form.is_valid()
        return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def test_fields_required_when_their_condition_holds_are_required_fields():
    form = _form("payment", {})
    for field_id in ("account_holder", "iban", "sepa_consent", "payment_method"):
        assert form.fields[field_id].required, field_id
    assert not _form("dog", {}).fields["previous_municipality"].required


def test_a_conditional_field_that_does_not_apply_is_not_demanded_and_its_answer_dropped():
    form = _form("payment", {"payment_method": "transfer", "iban": "not an iban"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["iban"] is None and form.cleaned_data["account_holder"] is None


def test_missing_sepa_details_get_each_one_message_of_their_own():
    errors = _errors("payment", {"payment_method": "sepa"})
    assert errors == {
        "account_holder": ["Geben Sie den Namen der Kontoinhaberin oder des Kontoinhabers ein."],
        "iban": ["Geben Sie die IBAN des Kontos ein."],
        "sepa_consent": ["Setzen Sie das Häkchen, um das SEPA-Lastschriftmandat zu erteilen, "
                         "oder wählen Sie oben die Überweisung."],
    }


@pytest.mark.parametrize("iban, message", [
    ("DE03120300000000202051", "Prüfziffern"),
    ("DE0212030000000020205", "22 Zeichen"),
    ("XX02120300000000202051", "SEPA"),
])
def test_an_invalid_iban_gets_exactly_one_message_saying_what_is_wrong(iban, message):
    errors = _errors("payment", {**PAYMENT_SEPA, "iban": iban})
    assert list(errors) == ["iban"]
    [only] = errors["iban"]
    assert message in only


def test_messages_never_repeat_the_question():
    service = definition("hundeanmeldung")
    errors = {**_errors("holder", {}), **_errors("dog", {}),
              **_errors("safety", {}), **_errors("payment", {"payment_method": "sepa"})}
    with translation.override("de"):
        for field_id, messages in errors.items():
            label = localize(service.fields[field_id].label)
            [message] = messages
            # Not "Frage?: Nachricht: Frage?": a question is not quoted, a label not
            # glued on (a short noun may of course appear: "Geben Sie Ihren Vornamen ein").
            assert f"{label}:" not in message and f": {label}" not in message, message
            assert not (label.endswith("?") and label in message), message
    assert errors["dogs_in_household"] == [
        "Wählen Sie aus, wie viele Hunde mit diesem in Ihrem Haushalt leben."]


def test_every_required_field_of_every_shipped_service_brings_its_own_message():
    for path in SERVICES_DIR.glob("*.yaml"):
        loaded = load_definition(path)
        for spec in loaded.fields.values():
            if spec.required:
                assert spec.errors and spec.errors["required"]["de"], (path.name, spec.id)
                assert spec.errors["required"].get("en"), (path.name, spec.id)


def test_a_definition_with_a_required_field_without_its_message_stops_the_start(tmp_path):
    data = yaml.safe_load((SERVICES_DIR / "hundeanmeldung.yaml").read_text())
    del data["steps"][1]["fields"][0]["errors"]
    path = tmp_path / "hundeanmeldung.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(InvalidDefinition, match=r"steps\.1\.fields\.0: 'errors' is a required"):
        load_definition(path)


def test_an_impossible_date_says_the_day_does_not_exist_and_range_rules_keep_their_words():
    errors = _errors("dog", {**SMALL_DOG, "dog_birth_date": "31.02.2023",
                             "taken_in": "01.01.2099", "microchip": "276 098 100 123 456"})
    assert errors == {
        "dog_birth_date": ["Diesen Tag gibt es nicht: Der Februar 2023 hat 28 Tage."],
        "taken_in": ["Das Datum darf nicht in der Zukunft liegen."],
    }
    errors = _errors("holder", {**HOLDER, "date_of_birth": "12.4.56x"})
    assert errors == {"date_of_birth": ["Bitte geben Sie das Datum als TT.MM.JJJJ ein."]}
