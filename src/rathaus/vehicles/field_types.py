"""The field types of the vehicle registration: `evb`, `vin`, `plate`, the certificate's
number `zb2_number` and the security codes `zb2_code`, `zb1_code` and `seal_code`, each checked
as `identifiers.py` says, with the citizen's message. A chosen plate is also asked for
at the district's plate register, live: the form is filled in the town's portal, the
register is the district's (`authorities.responsibility`). Imported by rathaus.forms
at start-up (FormsConfig.ready), before the definitions that use them are checked."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.models import Authority
from rathaus.authorities.responsibility import NoResponsibleAuthority, responsible_for
from rathaus.authorities.tenancy import active_authority_or_none, authority_context
from rathaus.forms.field_types import FieldType, field_type

from .identifiers import (
    InvalidIdentifier,
    normalise_certificate_number,
    normalise_evb,
    normalise_vin,
    parse_plate,
    security_code_normaliser,
)
from .plates import plate_is_free

# The district's distinguishing sign (Unterscheidungszeichen), by its municipality key.
DISTINGUISHING_SIGNS = {"05378": "GL"}


class IdentifierField(forms.CharField):
    def __init__(self, *, normalise, **kwargs):
        self.normalise = normalise
        super().__init__(max_length=40, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return self.normalise(value)
        except InvalidIdentifier as problem:
            raise ValidationError(problem.message, code="invalid") from problem


def plate_district() -> Authority | None:
    """The district whose plates a resident of the active authority chooses from."""
    here = active_authority_or_none()
    if here is None:
        return None
    try:
        return responsible_for(performed_by=Authority.Kind.DISTRICT, home=here).authority
    except NoResponsibleAuthority:
        return None


def check_plate(text: str) -> str:
    """The chosen plate normalised, if well formed and free at the district's register."""
    district = plate_district()
    sign = DISTINGUISHING_SIGNS.get(district.municipality_key, "") if district else ""
    if not sign:
        raise InvalidIdentifier(_("Chosen plates cannot be checked here. Please ask the "
                                  "vehicle registration office."))
    plate = parse_plate(text, sign=sign)
    with authority_context(district):
        free = plate_is_free(plate)
    if not free:
        raise InvalidIdentifier(_("%(plate)s is taken. Please choose another one.")
                                % {"plate": plate})
    return str(plate)


@field_type
class EvbType(FieldType):
    name, title = "evb", _("Insurance confirmation number (eVB)")

    def form_field(self, spec, **kwargs):
        return IdentifierField(normalise=normalise_evb, **kwargs)


@field_type
class VinType(FieldType):
    name, title = "vin", _("Vehicle identification number (VIN)")

    def form_field(self, spec, **kwargs):
        return IdentifierField(normalise=normalise_vin, **kwargs)


@field_type
class PlateType(FieldType):
    name, title = "plate", _("Chosen number plate")

    def form_field(self, spec, **kwargs):
        return IdentifierField(normalise=check_plate, **kwargs)


@field_type
class CertificateNumberType(FieldType):
    name, title = "zb2_number", _("Number of the registration certificate part II")

    def form_field(self, spec, **kwargs):
        return IdentifierField(normalise=normalise_certificate_number, **kwargs)


class SecurityCodeType(FieldType):
    """A hidden security code; the vehicle register compares it (application_checks)."""

    kind = ""

    def form_field(self, spec, **kwargs):
        field = IdentifierField(normalise=security_code_normaliser(self.kind), **kwargs)
        field.widget.attrs.update(autocomplete="off", spellcheck="false")
        return field

    def display(self, spec, value):
        # A secret like a PIN: shown in full on no page and in no PDF (summary, receipt,
        # the office's case view); the last two characters let the citizen spot a typo.
        if not value:
            return super().display(spec, value)
        return str(_("hidden, ends in %(end)s") % {"end": str(value)[-2:]})


@field_type
class PartTwoCodeType(SecurityCodeType):
    name, title = "zb2_code", _("Security code of the registration certificate part II")
    kind = "part_two"


@field_type
class PartOneCodeType(SecurityCodeType):
    name, title = "zb1_code", _("Security code of the registration certificate part I")
    kind = "part_one"


@field_type
class SealCodeType(SecurityCodeType):
    name, title = "seal_code", _("Seal code of the rear plate")
    kind = "seal"
