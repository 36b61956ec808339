"""The public check of a chosen plate: anyone may ask whether a plate of the district
is free, without an account, as on every district's Wunschkennzeichen page."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .field_types import check_plate, plate_district
from .identifiers import InvalidIdentifier


class PlateQuestion(forms.Form):
    kennzeichen = forms.CharField(label=_("Chosen number plate"), max_length=20,
                                  help_text=_("For example GL-AB 123"))


def plate_check(request):
    """GET ?kennzeichen=…: the plate's state, or what is wrong with what was typed."""
    form = PlateQuestion(request.GET or None)
    free = ""
    if form.is_valid():
        try:
            free = check_plate(form.cleaned_data["kennzeichen"])
        except InvalidIdentifier as problem:
            form.add_error("kennzeichen", problem.message)
    return render(request, "vehicles/plate_check.html", {
        "form": form, "free": free, "district": plate_district()})
