"""Every configured rate must parse, so a typo in the environment stops the start."""

from django.conf import settings
from django.core.checks import Error, register

from .rates import SCOPES, parse_rate


@register()
def rates_are_valid(app_configs, **kwargs):
    errors = []
    for name, scopes in settings.RATHAUS_RATE_LIMITS.items():
        for scope, text in scopes.items():
            if scope not in SCOPES:
                errors.append(Error(f"RATHAUS_RATE_LIMITS[{name!r}]: unknown scope {scope!r}",
                                    hint=f"Use {' or '.join(SCOPES)}.", id="rate_limits.E001"))
                continue
            try:
                parse_rate(text)
            except ValueError as error:
                errors.append(Error(f"RATHAUS_RATE_LIMITS[{name!r}][{scope!r}]: {error}",
                                    id="rate_limits.E002"))
    return errors
