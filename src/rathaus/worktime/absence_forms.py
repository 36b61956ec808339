"""The employee's forms on the absences page: a request (leave, a flexitime day,
training) and a sickness report, which has the days and nothing else: there is no
field for a diagnosis or a note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.date_input import TypedDateField

from .models import AbsenceKind

REQUESTED_KINDS = [(kind.value, kind.label) for kind in
                   (AbsenceKind.LEAVE, AbsenceKind.FLEXITIME_DAY, AbsenceKind.TRAINING)]


class DaysForm(forms.Form):
    """The first and last day of an absence."""

    first_day = TypedDateField(label=_("First day"), help_text=_("DD.MM.YYYY"),
                               error_messages={"required": _("Please enter the first day.")})
    last_day = TypedDateField(label=_("Last day"), help_text=_("DD.MM.YYYY"),
                              error_messages={"required": _("Please enter the last day.")})

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day must not be before the first."))
        return cleaned


class AbsenceRequestForm(DaysForm):
    """Leave, a flexitime day or training, decided by the team lead."""

    kind = forms.ChoiceField(label=_("Kind of absence"), choices=REQUESTED_KINDS,
                             widget=forms.RadioSelect, initial=AbsenceKind.LEAVE,
                             error_messages={"required": _("Please choose the kind."),
                                             "invalid_choice": _("Please choose the kind.")})
    field_order = ["kind", "first_day", "last_day"]


class SicknessForm(DaysForm):
    """Sickness (Arbeitsunfähigkeit): the days only, recorded at once. Used with the
    prefix `sickness` on the employee's and the team lead's pages."""

    prefix = "sickness"
