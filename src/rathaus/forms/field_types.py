"""Field types of service definitions: each type is one object that knows everything
about its kind of answer.

A type makes the Django form field, turns the cleaned value into what the draft keeps
as JSON and back (to_json / from_json), shows the answer on summaries, case views and
receipts (display), says whether it holds files and fills in its value from the
account (prefill). The form engine and every caller ask the type, never `if type ==`.

A new field type is one new class here with `@field_type`: the catalog takes the
names from FIELD_TYPES when it checks definitions, so the schema needs no edit. A
name registered twice stops the start.
"""

from abc import ABC, abstractmethod
from datetime import date, time
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.firm_access import firm_prefill
from rathaus.catalog.definitions import Field, localize
from rathaus.date_input import DATE_FORMATS, TypedDateField  # noqa: F401 (read from here too)
from rathaus.payments.iban import format_iban, normalise_iban, validate_iban
from rathaus.records.fields import DocumentUploadField
from rathaus.registry import Registry

from .validators import check_date_range, normalise_microchip

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Profile values a definition may prefill that live on the user, not on the profile.
USER_PREFILLS = ("first_name", "last_name", "email")
# The firm a firm account acts for (accounts.firm_access); empty for a citizen.
FIRM_PREFILLS = ("firm_name", "firm_street", "firm_postcode", "firm_city")


class FieldType(ABC):
    name: str = ""  # the `type` of a field in a service definition
    title = ""  # what the type is called, for people writing definitions
    holds_files = False  # files are kept as DraftUploads, not in the JSON answers
    # The messages when a definition gives none (docs/frontend/forms-and-errors.md):
    # they never repeat the label, which stands right above them. A required field of a
    # definition always brings its own required message (the schema insists).
    required_message = _("Please fill in this field.")
    invalid_message = _("Please check what you entered.")

    @abstractmethod
    def form_field(self, spec: Field, **kwargs) -> forms.Field:
        """kwargs: label, help_text, required and error_messages, already made."""

    def error_messages(self, spec: Field) -> dict:
        own = spec.errors or {}
        return {
            "required": localize(own.get("required")) or self.required_message,
            "invalid": localize(own.get("invalid")) or self.invalid_message,
            "invalid_choice": _("Please choose one of the answers offered."),
            "max_length": _("Please shorten this to at most %(limit_value)d characters."),
        }

    def to_json(self, value: Any) -> Any:
        """The cleaned value as the draft keeps it (str, bool, None …)."""
        return value

    def from_json(self, value: Any) -> Any:
        """A kept answer as the form field's initial value."""
        return value

    def is_answered(self, value: Any) -> bool:
        return value not in (None, "", False)

    def display(self, spec: Field, value: Any) -> str:
        """The answer as people read it; for file types `value` is the file name."""
        return value or "–"

    def prefill(self, *, user, source: str) -> Any:
        """The account's value named by the definition's `prefill`, as JSON (None: none)."""
        if source in FIRM_PREFILLS:
            return self.to_json(firm_prefill(user=user, key=source)) or None
        # A firm account has no CitizenProfile: getattr's default covers it.
        holder = user if source in USER_PREFILLS else getattr(user, "profile", None)
        value = getattr(holder, source, None) if holder is not None else None
        return self.to_json(value) if value else None


FIELD_TYPES: Registry[FieldType] = Registry("field type")


def field_type(cls: type[FieldType]) -> type[FieldType]:
    """Class decorator: registers one instance of the type under its name."""
    FIELD_TYPES.register(cls.name, cls())
    return cls


def kind_of(spec: Field) -> FieldType:
    """The field type object of a field of a definition."""
    return FIELD_TYPES[spec.type]


def form_field(spec: Field, *, required: bool) -> forms.Field:
    kind = kind_of(spec)
    return kind.form_field(spec, label=localize(spec.label), help_text=localize(spec.hint),
                           required=required, error_messages=kind.error_messages(spec))


@field_type
class TextType(FieldType):
    name, title = "text", _("Text")

    def form_field(self, spec, **kwargs):
        return forms.CharField(max_length=spec.max_length, **kwargs)


@field_type
class TextareaType(FieldType):
    name, title = "textarea", _("Longer text")

    def form_field(self, spec, **kwargs):
        return forms.CharField(max_length=spec.max_length or 5000,
                               widget=forms.Textarea(attrs={"rows": 5}), **kwargs)


@field_type
class EmailType(FieldType):
    name, title = "email", _("E-mail address")
    invalid_message = _("Enter an e-mail address in the format name@example.com.")

    def form_field(self, spec, **kwargs):
        return forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                                **kwargs)


