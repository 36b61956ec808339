"""The forms of the office's firm pages: admit a firm with its first person, add a
person."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.firm_access import FirmData, PersonData
from rathaus.accounts.models import Firm

EMAIL_FORMAT = _("Enter an e-mail address in the format name@example.com.")


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150,
                                 error_messages={"required": _("Enter the first name.")})
    last_name = forms.CharField(label=_("Last name"), max_length=150,
                                error_messages={"required": _("Enter the last name.")})
    person_email = forms.EmailField(
        label=_("The person's e-mail address"),
        help_text=_("The invitation goes here. It must not belong to a citizen or staff "
                    "account."),
        error_messages={"required": _("Enter the person's e-mail address."),
                        "invalid": EMAIL_FORMAT})

    def person(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(first_name=data["first_name"], last_name=data["last_name"],
                          email=data["person_email"])


class AdmitFirmForm(PersonForm):
    department = forms.TypedChoiceField(
        label=_("Admitting department"), coerce=int,
        error_messages={"required": _("Choose the department."),
                        "invalid_choice": _("Choose one of the departments offered.")})
    name = forms.CharField(label=_("Name of the firm"), max_length=200,
                           error_messages={"required": _("Enter the firm's name.")})
    street = forms.CharField(label=_("Street and number"), max_length=150,
                             error_messages={"required": _("Enter the street and number.")})
    postcode = forms.RegexField(
        label=_("Postcode"), regex=r"^\d{5}$",
        error_messages={"required": _("Enter the postcode."),
                        "invalid": _("A German postcode has 5 digits.")})
    city = forms.CharField(label=_("City"), max_length=100,
                           error_messages={"required": _("Enter the city.")})
    trade = forms.ChoiceField(
        label=_("Trade"), choices=Firm.Trade.choices,
        error_messages={"required": _("Choose the trade."),
                        "invalid_choice": _("Choose one of the trades offered.")})
    email = forms.EmailField(
        label=_("The firm's contact e-mail address"),
        error_messages={"required": _("Enter the firm's contact e-mail address."),
                        "invalid": EMAIL_FORMAT})

    field_order = ["department", "name", "street", "postcode", "city", "trade", "email",
                   "first_name", "last_name", "person_email"]

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]
        if len(departments) == 1:
            self.fields["department"].initial = departments[0].pk

    def firm(self) -> FirmData:
        data = self.cleaned_data
        return FirmData(name=data["name"], street=data["street"], postcode=data["postcode"],
                        city=data["city"], trade=data["trade"], email=data["email"])
