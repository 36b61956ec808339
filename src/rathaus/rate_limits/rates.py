"""What a rate in the settings means: "10/m" is ten requests per minute."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")
SCOPES = ("client", "account")


@dataclass(frozen=True)
class Rate:
    count: int
    period: int  # seconds


@lru_cache(maxsize=64)
def parse_rate(text: str | None) -> Rate | None:
    """`Rate` of "<count>/<period>" (period s, m, h or d, with an optional number before
    it: "100/10m"); None for "off" or nothing. ValueError for anything else."""
    if text is None or text.strip().lower() in ("", "off"):
        return None
    match = _RATE.fullmatch(text)
    if not match:
        raise ValueError(f"not a rate: {text!r} (expected e.g. 10/m, 100/10m or off)")
    count, multiple, unit = match.groups()
    period = int(multiple or 1) * UNITS[unit]
    if period == 0:
        raise ValueError(f"not a rate: {text!r} (the period is zero)")
    return Rate(count=int(count), period=period)


def configured(name: str) -> dict[str, str]:
    """The settings' entry of the named limit; ImproperlyConfigured for a name they do
    not define."""
    try:
        return settings.RATHAUS_RATE_LIMITS[name]
    except KeyError:
        raise ImproperlyConfigured(f"RATHAUS_RATE_LIMITS defines no limit {name!r}") from None


def rates_of(name: str) -> dict[str, Rate | None]:
    """The rates of the named limit, per scope."""
    scopes = configured(name)
    return {scope: parse_rate(scopes.get(scope)) for scope in SCOPES}
