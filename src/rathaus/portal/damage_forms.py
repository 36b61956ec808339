"""The form of "Schaden melden": what, where, what happened, a photo, an e-mail address.
It parses the input; what a report needs (a place, a description of 10 to 2,000
characters, a photo that is a JPEG or PNG) is the service's to decide
(assets/reports.py), whose refusals land on the field they concern."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.assets.reports import ADDRESS_MAX, DESCRIPTION_MAX

_KEY = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)


class DamageReportForm(forms.Form):
    cadastre = forms.ChoiceField(
        label=_("What is damaged?"), widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is damaged."),
                        "invalid_choice": _("Choose what is damaged.")},
    )
    # Set by the links of the tree and playground pages (?objekt=…): the object's place.
    asset_number = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # Written by the map (maps/map.html with pick="point") or typed in; without
    # JavaScript the address says where. A decimal comma is read as a point.
    lon = forms.CharField(label=_("Longitude (east)"), required=False, max_length=30,
                          help_text=_("For example 7.0167"),
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lat = forms.CharField(label=_("Latitude (north)"), required=False, max_length=30,
                          help_text=_("For example 51.1063"),
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    address = forms.CharField(
        label=_("Where is it?"), required=False, max_length=ADDRESS_MAX,
        help_text=_("Street and house number, or a description such as “playground Am "
                    "Wall, next to the entrance”. You can also choose the place on the map."),
        error_messages={"max_length": _("The address can have at most %(limit_value)d "
                                        "characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    description = forms.CharField(
        label=_("What is the damage?"), max_length=DESCRIPTION_MAX,
        help_text=_("For example: a large branch hangs broken above the footpath."),
        error_messages={"required": _("Describe the damage."),
                        "max_length": _("The description can have at most %(limit_value)d "
                                        "characters.")},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    danger = forms.BooleanField(
        label=_("People are in danger"), required=False,
        help_text=_("Tick this if someone could be hurt, for example by a branch about to "
                    "fall or broken playground equipment. Then we look at it by the next "
                    "day. In an emergency call 112."),
    )
    photo = forms.FileField(
        label=_("Photo"), required=False,
        help_text=_("A JPEG or PNG image, for example taken with your phone."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png",
                                      "capture": "environment"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"), required=False,
        help_text=_("We send you the link to your report once and do not keep the "
                    "address."),
        error_messages={"invalid": _("Enter an e-mail address such as name@example.org, or "
                                     "leave the field empty.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Made when the form is shown; the same form sent twice makes one report.
    submission = _KEY

    def __init__(self, *args, cadastres: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadastre"].choices = cadastres

    def _coordinate(self, name: str) -> float | None:
        text = self.cleaned_data.get(name, "").strip().replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise forms.ValidationError("", code="invalid") from None

    def clean_lon(self):
        return self._coordinate("lon")

    def clean_lat(self):
        return self._coordinate("lat")

    def full_clean(self):
        super().full_clean()
        # A map point that cannot be read is a place to choose again, not a broken form.
        for name in ("lon", "lat"):
            if name in self.errors:
                del self.errors[name]
                self.add_error("address", _("The place on the map could not be read. "
                                            "Choose it again or give the address."))
                break

    def add_refusal(self, error) -> None:
        """A refusal of the service (reports.InvalidReport) on its field."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error))
