"""Turning a step of a service definition into a Django form, and checking answers.

A field with `show_if` is required only when its condition holds for the answers
given so far plus those of the step being sent; without JavaScript every field of a
step is shown, and the hint says when it applies.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext as _

from rathaus.catalog.definitions import ServiceDefinition, Step, localize
from rathaus.payments.iban import format_iban

from .conditions import holds, with_derived
from .field_types import form_field


class StepForm(forms.Form):
    definition: ServiceDefinition
    step: Step

    def __init__(self, *args, answers: dict, uploads: dict, **kwargs):
        # Answers of the other steps decide conditions on fields of this one.
        self.answers = answers
        self.uploads = uploads  # field id -> already uploaded file (name)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        combined = with_derived(self.definition, {**self.answers, **self._plain(data)})
        for spec in self.step.fields:
            if not holds(spec.show_if, combined):
                data[spec.id] = None  # an answer to a question that does not apply
                self.errors.pop(spec.id, None)
                continue
            missing = data.get(spec.id) in (None, "", False)
            if spec.required and spec.show_if and missing and spec.id not in self.uploads:
                self.add_error(spec.id, self.fields[spec.id].error_messages["required"])
        return data

    @staticmethod
    def _plain(data: dict) -> dict:
        return {k: v for k, v in data.items() if isinstance(v, str | bool)}


def step_form_class(definition: ServiceDefinition, step: Step) -> type[StepForm]:
    fields = {
        # Conditional fields are checked in clean(), where the condition is known.
        spec.id: form_field(spec, required=spec.required and not spec.show_if)
        for spec in step.fields
    }
    for spec in step.fields:
        if spec.type == "file":
            fields[spec.id].required = False
    return type(f"{definition.id}_{step.id}_form", (StepForm,),
                {**fields, "definition": definition, "step": step})


def json_answers(step: Step, cleaned: dict) -> dict:
    """What is kept of a step's cleaned data in the draft (files are kept apart)."""
    answers = {}
    for spec in step.fields:
        if spec.type == "file" or spec.id not in cleaned:
            continue
        value = cleaned[spec.id]
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        answers[spec.id] = value
    return answers


def initial_for_form(step: Step, answers: dict) -> dict:
    initial = {}
    for spec in step.fields:
        value = answers.get(spec.id)
        if spec.type == "date" and value:
            value = date.fromisoformat(value)
        if value is not None:
            initial[spec.id] = value
    return initial


def missing_answers(definition: ServiceDefinition, answers: dict, uploads: dict) -> list:
    """(step, field) pairs that still need an answer before the application can be sent."""
    combined = with_derived(definition, answers)
    missing = []
    for step in definition.steps:
        for spec in step.fields:
            if not spec.required or not holds(spec.show_if, combined):
                continue
            present = spec.id in uploads if spec.type == "file" else answers.get(spec.id) not in (
                None, "", False)
            if not present:
                missing.append((step, spec))
    return missing


def prefill_answers(definition: ServiceDefinition, user) -> dict:
    profile = getattr(user, "profile", None)
    answers = {}
    for spec in definition.fields.values():
        if not spec.prefill:
            continue
        source = user if spec.prefill in ("first_name", "last_name", "email") else profile
        value = getattr(source, spec.prefill, None) if source is not None else None
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if value:
            answers[spec.id] = value
    return answers


def summary_rows(definition: ServiceDefinition, answers: dict, uploads: dict):
    """For the summary page: per step, the label and the displayed answer."""
    combined = with_derived(definition, answers)
    for step in definition.steps:
        rows = []
        for spec in step.fields:
            if not holds(spec.show_if, combined):
                continue
            rows.append((spec, _display(spec, answers.get(spec.id), uploads.get(spec.id))))
        yield step, rows


def _display(spec, value, upload) -> str:
    if spec.type == "file":
        return upload or _("not uploaded")
    if spec.type == "checkbox":
        return _("yes") if value else _("no")
    if spec.options:
        option = next((o for o in spec.options if o.value == value), None)
        return localize(option.label) if option else ""
    if spec.type == "date" and value:
        y, m, d = value.split("-")
        return f"{d}.{m}.{y}"
    if spec.type == "iban" and value:
        return format_iban(value)
    return value or "–"
