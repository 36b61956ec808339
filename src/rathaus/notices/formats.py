"""German number and date formats for notices, independent of the request's language:
official documents are German whatever language the portal shows."""

from datetime import date
from decimal import Decimal

NBSP = "\u00a0"


def euro(value: Decimal) -> str:
    """1234.5 → "1.234,50 €"; negative amounts with a real minus sign."""
    amount = Decimal(value)
    text = f"{abs(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{'−' if amount < 0 else ''}{text}{NBSP}€"


def datum(value: date) -> str:
    """2026-04-01 → "01.04.2026"."""
    return value.strftime("%d.%m.%Y")


def tag_monat(value: date) -> str:
    """2026-04-01 → "01.04." for recurring dates."""
    return value.strftime("%d.%m.")
