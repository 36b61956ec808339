"""Field types of service definitions: each type makes a Django form field.

A new type is a new entry in FIELD_TYPES (and in the schema's enum), never an `if`
in the form code.
"""

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.catalog.definitions import Field, localize
from rathaus.payments.iban import normalise_iban, validate_iban
from rathaus.records.fields import DocumentUploadField

from .validators import check_date_range, normalise_microchip

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DATE_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d. %m. %Y"]


def _messages(spec: Field) -> dict:
    label = localize(spec.label)
    required = {
        "radio": _("Please choose an answer: %(label)s"),
        "select": _("Please choose an answer: %(label)s"),
        "checkbox": _("Please tick the box to confirm."),
        "file": _("Please upload the file: %(label)s"),
    }.get(spec.type, _("Please fill in: %(label)s"))
    return {
        "required": required % {"label": label},
        "invalid": _("Please check the format: %(label)s") % {"label": label},
        "invalid_choice": _("Please choose one of the answers offered."),
        "max_length": _("Please shorten this to at most %(limit_value)d characters."),
    }


class IbanField(forms.CharField):
    default_validators = [validate_iban]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_iban(value) if value else value


class MicrochipField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalise_microchip(value) if value else value


class RangedDateField(forms.DateField):
    def __init__(self, *, past: bool, max_age_years: int | None, **kwargs):
        self.past, self.max_age_years = past, max_age_years
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            check_date_range(value, past=self.past, max_age_years=self.max_age_years)


def _choices(spec: Field, *, blank: bool):
    options = [(o.value, localize(o.label)) for o in spec.options]
    return [("", _("Please choose"))] + options if blank else options


FIELD_TYPES: dict[str, Callable[[Field, dict], forms.Field]] = {
    "text": lambda spec, kw: forms.CharField(max_length=spec.max_length, **kw),
    "textarea": lambda spec, kw: forms.CharField(
        max_length=spec.max_length or 5000, widget=forms.Textarea(attrs={"rows": 5}), **kw
    ),
    "email": lambda spec, kw: forms.EmailField(
        widget=forms.EmailInput(attrs={"autocomplete": "email"}), **kw
    ),
    "postcode": lambda spec, kw: forms.RegexField(
        regex=r"^\d{5}$", widget=forms.TextInput(attrs={"inputmode": "numeric"}), **{
            **kw, "error_messages": {**kw["error_messages"],
                                     "invalid": _("A German postcode has 5 digits.")}}
    ),
    "date": lambda spec, kw: RangedDateField(
        past=spec.past, max_age_years=spec.max_age_years, input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric"}), **{
            **kw, "error_messages": {**kw["error_messages"],
                                     "invalid": _("Please enter the date as DD.MM.YYYY.")}}
    ),
    "select": lambda spec, kw: forms.ChoiceField(choices=_choices(spec, blank=True), **kw),
    "radio": lambda spec, kw: forms.ChoiceField(
        choices=_choices(spec, blank=False), widget=forms.RadioSelect, **kw
    ),
    "checkbox": lambda spec, kw: forms.BooleanField(**kw),
    "file": lambda spec, kw: DocumentUploadField(max_bytes=MAX_UPLOAD_BYTES, **kw),
    "iban": lambda spec, kw: IbanField(
        max_length=42, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        **kw,
    ),
    "microchip": lambda spec, kw: MicrochipField(
        max_length=30, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kw
    ),
}


def form_field(spec: Field, *, required: bool) -> forms.Field:
    kwargs = {
        "label": localize(spec.label),
        "help_text": localize(spec.hint),
        "required": required,
        "error_messages": _messages(spec),
    }
    return FIELD_TYPES[spec.type](spec, kwargs)
