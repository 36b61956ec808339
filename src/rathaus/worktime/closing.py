"""Closing a month: the employee confirms it, the team lead closes it (its totals fixed
for payroll, the monthly sheet written by the worker) or puts it in dispute. A closed
or confirmed month's entries change only by an approved correction, after which its
totals and sheet are written again. Each change is one transaction with its audit
entry."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record

from . import rules
from .absences import absence_days
from .balances import balance_until, recompute_days
from .configuration import holidays
from .errors import WorktimeError
from .models import (
    Absence,
    AbsenceKind,
    ClosingState,
    DayBalance,
    Decision,
    Employee,
    Entry,
    MonthClosing,
)
from .permissions import is_the_employee, may_close_month
from .rules import month_end, month_of


@unguarded("reads a closing state for the guarded services and the owner's pages")
def is_closed(employee: Employee, day: date) -> bool:
    """The month of `day` is closed (or confirmed by the employee and waiting for the
    team lead): its entries change only by an approved correction."""
    return MonthClosing.objects.filter(
        employee=employee, month=month_of(day),
        state__in=(ClosingState.CONFIRMED, ClosingState.CLOSED)).exists()


def _closing(employee: Employee, month: date) -> MonthClosing:
    closing, _created = MonthClosing.objects.select_for_update().get_or_create(
        employee=employee, month=month)
    return closing


@guarded_by(is_the_employee)
@transaction.atomic
def confirm_month(*, actor, employee: Employee, month: date) -> MonthClosing:
    """The employee confirms that a past month's records are complete."""
    month = month_of(month)
    if month_end(month) >= timezone.localdate():
        raise WorktimeError(_("A month can be confirmed once it is over."))
    closing = _closing(employee, month)
    if closing.state in (ClosingState.CONFIRMED, ClosingState.CLOSED):
        raise WorktimeError(_("This month has been confirmed already."))
    zone = rules.local_zone()
    if Entry.objects.filter(employee=employee, removed=False, ended_at=None,
                            started_at__lt=datetime.combine(month_end(month) + timedelta(days=1),
                                                            datetime.min.time(), zone)).exists():
        raise WorktimeError(_("An entry of this month has no end. Please clock out or "
                              "correct it first."))
    recompute_days(employee, month, month_end(month))
    closing.state, closing.confirmed_at = ClosingState.CONFIRMED, timezone.now()
    closing.save(update_fields=["state", "confirmed_at"])
    record("worktime.month_confirmed", actor=actor, target=closing,
           data={"employee": employee.personnel_number, "month": month.isoformat()[:7]})
    return closing


@guarded_by(may_close_month)
@transaction.atomic
def close_month(*, actor, closing: MonthClosing) -> MonthClosing:
    """The team lead confirms a month the employee confirmed: its totals are fixed
    for payroll and the worker writes the monthly sheet."""
    closing = MonthClosing.objects.select_for_update().get(pk=closing.pk)
    if closing.state != ClosingState.CONFIRMED:
        raise WorktimeError(_("Only a month the employee has confirmed can be closed."))
    closing.state, closing.closed_by, closing.closed_at = ClosingState.CLOSED, actor, timezone.now()
    closing.dispute_reason = ""
    closing.totals = month_totals(closing.employee, closing.month)
    closing.save(update_fields=["state", "closed_by", "closed_at", "dispute_reason", "totals"])
    record("worktime.month_closed", actor=actor, target=closing,
           data={"employee": closing.employee.personnel_number,
                 "month": closing.month.isoformat()[:7]})
    _enqueue_sheet(closing)
    return closing


@guarded_by(may_close_month)
@transaction.atomic
def dispute_month(*, actor, closing: MonthClosing, reason: str) -> MonthClosing:
    """The team lead does not confirm and says what needs clarifying. While the month
    is in dispute, the lead sees its clock times (and each look is logged); the
    employee corrects and confirms again."""
    closing = MonthClosing.objects.select_for_update().get(pk=closing.pk)
    if closing.state != ClosingState.CONFIRMED:
        raise WorktimeError(_("Only a month the employee has confirmed can be put in dispute."))
    reason = (reason or "").strip()
    if not reason:
        raise WorktimeError(_("Please say what needs clarifying."))
    closing.state, closing.dispute_reason = ClosingState.DISPUTED, reason[:300]
    closing.save(update_fields=["state", "dispute_reason"])
    record("worktime.month_disputed", actor=actor, target=closing,
           data={"employee": closing.employee.personnel_number,
                 "month": closing.month.isoformat()[:7]})
    return closing


@unguarded("reads for close_month and the sheet, whose callers check the reader")
def month_totals(employee: Employee, month: date) -> dict:
    """What payroll reads of a closed month (docs/worktime.md, the payroll export)."""
    last = month_end(month)
    figures = DayBalance.objects.filter(employee=employee, day__range=(month, last))
    sums = defaultdict(int)
    for row in figures.values("target", "worked", "break_deducted", "credited", "delta"):
        for name, value in row.items():
            sums[name] += value
    absence_counts = defaultdict(int)
    for absence in Absence.objects.filter(employee=employee, state=Decision.APPROVED,
                                          first_day__lte=last, last_day__gte=month):
        absence_counts[absence.kind] += len(absence_days(
            employee, max(absence.first_day, month), min(absence.last_day, last)))
    # A night shift of the month's last day may go on into a holiday (New Year).
    days_off = holidays(month, last + timedelta(days=1))
    zone = rules.local_zone()
    sunday = holiday = 0
    for start, end in Entry.objects.filter(
            employee=employee, removed=False,
            started_at__gte=datetime.combine(month, datetime.min.time(), zone),
            started_at__lt=datetime.combine(last + timedelta(days=1), datetime.min.time(), zone),
    ).exclude(ended_at=None).values_list("started_at", "ended_at"):
        stretch = rules.Stretch(start, end)
        sunday += rules.minutes_on_days(stretch, rules.is_sunday)
        holiday += rules.minutes_on_days(stretch, days_off.__contains__)
    return {
        "target_minutes": sums["target"], "worked_minutes": sums["worked"],
        "break_deducted_minutes": sums["break_deducted"], "credited_minutes": sums["credited"],
        "difference_minutes": sums["delta"],
        "balance_minutes": balance_until(employee, last),
        "leave_days": absence_counts[AbsenceKind.LEAVE],
        "flexitime_days": absence_counts[AbsenceKind.FLEXITIME_DAY],
        "training_days": absence_counts[AbsenceKind.TRAINING],
        "sickness_days": absence_counts[AbsenceKind.SICKNESS],
        "sunday_minutes": sunday, "holiday_minutes": holiday,
    }


@unguarded("a building block of decide_correction, which is guarded")
def rewrite_closed_months(employee: Employee, days: set[date]) -> None:
    """After an approved correction: the totals of the closed months of `days` anew,
    and their sheets written again."""
    for closing in MonthClosing.objects.filter(employee=employee, state=ClosingState.CLOSED,
                                               month__in={month_of(d) for d in days}):
        closing.totals = month_totals(employee, closing.month)
        closing.save(update_fields=["totals"])
        _enqueue_sheet(closing)


def _enqueue_sheet(closing: MonthClosing) -> None:
    from .tasks import write_sheet  # the task writes the sheet, which reads the closing's figures

    transaction.on_commit(lambda: write_sheet.enqueue(
        authority_id=closing.authority_id, closing_id=closing.pk))
