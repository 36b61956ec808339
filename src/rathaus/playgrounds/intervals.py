"""When play equipment is next inspected (DIN EN 1176-7).

The standard asks for three regular inspections of each piece of play equipment:

| inspection                        | kind        | interval        | setting (range, default) |
|-----------------------------------|-------------|-----------------|--------------------------|
| visual routine inspection         | routine     | daily to weekly | routine_days (1-7, 7)    |
| operational inspection            | operational | 1 to 3 months   | operational_months (1-3, 3) |
| annual main inspection            | main        | 12 months       | -                        |
| occasional inspection (vandalism) | occasion    | planned by hand | -                        |

The authority chooses its routine and operational intervals within the standard's
range (`Cadastre.settings`); `check_settings` refuses values outside it. A value that
is stored outside the range anyway (edited in the database) is read as the nearest
value within it, so equipment is never inspected less often than the standard asks.

Coverage: a more thorough inspection covers the lighter ones. The main inspection
includes everything an operational inspection looks at, and both include the visual
routine check, so
- after a main inspection, the main, operational and routine inspections are planned
  anew from its date;
- after an operational inspection, the operational and routine ones;
- after a routine inspection, only the routine one;
- an occasional inspection plans nothing (the regular ones keep their dates).

A new piece of equipment gets all three, counted from the day it is entered.
A playground itself (`playground` kind) is not inspected; its equipment is.
"""

import calendar
from datetime import date, timedelta

from django.utils.translation import gettext as _

ROUTINE_DAYS = (1, 7)  # allowed range of the routine interval in days
DEFAULT_ROUTINE_DAYS = 7
OPERATIONAL_MONTHS = (1, 3)  # allowed range of the operational interval in months
DEFAULT_OPERATIONAL_MONTHS = 3
MAIN_MONTHS = 12

# What an inspection of a kind also counts as (itself included).
COVERS = {
    "main": ("main", "operational", "routine"),
    "operational": ("operational", "routine"),
    "routine": ("routine",),
    "occasion": (),
}
REGULAR = ("routine", "operational", "main")


class InvalidSetting(ValueError):
    """A cadastre setting outside what the standard allows; `str()` is the German reason."""


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _within(value, bounds: tuple[int, int], default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(bounds[0], min(bounds[1], number))


def routine_days(settings: dict) -> int:
    return _within(settings.get("routine_days", DEFAULT_ROUTINE_DAYS), ROUTINE_DAYS,
                   DEFAULT_ROUTINE_DAYS)


def operational_months(settings: dict) -> int:
    return _within(settings.get("operational_months", DEFAULT_OPERATIONAL_MONTHS),
                   OPERATIONAL_MONTHS, DEFAULT_OPERATIONAL_MONTHS)


def check_settings(*, routine_days, operational_months) -> dict:
    """The two settings as whole numbers within the standard's ranges; InvalidSetting
    otherwise."""
    checked = {}
    for name, value, (low, high), message in (
        ("routine_days", routine_days, ROUTINE_DAYS,
         _("The routine inspection must take place every 1 to 7 days.")),
        ("operational_months", operational_months, OPERATIONAL_MONTHS,
         _("The operational inspection must take place every 1 to 3 months.")),
    ):
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise InvalidSetting(message) from None
        if not low <= number <= high:
            raise InvalidSetting(message)
        checked[name] = number
    return checked


def due_dates(settings: dict, kinds, today: date) -> dict[str, date]:
    """The next date of each of `kinds`, counted from `today`."""
    due = {
        "routine": lambda: today + timedelta(days=routine_days(settings)),
        "operational": lambda: add_months(today, operational_months(settings)),
        "main": lambda: add_months(today, MAIN_MONTHS),
    }
    return {kind: due[kind]() for kind in kinds}


def next_inspections(asset, inspection, today: date) -> dict[str, date]:
    """The kinds' rule for play equipment (see the module's table)."""
    settings = asset.cadastre.settings or {}
    if inspection is None:
        return due_dates(settings, REGULAR, today)
    return due_dates(settings, COVERS.get(inspection.kind, ()), today)


def nothing_planned(asset, inspection, today: date) -> dict[str, date]:
    """A playground is not inspected itself: its equipment is."""
    return {}
