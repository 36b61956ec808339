"""The public grave search (/grabsuche/): a GET form and its answer. The page for
"nothing we may show" is the same whether nobody of that name lies in the town's
cemeteries or somebody does whom the holder did not agree to show (public.py)."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .public import MAX_RESULTS, find_graves


class GraveQuestion(forms.Form):
    nachname = forms.CharField(label=_("Last name"), max_length=150,
                               help_text=_("The full last name, as it was at the death."))
    vorname = forms.CharField(label=_("First name"), max_length=150, required=False)
    sterbejahr = forms.IntegerField(label=_("Year of death"), required=False,
                                    min_value=1800, help_text=_("For example 1998"))

    def clean_sterbejahr(self):
        year = self.cleaned_data.get("sterbejahr")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of death cannot lie in the future."))
        return year

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("vorname", "").strip()
                                    or cleaned.get("sterbejahr")):
            # Against lists of everybody of a last name: a second detail is needed.
            raise forms.ValidationError(
                _("Please enter the first name or the year of death as well."))
        return cleaned


@require_safe
@never_cache
def grave_search(request):
    """GET ?nachname=…&vorname=…&sterbejahr=…: the graves that may be shown."""
    form = GraveQuestion(request.GET or None)
    found = None
    if form.is_valid():
        found = find_graves(last_name=form.cleaned_data["nachname"],
                            first_name=form.cleaned_data["vorname"],
                            year_of_death=form.cleaned_data["sterbejahr"])
    return render(request, "cemeteries/public_grave_search.html", {
        "form": form, "found": found, "max_results": MAX_RESULTS})
