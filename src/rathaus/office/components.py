"""Sample data for the components page (/verwaltung/komponenten/): every pattern the
templates use, rendered by the real includes, so that the next service reuses them
instead of writing its own. Nothing here is stored or sent anywhere."""

import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.utils.translation import gettext as _

from rathaus.catalog.definitions import Field, Option, ServiceDefinition, Step, WorkflowTask
from rathaus.forms.engine import step_form_class
from rathaus.forms.field_types import FIELD_TYPES
from rathaus.forms.steps import progress


def _text(value: str) -> dict:
    return {"de": value, "en": value}


def _field(name: str, kind) -> Field:
    options = ()
    if name in ("select", "radio"):
        options = (Option("one", _text(_("First answer"))),
                   Option("two", _text(_("Second answer"))))
    return Field(id=f"sample_{name}", type=name, label=_text(str(kind.title)),
                 hint=_text(_("A hint under the label says how to answer.")), required=True,
                 options=options)


def sample_definition() -> ServiceDefinition:
    """A definition whose first step asks one question of every registered field type
    (a new type shows up here by itself), and an optional one."""
    fields = [_field(name, kind) for name, kind in sorted(FIELD_TYPES.all().items())]
    fields.append(Field(id="sample_optional", type="text",
                        label=_text(_("A question that may stay empty"))))
    step = Step(id="questions", title=_text(_("Questions")), fields=tuple(fields))
    more = tuple(Step(id=f"step{i}", title=_text(title), fields=(fields[0],)) for i, title in
                 enumerate((_("Your details"), _("Proofs"), _("Payment")), start=2))
    return ServiceDefinition(
        id="beispiel", version=1, title=_text(_("Sample service")),
        summary=_text(_("Sample service")), department="beispiel",
        minimum_login_level="basisregistrierung", retention_years=1,
        file_plan={"code": "0", "title": _text("-")}, steps=(step, *more),
        tasks=(WorkflowTask(id="decide", department="beispiel", title=_text("-"),
                            decides=True),),
    )


class SampleLoginForm(forms.Form):
    """A plain Django form (not from a definition), as the account pages use them."""

    email = forms.EmailField(label=_("E-mail address"))
    remember = forms.BooleanField(label=_("Stay logged in on this device"), required=False)


@dataclass(frozen=True)
class SampleDraft:
    """What the progress include needs of a draft: its id for the step links."""

    pk: uuid.UUID


def sample_context() -> dict:
    definition = sample_definition()
    step = definition.steps[0]
    form_class = step_form_class(definition, step)
    empty = form_class(initial={}, answers={}, uploads={})
    with_errors = form_class(data={}, files={}, answers={}, uploads={}, prefix="fehler")
    with_errors.is_valid()
    return {
        "definition": definition,
        "form": empty,
        "form_with_errors": with_errors,
        "plain_form": SampleLoginForm(),
        "draft": SampleDraft(pk=uuid.UUID(int=0)),
        "progress": progress(definition=definition, current=2, reached=2),
        "sample_messages": [
            Message(messages.SUCCESS, _("Done: the notice is on its way.")),
            Message(messages.INFO, _("Your answers are saved.")),
            Message(messages.WARNING, _("The deadline ends tomorrow.")),
            Message(messages.ERROR,
                    _("This could not be done: another department is not finished yet.")),
        ],
        "summary_rows": [
            (_("Name of the dog"), "Bello"),
            (_("Breed"), "Labrador Retriever"),
            (_("Previous municipality"), ""),
        ],
        # As portal.check_answers.Row: the office shell does not import the portal's.
        "check_rows": [
            {"label": _("Name of the dog"), "value": "Bello", "change_url": "#check-answers"},
            {"label": _("Breed"), "value": "Labrador Retriever",
             "change_url": "#check-answers"},
        ],
        "table_columns": [
            {"label": _("File reference")}, {"label": _("Received")},
            {"label": _("Status")}, {"label": _("Amount"), "numeric": True},
        ],
        "table_rows": [
            [{"text": "21.33.01-2026-000042", "url": "#table", "hidden": _("open")},
             "14.03.2026", _("Received"), {"text": "96,00 €", "numeric": True}],
            [{"text": "21.33.01-2026-000043", "url": "#table", "hidden": _("open")},
             "15.03.2026", _("Approved"), {"text": "12,50 €", "numeric": True}],
        ],
        "preview_rows": [{"Ortsteil": "Witzhelden", "Hunde": 12},
                         {"Ortsteil": "Unterberg", "Hunde": "weniger als 3"}],
    }
