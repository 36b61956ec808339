"""Deregistering a dog from "Mein Konto"."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.access import citizen_required
from rathaus.dogs.dog_deregistration import (
    AlreadyDeregistered,
    DateNotPossible,
    deregister_dog,
)
from rathaus.dogs.selectors import dogs_of
from rathaus.forms.field_types import DATE_FORMATS


class DeregistrationForm(forms.Form):
    REASONS = [
        ("died", gettext_lazy("The dog has died")),
        ("given_away", gettext_lazy("I gave the dog away or sold it")),
        ("moved", gettext_lazy("I moved away with the dog")),
    ]
    given_up_on = forms.DateField(
        label=gettext_lazy("Since when is the dog no longer with you?"),
        help_text=gettext_lazy("For example 30.11.2026"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric"}),
        error_messages={"required": gettext_lazy("Please enter the date."),
                        "invalid": gettext_lazy("Please enter the date as DD.MM.YYYY.")},
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Why?"), choices=REASONS, widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Please choose a reason.")},
    )


@citizen_required
def deregister(request, dog_id):
    dog = dogs_of(holder=request.user).filter(pk=dog_id).first()
    if dog is None:
        raise Http404
    if dog.given_up_on:
        messages.info(request, _("This dog is already deregistered."))
        return redirect("accounts:overview")
    form = DeregistrationForm(request.POST or None, initial={"given_up_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            deregister_dog(dog=dog, holder=request.user,
                           given_up_on=form.cleaned_data["given_up_on"],
                           reason=form.cleaned_data["reason"])
        except DateNotPossible:
            form.add_error("given_up_on", _(
                "The date must lie between the day the dog came to you and today."))
        except AlreadyDeregistered:
            messages.info(request, _("This dog is already deregistered."))
            return redirect("accounts:overview")
        else:
            messages.success(request, _(
                "The dog is deregistered. The change notice is in your mailbox."))
            return redirect("mailbox:inbox")
    return render(request, "portal/deregister_dog.html", {"dog": dog, "form": form})
