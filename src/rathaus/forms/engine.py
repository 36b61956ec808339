"""Turning a step of a service definition into a Django form, and checking answers.

A field with `show_if` is asked only when its condition holds for the answers given
so far plus those of the step being sent; without JavaScript every field of a step is
shown, and a note says when it applies. A required field is required whenever it is
asked, so its form field is required and its label never says "optional": when the
condition does not hold, `clean` drops the field's answer and its messages.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.catalog.definitions import Field, ServiceDefinition, Step

from .checks import problems
from .conditions import holds, with_derived
from .field_types import form_field, kind_of

ID_CARD = "id_card."
LOCKED_HINT = _("Taken from your online ID card. You cannot change it here.")


class StepForm(forms.Form):
    definition: ServiceDefinition
    step: Step

    def __init__(self, *args, answers: dict, uploads: dict, locked=(), applicant_id=None,
                 run_checks: bool = True, **kwargs):
        # Answers of the other steps decide conditions on fields of this one.
        self.answers = answers
        self.applicant_id = applicant_id  # whose draft: checks may count per citizen
        self.uploads = uploads  # field id -> already uploaded file (name)
        # Going back keeps what is valid without asking the step's checks: a check may
        # ask a register and count a failure (a wrong security code) the citizen never
        # meant to send.
        self.run_checks = run_checks
        super().__init__(*args, **kwargs)
        # What the online ID card said is shown, not asked: whatever is posted for
        # it is ignored in `clean`.
        self.locked = frozenset(locked) & set(self.fields)
        for field_id in self.locked:
            field = self.fields[field_id]
            field.help_text = LOCKED_HINT
            field.widget.attrs["readonly"] = True

    def clean(self):
        data = super().clean()
        for field_id in self.locked:
            data[field_id] = kind_of(self.definition.fields[field_id]).from_json(
                self.answers.get(field_id))
            self.errors.pop(field_id, None)
        # As the draft will keep them (dates as ISO text), so that conditions and checks
        # read this step's new answers, not the ones saved before.
        combined = with_derived(self.definition,
                                {**self.answers, **json_answers(self.step, data)})
        for spec in self.step.fields:
            if not holds(spec.show_if, combined):
                data[spec.id] = None  # an answer to a question that does not apply
                self.errors.pop(spec.id, None)
                continue
            if spec.id in self.errors or spec.id not in self.fields:
                continue  # one message per field: the first problem found is the one said
            missing = not kind_of(spec).is_answered(data.get(spec.id))
            if spec.required and missing and not self.fields[spec.id].required \
                    and spec.show_if and spec.id not in self.uploads:
                # Files: the form field never demands one (a kept upload is not sent again).
                self.add_error(spec.id, self.fields[spec.id].error_messages["required"])
        if self.run_checks and self.step.checks and not self.errors:
            for field_id, message in problems(self.step.checks, combined,
                                              applicant_id=self.applicant_id).items():
                self.add_error(field_id if field_id in self.fields else None, message)
        return data


def step_form_class(definition: ServiceDefinition, step: Step) -> type[StepForm]:
    fields = {spec.id: form_field(spec, required=spec.required) for spec in step.fields}
    return type(f"{definition.id}_{step.id}_form", (StepForm,),
                {**fields, "definition": definition, "step": step})


def json_answers(step: Step, cleaned: dict) -> dict:
    """What is kept of a step's cleaned data in the draft (files are kept apart)."""
    answers = {}
    for spec in step.fields:
        kind = kind_of(spec)
        if kind.holds_files or spec.id not in cleaned:
            continue
        answers[spec.id] = kind.to_json(cleaned[spec.id])
    return answers


def initial_for_form(step: Step, answers: dict) -> dict:
    initial = {}
    for spec in step.fields:
        value = answers.get(spec.id)
        if value is not None:
            initial[spec.id] = kind_of(spec).from_json(value)
    return initial


def missing_answers(definition: ServiceDefinition, answers: dict, uploads: dict) -> list:
    """(step, field) pairs that still need an answer before the application can be sent."""
    combined = with_derived(definition, answers)
    missing = []
    for step in definition.steps:
        for spec in step.fields:
            if not spec.required or not holds(spec.show_if, combined):
                continue
            if not kind_of(spec).is_answered(_answer(spec, answers, uploads)):
                missing.append((step, spec))
    return missing


def prefill_answers(definition: ServiceDefinition, user) -> dict:
    answers = {}
    for spec in definition.fields.values():
        if not spec.prefill or spec.prefill.startswith(ID_CARD):
            continue
        value = kind_of(spec).prefill(user=user, source=spec.prefill)
        if value:
            answers[spec.id] = value
    return answers


def id_card_answers(definition: ServiceDefinition, id_card) -> dict:
    """The answers the online ID card gives (`prefill: id_card.…`), from what the
    identity provider said at the login at level hoch; none without such a login."""
    if id_card is None:
        return {}
    answers = {}
    for spec in definition.fields.values():
        if spec.prefill and spec.prefill.startswith(ID_CARD):
            value = getattr(id_card, spec.prefill.removeprefix(ID_CARD), None)
            if value:
                answers[spec.id] = kind_of(spec).to_json(value)
    return answers


def summary_rows(definition: ServiceDefinition, answers: dict, uploads: dict):
    """For the summary page: per step, the label and the displayed answer."""
    combined = with_derived(definition, answers)
    for step in definition.steps:
        rows = []
        for spec in step.fields:
            if not holds(spec.show_if, combined):
                continue
            rows.append((spec, kind_of(spec).display(spec, _answer(spec, answers, uploads))))
        yield step, rows


def _answer(spec: Field, answers: dict, uploads: dict):
    """A field's answer: the upload (its file name) for file types, else the JSON."""
    return uploads.get(spec.id) if kind_of(spec).holds_files else answers.get(spec.id)

