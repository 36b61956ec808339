"""The field type `confirmation_code`: the applicant enters the code a party issued
first. Imported by rathaus.forms at start-up (FormsConfig.ready), before the
definitions that use it are checked."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.catalog.definitions import Field
from rathaus.catalog.registry import all_definitions
from rathaus.forms.field_types import FieldType, field_type

from .services import code_problem


def _definitions_asking(spec: Field):
    """The services whose definition asks for their party's code in this very field."""
    return [d for d in all_definitions().values()
            if d.third_party_confirmation is not None
            and d.third_party_confirmation.code_field == spec.id
            and d.fields.get(spec.id) == spec]


class ConfirmationCodeField(forms.CharField):
    def __init__(self, *, spec: Field, **kwargs):
        self.spec = spec
        super().__init__(max_length=40, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        message, code = code_problem(text=value, definitions=_definitions_asking(self.spec))
        if message:
            raise ValidationError(message, code="invalid")
        return code


@field_type
class ConfirmationCodeType(FieldType):
    """Normalised to the code as issued (capitals, dashes), whatever the case, spaces
    and dashes typed; valid only if the party confirmed, for this service, and nobody
    used it yet and it has not expired."""

    name, title = "confirmation_code", _("Confirmation code of a third party")

    def form_field(self, spec, **kwargs):
        return ConfirmationCodeField(spec=spec, widget=forms.TextInput(attrs={
            "autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
            **kwargs)

    def prefill(self, *, user, source):
        return None
