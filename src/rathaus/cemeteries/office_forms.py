"""The forms of the Friedhofsverwaltung's pages: extending a right of use, the grave
search consent, a right granted in advance, and a grave type's bylaw values."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.date_input import TypedDateField

from .models import GraveType
from .services import GRAVE_TYPE_VALUES, Holder

TOO_LONG = _("Enter at most %(limit_value)d characters.")


def _text(label, *, max_length, required=True, help_text="", required_message=None):
    messages = {"max_length": TOO_LONG}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(label=label, max_length=max_length, required=required,
                           help_text=help_text, error_messages=messages)


class ExtendForm(forms.Form):
    years = forms.IntegerField(
        label=_("Extend by (years)"), min_value=1, max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Please enter by how many years."),
                        "invalid": _("Please enter a whole number of years."),
                        "min_value": _("Please enter at least 1 year."),
                        "max_value": _("Please enter at most 99 years.")})


class ConsentForm(forms.Form):
    consent_grave_search = forms.BooleanField(
        label=_("The holder agrees that the grave may be found by name in the grave search"),
        required=False)
    consent_during_rest = forms.BooleanField(
        label=_("… also while a rest period runs"), required=False,
        help_text=_("Only together with the consent above."))


class GrantForm(forms.Form):
    """A right of use acquired in advance (Vorsorge) for a free grave."""

    holder_name = _text(_("Holder"), max_length=200,
                        required_message=_("Please enter the holder's name."))
    holder_street = _text(_("Street and house number"), max_length=200,
                          required_message=_("Please enter the street and house number."))
    holder_postcode = forms.RegexField(
        label=_("Postcode"), regex=r"^\d{5}$", max_length=10,
        error_messages={"required": _("Please enter the postcode."),
                        "invalid": _("Please enter a postcode of five digits.")})
    holder_city = _text(_("City"), max_length=100,
                        required_message=_("Please enter the city."))
    successor_name = _text(_("Successor"), max_length=200, required=False)
    successor_address = _text(_("Address of the successor"), max_length=300, required=False)
    starts_on = TypedDateField(label=_("Start of the right of use"), help_text=_("DD.MM.YYYY"),
                               error_messages={"required": _("Please enter the start.")})
    consent_grave_search = ConsentForm.base_fields["consent_grave_search"]
    consent_during_rest = ConsentForm.base_fields["consent_during_rest"]

    def holder(self) -> Holder:
        data = self.cleaned_data
        return Holder(name=data["holder_name"], street=data["holder_street"],
                      postcode=data["holder_postcode"], city=data["holder_city"],
                      successor_name=data["successor_name"],
                      successor_address=data["successor_address"])


def _years(name: str, *, required: bool = True, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=GraveType._meta.get_field(name).verbose_name, required=required,
        min_value=0, max_value=200, help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Please enter a number of years."),
                        "invalid": _("Please enter a whole number of years."),
                        "min_value": _("Please enter a number of years of 0 or more."),
                        "max_value": _("Please enter at most 200 years.")})


def _money(name: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=GraveType._meta.get_field(name).verbose_name, min_value=Decimal("0"),
        max_digits=9, decimal_places=2, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": _("Please enter an amount in euros, e.g. 60,00."),
                        "invalid": _("Please enter an amount in euros, e.g. 60,00."),
                        "min_value": _("An amount cannot be negative."),
                        "max_digits": _("Please enter a smaller amount."),
                        "max_decimal_places": _("Please enter at most two decimal places."),
                        "max_whole_digits": _("Please enter a smaller amount.")})


class GraveTypeForm(forms.Form):
    """A grave type's values as the bylaw sets them."""

    places = forms.IntegerField(
        label=_("Places of a new grave"), min_value=1, max_value=12,
        error_messages={"required": _("Please enter the number of places."),
                        "invalid": _("Please enter a whole number of places."),
                        "min_value": _("A grave has at least 1 place."),
                        "max_value": _("A grave has at most 12 places.")})
    rest_period_coffin_years = _years(
        "rest_period_coffin_years", required=False,
        help_text=_("Empty: the grave type takes no coffin burials."))
    rest_period_urn_years = _years(
        "rest_period_urn_years", required=False,
        help_text=_("Empty: the grave type takes no urn burials."))
    right_years = _years("right_years",
                         help_text=_("0: the grave type has no right of use (anonymous)."))
    extendable = forms.BooleanField(label=_("The right of use can be extended"),
                                    required=False)
    extension_min_years = _years("extension_min_years")
    extension_max_years = _years("extension_max_years")
    max_total_years = _years("max_total_years", required=False,
                             help_text=_("Empty: no limit."))
    right_fee = _money("right_fee")
    extension_fee_per_year = _money("extension_fee_per_year")
    burial_fee_coffin = _money("burial_fee_coffin")
    burial_fee_urn = _money("burial_fee_urn")
    bylaw = _text(_("Bylaw"), max_length=200, required=False,
                  help_text=_("Where the bylaw sets these values, e.g. § 12 Friedhofssatzung."))

    def clean(self):
        data = super().clean()
        if (data.get("rest_period_coffin_years") is None
                and data.get("rest_period_urn_years") is None
                and "rest_period_coffin_years" not in self.errors
                and "rest_period_urn_years" not in self.errors):
            self.add_error("rest_period_urn_years", _(
                "Please enter the rest period of at least one kind of burial."))
        if data.get("extendable"):
            low, high = data.get("extension_min_years"), data.get("extension_max_years")
            if low is not None and high is not None and high < max(low, 1):
                self.add_error("extension_max_years", _(
                    "The longest extension must be at least the shortest, and at least "
                    "1 year."))
            if data.get("right_years") == 0:
                self.add_error("extendable", _(
                    "A grave type without a right of use cannot have it extended."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in GRAVE_TYPE_VALUES}

    @classmethod
    def initial_of(cls, grave_type: GraveType | None) -> dict:
        if grave_type is None:
            return {"places": 1, "extension_min_years": 1, "extension_max_years": 0}
        return {name: getattr(grave_type, name) for name in GRAVE_TYPE_VALUES}
