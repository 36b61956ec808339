"""The payroll export (Lohnexport) of a month: one row per employee whose month the
team lead has closed, from the totals fixed at closing (`MonthClosing.totals`).

The file is documented column by column in docs/worktime.md ("Payroll export"): UTF-8
without a byte order mark, semicolons between fields, a header row of fixed column
names, CRLF line ends; hours as decimal hours with two places and a decimal comma
("7,80" is 7 hours 48 minutes), negative with a leading "-"; days as whole numbers;
the month as YYYY-MM; a text beginning with =, +, -, @ gets a leading apostrophe, so
that no spreadsheet reads it as a formula. Months not closed are not in the file; the
HR page counts them.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .models import ClosingState, Employee, MonthClosing

# (column name, key of MonthClosing.totals, kind); the names are the file's interface
# and never translated.
COLUMNS = (
    ("personalnummer", None, "text"),
    ("nachname", None, "text"),
    ("vorname", None, "text"),
    ("team", None, "text"),
    ("monat", None, "text"),
    ("soll_stunden", "target_minutes", "hours"),
    ("ist_stunden", "worked_minutes", "hours"),
    ("pausenabzug_stunden", "break_deducted_minutes", "hours"),
    ("gutschrift_stunden", "credited_minutes", "hours"),
    ("differenz_stunden", "difference_minutes", "hours"),
    ("saldo_monatsende_stunden", "balance_minutes", "hours"),
    ("urlaub_tage", "leave_days", "days"),
    ("gleittage", "flexitime_days", "days"),
    ("fortbildung_tage", "training_days", "days"),
    ("krank_tage", "sickness_days", "days"),
    ("sonntag_stunden", "sunday_minutes", "hours"),
    ("feiertag_stunden", "holiday_minutes", "hours"),
)
HEADER = [name for name, _key, _kind in COLUMNS]
CENT = Decimal("0.01")


def decimal_hours(minutes: int) -> str:
    """468 → "7,80"; −30 → "-0,50"."""
    value = (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:f}".replace(".", ",")


@dataclass(frozen=True)
class PayrollMonth:
    month: date
    closings: list[MonthClosing]  # closed, ordered by personnel number
    not_closed: list[Employee]  # enrolled, whose month is not closed


def payroll_month(month: date) -> PayrollMonth:
    """The month's closed closings, and the employees (recording by then) without one."""
    month = month.replace(day=1)
    closings = list(MonthClosing.objects.filter(month=month, state=ClosingState.CLOSED)
                    .select_related("employee__user", "employee__team")
                    .order_by("employee__personnel_number"))
    closed = {closing.employee_id for closing in closings}
    not_closed = [employee for employee in Employee.objects.filter(starts_on__lt=_next(month))
                  .select_related("user", "team").order_by("personnel_number")
                  if employee.pk not in closed]
    return PayrollMonth(month=month, closings=closings, not_closed=not_closed)


def payroll_rows(month: date) -> list[list[str]]:
    """The file's rows without the header, one per closed month."""
    return [row(closing) for closing in payroll_month(month).closings]


def payroll_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def filename(month: date) -> str:
    return f"lohnexport-arbeitszeit-{month:%Y-%m}.csv"


def row(closing: MonthClosing) -> list[str]:
    employee, totals = closing.employee, closing.totals
    row = [_text(employee.personnel_number), _text(employee.user.last_name),
           _text(employee.user.first_name), _text(employee.team.name), f"{closing.month:%Y-%m}"]
    for _name, key, kind in COLUMNS[5:]:
        value = int(totals.get(key, 0))
        row.append(decimal_hours(value) if kind == "hours" else str(value))
    return row


def _text(value: str) -> str:
    # A spreadsheet would run a cell beginning like a formula; names never need to.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
