"""The employee's forms: clocking in and out (also what the phone's queue sends), an
entry entered or changed afterwards, and removing one with a reason."""

import uuid
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.date_input import TypedDateField

from . import rules
from .models import Place

IN, OUT = "in", "out"
ACTIONS = [(IN, _("clock in")), (OUT, _("clock out"))]


def new_client_id() -> str:
    return str(uuid.uuid4())


class ClockForm(forms.Form):
    """The big button: `action` is what the page offered (in or out), `client_id` was
    made when the page was rendered, so that sending the form twice records it once."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    place = forms.ChoiceField(label=_("Where do you work?"), choices=Place.choices,
                              widget=forms.RadioSelect, initial=Place.OFFICE, required=False)

    def clean_place(self):
        return self.cleaned_data.get("place") or Place.OFFICE


class ClockEventForm(ClockForm):
    """A clock event queued on the phone: as the form, plus the device's time."""

    at = forms.DateTimeField(error_messages={
        "required": _("The time of clocking is missing."),
        "invalid": _("The time of clocking could not be read.")})

    def clean_at(self):
        moment = self.cleaned_data["at"]
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, rules.local_zone())
        return moment


TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class EntryForm(forms.Form):
    """An entry entered afterwards or changed: its day, from, until (on the next day
    for a night shift), where, and why."""

    day = TypedDateField(label=_("Day"), help_text=_("DD.MM.YYYY"),
                         error_messages={"required": _("Please enter the day.")})
    start = forms.TimeField(label=_("From"), widget=TIME_WIDGET, help_text=_("HH:MM"),
                            error_messages={"required": _("Please enter when work began."),
                                            "invalid": _("Please enter the time as HH:MM.")})
    end = forms.TimeField(label=_("Until"), widget=TIME_WIDGET, help_text=_("HH:MM"),
                          error_messages={"required": _("Please enter when work ended."),
                                          "invalid": _("Please enter the time as HH:MM.")})
    ends_next_day = forms.BooleanField(
        label=_("Ends on the next day (night shift)"), required=False,
        help_text=_("An end earlier than the start is read as the next day, too."))
    place = forms.ChoiceField(label=_("Where"), choices=Place.choices, widget=forms.RadioSelect,
                              initial=Place.OFFICE,
                              error_messages={"required": _("Please choose where you worked.")})
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             help_text=_("For example: forgot to clock in, terminal "
                                         "did not work."),
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Please give a reason.")})

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            zone = rules.local_zone()
            cleaned["started_at"] = datetime.combine(day, start, zone)
            end_day = day + timedelta(days=1) if cleaned.get("ends_next_day") or end <= start \
                else day
            cleaned["ended_at"] = datetime.combine(end_day, end, zone)
        return cleaned

    @classmethod
    def initial_of(cls, entry) -> dict:
        zone = rules.local_zone()
        start = entry.started_at.astimezone(zone)
        end = entry.ended_at.astimezone(zone) if entry.ended_at else None
        return {"day": start.date(), "start": start.time().replace(second=0, microsecond=0),
                "end": end.time().replace(second=0, microsecond=0) if end else None,
                "ends_next_day": bool(end and end.date() > start.date()),
                "place": entry.place}


class RemoveEntryForm(forms.Form):
    reason = forms.CharField(label=_("Reason for removing"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Please give a reason.")})
