"""File reference numbers (Aktenzeichen) built from an authority's configurable pattern."""

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REFERENCE_PATTERN = "{code}-{year}-{number:06d}"
# Each field is required: without {code} two plan entries, without {year} two years
# (the counter restarts every year) would hand out the same Aktenzeichen.
REQUIRED_FIELDS = frozenset({"code", "year", "number"})
MAX_REFERENCE_LENGTH = 100


def format_reference(pattern: str, *, code: str, year: int, number: int) -> str:
    return pattern.format(code=code, year=year, number=number)


def validate_reference_pattern(pattern: str) -> None:
    """Accept only plain `{code}`, `{year}` and `{number}` fields with format specs.

    Attribute or index access (`{code.__class__}`) and nested fields are refused: the
    pattern is configuration entered by staff and must not reach into Python objects.
    """
    try:
        parts = list(Formatter().parse(pattern))
    except ValueError as exc:
        raise ValidationError(_("The pattern is not a valid format: %(error)s"),
                              params={"error": exc}, code="invalid") from exc
    fields = [name for _text, name, _spec, _conv in parts if name is not None]
    nested = any("{" in (spec or "") for _text, _name, spec, _conv in parts)
    if nested or not set(fields) <= REQUIRED_FIELDS:
        raise ValidationError(
            _("The pattern may only use the fields {code}, {year} and {number}."),
            code="unknown_field",
        )
    if set(fields) != REQUIRED_FIELDS:
        raise ValidationError(
            _("The pattern must contain each of {code}, {year} and {number}."),
            code="missing_field",
        )
    try:
        sample = format_reference(pattern, code="32.41.01", year=2026, number=123456)
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("The pattern is not a valid format: %(error)s"),
                              params={"error": exc}, code="invalid") from exc
    if len(sample) > MAX_REFERENCE_LENGTH:
        raise ValidationError(_("The pattern makes file references that are too long."),
                              code="too_long")