@field_type
class PostcodeType(FieldType):
    name, title = "postcode", _("Postcode")
    invalid_message = _("A German postcode has 5 digits.")

    def form_field(self, spec, **kwargs):
        return forms.RegexField(regex=r"^\d{5}$",
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs)


class RangedDateField(TypedDateField):
    def __init__(self, *, past: bool, max_age_years: int | None,
                 max_days_ahead: int | None = None, **kwargs):
        self.past, self.max_age_years = past, max_age_years
        self.max_days_ahead = max_days_ahead
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            check_date_range(value, past=self.past, max_age_years=self.max_age_years,
                             max_days_ahead=self.max_days_ahead)


@field_type
class DateType(FieldType):
    name, title = "date", _("Date")
    # Only for a text that is no date at all; a date that does not exist (31.02.) gets
    # rathaus.date_input's message saying so.
    invalid_message = _("Please enter the date as DD.MM.YYYY.")

    def form_field(self, spec, **kwargs):
        return RangedDateField(past=spec.past, max_age_years=spec.max_age_years,
                               max_days_ahead=spec.max_days_ahead, **kwargs)

    def to_json(self, value):
        return value.isoformat() if value else value

    def from_json(self, value):
        return date.fromisoformat(value) if value else value

    def display(self, spec, value):
        if not value:
            return "–"
        y, m, d = value.split("-")
        return f"{d}.{m}.{y}"


@field_type
class TimeType(FieldType):
    """A time of day, e.g. when a found dog was seen or an event begins."""

    name, title = "time", _("Time of day")
    invalid_message = _("Please enter the time as HH:MM.")

    def form_field(self, spec, **kwargs):
        return forms.TimeField(
            input_formats=["%H:%M", "%H.%M"],
            widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"}), **kwargs)

    def to_json(self, value):
        return value.strftime("%H:%M") if value else value

    def from_json(self, value):
        return time.fromisoformat(value) if value else value

    def display(self, spec, value):
        # German readers expect "14:30 Uhr"; English ones just "14:30".
        return pgettext("time of day", "%(time)s") % {"time": value} if value else "–"


def _choices(spec: Field, *, blank: bool):
    options = [(o.value, localize(o.label)) for o in spec.options]
    return [("", _("Please choose"))] + options if blank else options


class ChoiceType(FieldType):
    required_message = _("Please choose an answer.")

    def display(self, spec, value):
        option = next((o for o in spec.options if o.value == value), None)
        return localize(option.label) if option else ""


@field_type
class SelectType(ChoiceType):
    name, title = "select", _("Selection list")

    def form_field(self, spec, **kwargs):
        return forms.ChoiceField(choices=_choices(spec, blank=True), **kwargs)


@field_type
class RadioType(ChoiceType):
    name, title = "radio", _("Choice of answers")

    def form_field(self, spec, **kwargs):
        return forms.ChoiceField(choices=_choices(spec, blank=False),
                                 widget=forms.RadioSelect, **kwargs)


@field_type
class CheckboxType(FieldType):
    name, title = "checkbox", _("Checkbox")
    required_message = _("Please tick the box to confirm.")

    def form_field(self, spec, **kwargs):
        return forms.BooleanField(**kwargs)

    def display(self, spec, value):
        return gettext("yes") if value else gettext("no")


@field_type
class FileType(FieldType):
    name, title = "file", _("File upload")
    holds_files = True
    required_message = _("Please upload the file.")

    def form_field(self, spec, **kwargs):
        # A file kept from an earlier visit is not sent again, so the form never
        # demands one; a missing required file is named on the summary instead. Its
        # label still says whether it is needed (includes/optional_marker.html).
        field = DocumentUploadField(max_bytes=MAX_UPLOAD_BYTES, **{**kwargs, "required": False})
        field.required_elsewhere = kwargs["required"]
        return field

    def display(self, spec, value):
        return value or gettext("not uploaded")

    def prefill(self, *, user, source):
        return None


class IbanField(forms.CharField):
    default_validators = [validate_iban]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_iban(value) if value else value


@field_type
class IbanType(FieldType):
    name, title = "iban", _("IBAN")

    def form_field(self, spec, **kwargs):
        return IbanField(max_length=42, widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false"}), **kwargs)

    def display(self, spec, value):
        return format_iban(value) if value else "–"


class MicrochipField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return normalise_microchip(value) if value else value


@field_type
class MicrochipType(FieldType):
    name, title = "microchip", _("Microchip number")

    def form_field(self, spec, **kwargs):
        return MicrochipField(max_length=30,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs)
