"""Reading a date a person typed, in German order, and saying exactly what is wrong.

"31.02.2023" has the right format but names a day that does not exist: it gets a
message that says so ("Der Februar 2023 hat 28 Tage"), not the format hint, which
only a text that does not look like a date gets. Every form that asks for a date
(service steps, the account's profile, deregistering a dog) uses `TypedDateField`,
so the same words appear everywhere. It lives at the bottom layer because the
account forms (base) ask for dates as well as the form engine (a block).
"""

import calendar
import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d. %m. %Y"]
SHOWN_FORMAT = "%d.%m.%Y"

# What looks like a date: day, month and year in German order (two- or four-digit
# year) or ISO order. Which of them is impossible is then worth a message of its own.
_GERMAN = re.compile(r"^(?P<day>\d{1,2})\s*\.\s*(?P<month>\d{1,2})\s*\.\s*(?P<year>\d{4}|\d{2})$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")

MESSAGES = {
    "invalid": _("Please enter the date as DD.MM.YYYY."),
    "no_such_month": _("This month does not exist: enter a month from 1 to 12."),
    "no_such_day": _("This day does not exist: %(month)s %(year)d has %(days)d days."),
}


def parse_typed_date(text: str) -> date:
    """The date in `text`, or ValidationError with code `invalid` (not a date's
    shape), `no_such_month` or `no_such_day` (the shape is right, the date is not)."""
    text = text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    parts = _GERMAN.match(text) or _ISO.match(text)
    if parts is None:
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    day, month, year = (int(parts[name]) for name in ("day", "month", "year"))
    if len(parts["year"]) == 2:
        year = datetime.strptime(parts["year"], "%y").year  # as strptime reads it above
    if not 1 <= month <= 12:
        raise ValidationError(MESSAGES["no_such_month"], code="no_such_month")
    if year < 1:
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    days = calendar.monthrange(year, month)[1]
    # The shape matched and the month exists, so strptime refused the day.
    raise ValidationError(MESSAGES["no_such_day"], code="no_such_day",
                          params={"month": MONTHS[month], "year": year, "days": days})


class TypedDateField(forms.DateField):
    """A date typed as DD.MM.YYYY (also D.M.YY and ISO), with `parse_typed_date`'s
    messages; `error_messages["invalid"]` replaces only the format hint."""

    widget = forms.DateInput(format=SHOWN_FORMAT, attrs={"inputmode": "numeric"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_typed_date(str(value))
        except ValidationError as error:
            if error.code == "invalid":
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            raise

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {"invalid": MESSAGES["invalid"], **kwargs["error_messages"]}
        super().__init__(**kwargs)
