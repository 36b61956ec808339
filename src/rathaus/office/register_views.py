"""The resident register for the registration office's staff: a search by name and a
person's entry. Anyone else, staff of other departments included, gets the 404 of a
page that does not exist."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted
from rathaus.residents.lookup import SEARCH_LIMIT, find_persons, open_person


class RegisterSearch(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=120, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("For example 02.03.1985"),
        error_messages={"invalid": _("Enter the date of birth as day, month and year, "
                                     "for example 02.03.1985.")})

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("date_of_birth") and not cleaned.get("family_name", "").strip()
                and not cleaned.get("given_names", "").strip()):
            self.add_error("family_name", _("Enter a family name or a given name as well."))
        return cleaned

    def asked(self) -> bool:
        return any(self.data.get(name, "").strip() for name in self.fields)


@staff_required
def register_search(request):
    form = RegisterSearch(request.GET)
    searched = form.asked() and form.is_valid()
    try:
        # Asked even for the empty form: it finds nobody then, but says who may look.
        found = find_persons(actor=request.user, **(form.cleaned_data if searched else {}))
    except NotPermitted:
        raise Http404 from None
    return render(request, "office/register_search.html", {
        "form": form if form.asked() else RegisterSearch(),
        "searched": searched, "found": found, "limit": SEARCH_LIMIT,
    })


@staff_required
def register_person(request, person_id):
    try:
        entry = open_person(actor=request.user, person_id=person_id)
    except NotPermitted:
        raise Http404 from None
    if entry is None:
        raise Http404
    return render(request, "office/register_person.html", {"entry": entry})
