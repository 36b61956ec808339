"""Deregistering a dog from "Mein Konto": the question, the summary with its one
confirming button, and the confirmation page (the pattern of portal/check_answers.py).
Nothing happens before the citizen confirms; confirming twice issues one notice."""

import re
from contextlib import suppress
from datetime import date

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.access import citizen_required
from rathaus.dogs.dog_deregistration import (
    REASONS,
    AlreadyDeregistered,
    DateNotPossible,
    check_given_up_on,
    deregister_dog,
    tax_ends_on,
)
from rathaus.dogs.selectors import dogs_of
from rathaus.forms.field_types import DATE_FORMATS

from .case_outcome import notice_links
from .check_answers import PendingAnswers, Row

# A date in the right form that the calendar does not have (31.02.2026).
_LOOKS_LIKE_A_DATE = re.compile(r"^\s*\d{1,2}\.\s*\d{1,2}\.\s*\d{2,4}\s*$")


class DeregistrationForm(forms.Form):
    given_up_on = forms.DateField(
        label=gettext_lazy("Since when is the dog no longer with you?"),
        help_text=gettext_lazy("For example 30.11.2026. The dog tax ends at the end of this "
                               "month."),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter the date on which the dog left you, for example "
                                     "30.11.2026."),
            "invalid": gettext_lazy("Enter the date as day, month and year, for example "
                                    "30.11.2026."),
        },
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Why is the dog no longer with you?"), choices=REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose why the dog is no longer with you.")},
    )

    def __init__(self, *args, dog, **kwargs):
        super().__init__(*args, **kwargs)
        self.dog = dog
        if not REASONS:  # the domain asks no reason
            del self.fields["reason"]

    def clean_given_up_on(self):
        given_up_on = self.cleaned_data["given_up_on"]
        try:
            check_given_up_on(self.dog, given_up_on)
        except DateNotPossible as error:
            raise forms.ValidationError(
                _("The date must lie between %(earliest)s, when the dog came to you, and "
                  "today, %(latest)s.") % {"earliest": f"{error.earliest:%d.%m.%Y}",
                                           "latest": f"{error.latest:%d.%m.%Y}"},
                code="not_possible") from error
        return given_up_on

    def full_clean(self):
        super().full_clean()
        raw = self.data.get("given_up_on", "") if self.is_bound else ""
        errors = self.errors.get("given_up_on")
        if errors and errors.as_data()[0].code == "invalid" and _LOOKS_LIKE_A_DATE.match(raw):
            self.errors["given_up_on"] = self.error_class([
                _("This date does not exist. Check the day and the month.")])


def _answers_of(form: DeregistrationForm) -> dict:
    answers = {"given_up_on": form.cleaned_data["given_up_on"].isoformat()}
    if "reason" in form.cleaned_data:
        answers["reason"] = form.cleaned_data["reason"]
    return answers


def _form_data(answers: dict) -> dict:
    """Kept answers as the question page posts them, to check them again."""
    return {**answers,
            "given_up_on": f"{date.fromisoformat(answers['given_up_on']):%d.%m.%Y}"}


def _own_dog(request, dog_id):
    dog = dogs_of(holder=request.user).filter(pk=dog_id).first()
    if dog is None:
        raise Http404
    return dog


def _pending(request, dog) -> PendingAnswers:
    return PendingAnswers(request, f"deregister-dog:{dog.pk}")


@citizen_required
def deregister(request, dog_id):
    """The question: since when, and why. Answers are kept, not acted on."""
    dog = _own_dog(request, dog_id)
    if dog.given_up_on:
        return redirect("portal:dog_deregistered", dog_id=dog.pk)
    pending = _pending(request, dog)
    kept = pending.get()
    if request.method == "POST":
        form = DeregistrationForm(request.POST, dog=dog)
        if form.is_valid():
            pending.keep(_answers_of(form))
            return redirect("portal:deregister_dog_check", dog_id=dog.pk)
    else:
        form = DeregistrationForm(_form_data(kept), dog=dog) if kept else DeregistrationForm(
            dog=dog)
    return render(request, "portal/deregister_dog.html", {"dog": dog, "form": form})


@citizen_required
def check_deregistration(request, dog_id):
    """The answers with "Change" links, and the one button that deregisters."""
    dog = _own_dog(request, dog_id)
    if dog.given_up_on:
        return redirect("portal:dog_deregistered", dog_id=dog.pk)
    pending = _pending(request, dog)
    form = DeregistrationForm(_form_data(pending.get()), dog=dog) if pending.get() else None
    if form is None or not form.is_valid():
        # Nothing kept (a new session) or no longer valid (a day has passed): ask again.
        return redirect("portal:deregister_dog", dog_id=dog.pk)
    answers = form.cleaned_data
    if request.method == "POST":
        with suppress(AlreadyDeregistered):  # sent twice: the first one did it
            deregister_dog(dog=dog, holder=request.user, given_up_on=answers["given_up_on"],
                           reason=answers.get("reason", ""))
        pending.clear()
        return redirect("portal:dog_deregistered", dog_id=dog.pk)
    question = reverse("portal:deregister_dog", kwargs={"dog_id": dog.pk})
    rows = [
        Row(_("Dog"), _("%(name)s (%(breed)s), tax tag %(tag)s") % {
            "name": dog.name, "breed": dog.breed, "tag": dog.tax_tag_number}),
        Row(str(form.fields["given_up_on"].label), f"{answers['given_up_on']:%d.%m.%Y}",
            change_url=f"{question}#id_given_up_on"),
    ]
    if "reason" in answers:
        rows.append(Row(str(form.fields["reason"].label), str(dict(REASONS)[answers["reason"]]),
                        change_url=f"{question}#id_reason_0"))
    return render(request, "portal/deregister_dog_check.html", {
        "dog": dog, "rows": rows, "tax_ends_on": tax_ends_on(answers["given_up_on"]),
    })


@citizen_required
def deregistered(request, dog_id):
    """What happens next, once the dog is deregistered."""
    dog = _own_dog(request, dog_id)
    if not dog.given_up_on:
        return redirect("portal:deregister_dog", dog_id=dog.pk)
    notices = notice_links(case=dog.case, user=request.user)
    return render(request, "portal/deregister_dog_done.html", {
        "dog": dog, "tax_ends_on": tax_ends_on(dog.given_up_on),
        "notice": notices[-1] if notices else None,
    })
