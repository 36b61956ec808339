"""Validators that field types of service definitions use."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MICROCHIP = re.compile(r"^\d{15}$")


def normalise_microchip(value: str) -> str:
    digits = re.sub(r"[\s.-]", "", value)
    if not digits.isdigit():
        raise ValidationError(_("The microchip number consists of digits only."))
    if not MICROCHIP.match(digits):
        raise ValidationError(
            _("The microchip number has 15 digits; you entered %(count)d.")
            % {"count": len(digits)}
        )
    return digits


def check_date_range(value: date, *, past: bool, max_age_years: int | None,
                     max_days_ahead: int | None = None) -> None:
    today = timezone.localdate()
    if past and value > today:
        raise ValidationError(_("The date cannot be in the future."))
    if max_days_ahead is not None and (value - today).days > max_days_ahead:
        raise ValidationError(
            _("The date can be at most %(days)d days from today.") % {"days": max_days_ahead})
    if max_age_years and value.year < today.year - max_age_years:
        raise ValidationError(
            _("The date cannot be more than %(years)d years ago.") % {"years": max_age_years}
        )
