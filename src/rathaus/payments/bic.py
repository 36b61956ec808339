"""BIC (ISO 9362): four letters for the bank, two for the country, two for the place,
optionally three for the branch. Only the layout can be checked; there is no checksum."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_LAYOUT = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")


def normalise_bic(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_bic(value: str) -> None:
    if not _LAYOUT.fullmatch(normalise_bic(value)):
        raise ValidationError(
            _("The BIC is not valid: it has 8 or 11 letters and digits, e.g. COLSDE33XXX."),
            code="invalid_bic",
        )
