"""The daily figures (`DayBalance`) and the flexitime balance. A change to a day's
entries or absences recomputes that day at once (`recompute_days`); the daily run
(`run_daily_balances`) computes yesterday for everybody, so a day without any entry (a
day off, a forgotten clock-in) has its figures too. It changes no one's records, only
the figures computed from them."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from rathaus.accounts.permissions import unguarded

from . import rules
from .configuration import agreement, holidays
from .models import Absence, AbsenceKind, BreakRule, DayBalance, Decision, Employee, Entry


@unguarded("a building block of the guarded services and the worker's daily run")
def recompute_days(employee: Employee, first: date, last: date) -> None:
    """Write the `DayBalance` of each day from `first` to `last` (never beyond today,
    never before recording started) from the entries and absences as they are now."""
    first = max(first, employee.starts_on)
    last = min(last, timezone.localdate())
    if first > last:
        return
    compute_balances([employee], first, last)


@unguarded("a building block of recompute_days and the worker's daily run")
def compute_balances(employees, first: date, last: date) -> int:
    """The figures of `employees` for the days from `first` to `last`, written in bulk:
    a few queries whatever the number of employees (the daily run)."""
    employees = list(employees)
    if not employees:
        return 0
    settings = agreement()
    days_off = holidays(first, last)
    zone = rules.local_zone()
    # Shifts beginning on the period's days: a stretch may begin up to a day before,
    # and a night shift of the last day goes on after midnight (its later stretches
    # begin the next day).
    window_start = datetime.combine(first - timedelta(days=1), datetime.min.time(), zone)
    window_end = datetime.combine(last + timedelta(days=2), datetime.min.time(), zone)
    stretches = defaultdict(list)
    for employee_id, start, end in (
            Entry.objects.filter(employee__in=employees, removed=False,
                                 started_at__gte=window_start, started_at__lt=window_end)
            .exclude(ended_at=None).values_list("employee_id", "started_at", "ended_at")):
        stretches[employee_id].append(rules.Stretch(start, end))
    credited = defaultdict(set)
    for employee_id, kind, first_day, last_day in (
            Absence.objects.filter(employee__in=employees, state=Decision.APPROVED,
                                   first_day__lte=last, last_day__gte=first)
            .values_list("employee_id", "kind", "first_day", "last_day")):
        if kind == AbsenceKind.FLEXITIME_DAY:
            continue
        day = max(first_day, first)
        while day <= min(last_day, last):
            credited[employee_id].add(day)
            day += timedelta(days=1)
    deduct = settings.break_rule == BreakRule.STATUTORY_MINIMUM
    rows = []
    for employee in employees:
        by_day = defaultdict(list)
        for shift in rules.shifts(stretches[employee.pk]):
            by_day[shift.day].append(shift)
        minutes = employee.time_model.daily_minutes
        day = max(first, employee.starts_on)
        while day <= last:
            figures = rules.day_figures(
                target=rules.day_target(day, minutes, days_off), shift_list=by_day[day],
                credited_absence=day in credited[employee.pk], deduct_missing_break=deduct)
            rows.append(DayBalance(
                employee=employee, day=day, target=figures.target, worked=figures.worked,
                break_deducted=figures.break_deducted, credited=figures.credited,
                delta=figures.delta, computed_at=timezone.now()))
            day += timedelta(days=1)
    DayBalance.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["employee", "day"],
        update_fields=["target", "worked", "break_deducted", "credited", "delta", "computed_at"])
    return len(rows)


@unguarded("the worker's daily run for every employee; it changes no one's records")
def run_daily_balances(day: date | None = None, *, batch: int = 500) -> int:
    """Compute `day` (yesterday by default) for every employee of the active
    authority, `batch` employees at a time."""
    day = day or timezone.localdate() - timedelta(days=1)
    employees = (Employee.objects.filter(starts_on__lte=day).select_related("time_model")
                 .order_by("pk"))
    done = 0
    for offset in range(0, employees.count(), batch):
        with transaction.atomic():
            done += compute_balances(employees[offset:offset + batch], day, day)
    return done


@unguarded("reads for pages that check the reader first")
def balance_until(employee: Employee, day: date) -> int:
    """The flexitime balance at the end of `day`: the opening balance and every day's
    difference so far (one indexed sum)."""
    total = (DayBalance.objects.filter(employee=employee, day__lte=day)
             .aggregate(s=Sum("delta"))["s"])
    return employee.opening_balance_minutes + (total or 0)


@unguarded("reads for pages that check the reader first")
def balances_until(employees, day: date) -> dict[int, int]:
    """`balance_until` of each of `employees` by their id, in one grouped sum."""
    employees = list(employees)
    totals = dict(DayBalance.objects.filter(employee__in=employees, day__lte=day)
                  .values("employee_id").annotate(s=Sum("delta"))
                  .values_list("employee_id", "s"))
    return {employee.pk: employee.opening_balance_minutes + (totals.get(employee.pk) or 0)
            for employee in employees}
