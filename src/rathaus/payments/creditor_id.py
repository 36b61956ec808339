"""SEPA creditor identifier (Gläubiger-Identifikationsnummer) of an authority.

Layout (EPC262-08): country code, two check digits, a three-character business code
that the check ignores (usually "ZZZ"), then the national identifier. The check digits
are ISO 7064 MOD 97-10 over the national identifier followed by the country code and
"00", like an IBAN's. German identifiers are always 18 characters long.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .iban import mod97, normalise_iban

_LAYOUT = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}")
_NATIONAL_LENGTH = {"DE": 18}


def is_valid_creditor_id(value: str) -> bool:
    creditor_id = normalise_iban(value)
    if not _LAYOUT.fullmatch(creditor_id):
        return False
    country = creditor_id[:2]
    if len(creditor_id) != _NATIONAL_LENGTH.get(country, len(creditor_id)):
        return False
    return 98 - mod97(creditor_id[7:] + country + "00") == int(creditor_id[2:4])


def validate_creditor_id(value: str) -> None:
    if not is_valid_creditor_id(value):
        raise ValidationError(
            _("This is not a valid SEPA creditor identifier (e.g. DE98ZZZ09999999999)."),
            code="invalid_creditor_id",
        )
