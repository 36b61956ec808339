"""What the pages of an application show: a step with its fields and form, the
progress through the steps, and the summary with the answers and proofs still
missing. The portal's views render these and decide nothing about fields."""

from dataclasses import dataclass

from rathaus.catalog.definitions import Field, ServiceDefinition, Step, condition_fields, localize

from .conditions import holds, with_derived
from .engine import (
    StepForm,
    initial_for_form,
    missing_answers,
    step_form_class,
    summary_rows,
)
from .field_types import kind_of
from .models import Draft, DraftUpload
from .services import uploads_by_field


class StepNotOpen(Exception):
    """The step does not exist, or lies beyond the furthest step the draft reached."""


@dataclass(frozen=True)
class StepPage:
    step: Step
    number: int  # 1-based, as in the URL
    form: StepForm  # bound when data was given; only the fields shown
    shown: dict[str, Field]  # field id -> field, for the fields on the page
    known: dict  # answers of other steps that this page's conditions look at
    uploads: dict[str, DraftUpload]  # files kept from earlier visits
    progress: list[dict]
    summary_reachable: bool


@dataclass(frozen=True)
class SummaryPage:
    sections: list[tuple[int, Step, list]]  # (step number, step, [(field, displayed)])
    missing: list[tuple[Step, Field]]  # required answers still missing: cannot send
    proofs_to_follow: list[tuple[int, Field]]  # optional files not uploaded yet
    progress: list[dict]


def step_page(*, draft: Draft, definition: ServiceDefinition, number: int, data=None,
              files=None, going_back: bool = False) -> StepPage:
    """Step `number` of the draft with its form (bound to `data` and `files` if given;
    `going_back` leaves the step's checks out). Raises StepNotOpen for a step that does
    not exist or is not reached yet."""
    if not 1 <= number <= len(definition.steps) or number - 1 > draft.reached_step:
        raise StepNotOpen(number)
    step = definition.steps[number - 1]
    uploads = uploads_by_field(draft)
    shown = fields_shown(definition=definition, step=step, answers=draft.answers)
    form = step_form_class(definition, step)(
        data, files, initial=initial_for_form(step, draft.answers), answers=draft.answers,
        uploads={k: u.filename for k, u in uploads.items()}, locked=draft.locked_fields,
        applicant_id=draft.user_id, run_checks=not going_back,
    )
    for field_id in list(form.fields):
        if field_id not in shown:
            del form.fields[field_id]
    return StepPage(
        step=step, number=number, form=form, shown=shown, uploads=uploads,
        known=answers_from_other_steps(definition=definition, step=step,
                                       answers=draft.answers),
        progress=progress(definition=definition, current=number, reached=draft.reached_step),
        summary_reachable=draft.reached_step >= len(definition.steps),
    )


def summary_page(*, draft: Draft, definition: ServiceDefinition) -> SummaryPage:
    names = {k: u.filename for k, u in uploads_by_field(draft).items()}
    missing = missing_answers(definition, draft.answers, names)
    sections = [
        (number, step, rows) for number, (step, rows) in
        enumerate(summary_rows(definition, draft.answers, names), start=1)
    ]
    # Proofs the form asked for but that may follow later: sending works, but the
    # citizen should know that the office will ask for them and it takes longer.
    missing_ids = {spec.id for _step, spec in missing}
    proofs_to_follow = [
        (number, spec) for number, _step, rows in sections for spec, _value in rows
        if kind_of(spec).holds_files and spec.id not in names and spec.id not in missing_ids
    ]
    return SummaryPage(
        sections=sections, missing=missing, proofs_to_follow=proofs_to_follow,
        progress=progress(definition=definition, current=len(definition.steps) + 1,
                          reached=draft.reached_step),
    )


def progress(*, definition: ServiceDefinition, current: int, reached: int) -> list[dict]:
    """One item per step for the progress bar; `current` past the last step is the
    summary. A step can be opened once the steps before it were saved."""
    return [
        {"number": i, "title": localize(s.title), "current": i == current,
         "reachable": i - 1 <= reached}
        for i, s in enumerate(definition.steps, start=1)
    ]


def fields_shown(*, definition: ServiceDefinition, step: Step, answers: dict) -> dict:
    """Fields whose condition depends on other steps are decided here; fields that
    depend on this step's own answers are shown and revealed in the browser."""
    own = {spec.id for spec in step.fields}
    combined = with_derived(definition, answers)
    shown = {}
    for spec in step.fields:
        refs = set(condition_fields(spec.show_if))
        if refs and not (refs & own) and not holds(spec.show_if, combined):
            continue
        shown[spec.id] = spec
    return shown


def answers_from_other_steps(*, definition: ServiceDefinition, step: Step,
                             answers: dict) -> dict:
    """What the browser needs to decide conditions that look at earlier pages."""
    own = {spec.id for spec in step.fields}
    referenced = {ref for spec in step.fields for ref in condition_fields(spec.show_if)} - own
    combined = with_derived(definition, answers)
    return {name: combined.get(name) for name in referenced}
