"""Reading working time: an employee's month (the page everybody who may look at it
sees, with or without clock times), today's state, and the team lead's overview.

A month is a fixed handful of queries whatever the history's length: the day figures
of the month, one sum for the balance before it, the month's entries, absences and
days off, and one sum for the §3 average."""

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from . import rules
from .configuration import agreement, holidays, local_days
from .models import (
    Absence,
    ClosingState,
    Correction,
    DayBalance,
    Decision,
    Employee,
    Entry,
    MonthClosing,
)
from .rules import month_end, month_of


def employee_of(user) -> Employee | None:
    """The user's own employment in the active authority, if they record time."""
    if user is None or not user.is_authenticated:
        return None
    return (Employee.objects.select_related("team", "time_model", "user")
            .filter(user=user).first())


def open_entry(employee: Employee) -> Entry | None:
    return Entry.objects.filter(employee=employee, ended_at=None, removed=False).first()


@dataclass
class DayRow:
    day: date
    holiday: str = ""
    target: int = 0
    worked: int = 0
    break_deducted: int = 0
    credited: int = 0
    delta: int = 0
    balance: int = 0
    computed: bool = False  # False: the day has no figures yet (today, the future)
    absence: Absence | None = None
    entries: list[Entry] = field(default_factory=list)  # empty when clock times are hidden
    findings: list[rules.Finding] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass
class MonthView:
    employee: Employee
    month: date
    rows: list[DayRow]
    findings: list[rules.Finding]
    closing: MonthClosing | None
    balance_before: int
    balance_after: int
    clock_times: bool

    @property
    def totals(self) -> dict[str, int]:
        """The sums of the days with figures: a running month's target so far, not the
        whole month's, so that target, worked and difference fit together."""
        return {name: sum(getattr(row, name) for row in self.rows if row.computed)
                for name in ("target", "worked", "break_deducted", "credited", "delta")}

    @property
    def state(self) -> str:
        return self.closing.state if self.closing else ClosingState.OPEN


def month_view(employee: Employee, month: date, *, clock_times: bool) -> MonthView:
    """The month's days with their figures, absences and findings; the entries only
    when `clock_times` (the caller asked `may_read_clock_times`)."""
    month = month_of(month)
    last = month_end(month)
    zone = rules.local_zone()
    # From the day before (the rest to the 1st) to the day after (a night shift of the
    # last day goes on past midnight, perhaps into a holiday).
    days_off = holidays(month - timedelta(days=1), last + timedelta(days=1))
    settings = agreement()

    figures = {row.day: row for row in DayBalance.objects.filter(
        employee=employee, day__range=(month, last))}
    before = DayBalance.objects.filter(employee=employee, day__lt=month).aggregate(
        s=Sum("delta"))["s"] or 0
    balance_before = employee.opening_balance_minutes + before

    entries = list(Entry.objects.filter(
        employee=employee, removed=False, **_shift_window(month, last)))
    absences = list(Absence.objects.filter(
        employee=employee, state=Decision.APPROVED, first_day__lte=last, last_day__gte=month))

    finished = [rules.Stretch(e.started_at, e.ended_at) for e in entries if e.ended_at]
    day_shifts = rules.shifts(finished)
    findings = _checked(day_shifts, days_off=days_off, settings=settings, month=month)
    average = _average_finding(employee, min(last, timezone.localdate()), days_off_until=last,
                               months=settings.reference_months)
    if average is not None:
        findings.append(average)

    # An entry is shown on the day of its shift: a night shift's part after midnight
    # belongs to the evening it began.
    shift_day = {stretch.start: shift.day for shift in day_shifts for stretch in shift.stretches}
    by_day_entries = defaultdict(list)
    for entry in entries:
        start = rules.instant(entry.started_at)
        by_day_entries[shift_day.get(start, entry.started_at.astimezone(zone).date())].append(entry)
    by_day_findings = defaultdict(list)
    for finding in findings:
        by_day_findings[finding.day].append(finding)

    rows, balance, day = [], balance_before, month
    while day <= last:
        row = DayRow(day=day, holiday=days_off.get(day, ""),
                     absence=next((a for a in absences if a.first_day <= day <= a.last_day), None),
                     findings=by_day_findings[day],
                     entries=by_day_entries[day] if clock_times else [])
        stored = figures.get(day)
        if stored is not None:
            row.target, row.worked, row.credited = stored.target, stored.worked, stored.credited
            row.break_deducted, row.delta, row.computed = stored.break_deducted, stored.delta, True
            balance += stored.delta
        else:
            row.target = rules.day_target(day, employee.time_model.daily_minutes, days_off)
        row.balance = balance
        rows.append(row)
        day += timedelta(days=1)
    closing = MonthClosing.objects.filter(employee=employee, month=month).first()
    return MonthView(employee=employee, month=month, rows=rows, findings=findings,
                     closing=closing, balance_before=balance_before, balance_after=balance,
                     clock_times=clock_times)


def _shift_window(month: date, last: date) -> dict[str, datetime]:
    """The filter for the entries of a month's shifts: from the day before (the rest to
    the 1st) to the day after (a night shift of the last day goes on past midnight)."""
    zone = rules.local_zone()
    return {"started_at__gte": datetime.combine(month - timedelta(days=1), datetime.min.time(),
                                                zone),
            "started_at__lt": datetime.combine(last + timedelta(days=2), datetime.min.time(),
                                               zone)}


def _checked(day_shifts, *, days_off, settings, month: date) -> list[rules.Finding]:
    """The checks' findings of the month's shifts (those of the day before only measure
    the rest to the 1st)."""
    frame = (settings.flex_start, settings.flex_end)
    return [f for f in rules.check_shifts(day_shifts, holidays=days_off, frame=frame)
            if month <= f.day <= month_end(month)]


def month_findings(employees, month: date) -> dict[int, list[rules.Finding]]:
    """The findings of `month_view(employee, month)` of each of `employees` by their id,
    in a fixed handful of queries whatever their number (the team lead's overview)."""
    employees = list(employees)
    month = month_of(month)
    last = month_end(month)
    days_off = holidays(month - timedelta(days=1), last + timedelta(days=1))
    settings = agreement()
    finished = defaultdict(list)
    for employee_id, start, end in (
            Entry.objects.filter(employee__in=employees, removed=False,
                                 **_shift_window(month, last))
            .exclude(ended_at=None).order_by("started_at", "pk")
            .values_list("employee_id", "started_at", "ended_at")):
        finished[employee_id].append(rules.Stretch(start, end))
    averages = _average_findings(employees, min(last, timezone.localdate()),
                                 months=settings.reference_months)
    found = {}
    for employee in employees:
        findings = _checked(rules.shifts(finished[employee.pk]), days_off=days_off,
                            settings=settings, month=month)
        if averages.get(employee.pk) is not None:
            findings.append(averages[employee.pk])
        found[employee.pk] = findings
    return found


def _average_finding(employee: Employee, until: date, *, days_off_until: date,
                     months: int) -> rules.Finding | None:
    return _average_findings([employee], until, months=months).get(employee.pk)


def _average_findings(employees: list[Employee], until: date, *,
                      months: int) -> dict[int, rules.Finding | None]:
    """§3's average over the reference period ending with `until` of each employee who
    had begun by then: one sum and one look at the days off for all of them."""
    window = _months_before(until, months)
    firsts = {employee.pk: max(employee.starts_on, window) for employee in employees
              if max(employee.starts_on, window) <= until}
    if not firsts:
        return {}
    worked = dict(DayBalance.objects.filter(employee__in=list(firsts), day__range=(window, until),
                                            day__gte=F("employee__starts_on"))
                  .values("employee_id").annotate(s=Sum("worked"))
                  .values_list("employee_id", "s"))
    local = local_days(min(firsts.values()), until)
    return {pk: rules.average_finding(
                until, worked=worked.get(pk) or 0,
                workdays=rules.weekdays_for_average(
                    first, until, rules.holidays_between(first, until, local)))
            for pk, first in firsts.items()}


def _months_before(day: date, months: int) -> date:
    """The first day of the `months` months that end with `day`."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1])) + timedelta(days=1)


def today_findings(employee: Employee) -> list[rules.Finding]:
    """What the checks say about today and the rest before it, for the clock page."""
    today = timezone.localdate()
    zone = rules.local_zone()
    now = timezone.now()
    stretches = [rules.Stretch(start, end or now) for start, end in Entry.objects.filter(
        employee=employee, removed=False,
        started_at__gte=datetime.combine(today - timedelta(days=2), datetime.min.time(), zone),
    ).values_list("started_at", "ended_at") if (end or now) > start]
    return [f for f in rules.check_shifts(rules.shifts(stretches),
                                          holidays=holidays(today - timedelta(days=2), today))
            if f.day == today]


def worked_today(employee: Employee) -> int:
    """Minutes worked today so far, the running stretch included."""
    zone = rules.local_zone()
    now = timezone.now()
    start_of_day = datetime.combine(timezone.localdate(), datetime.min.time(), zone)
    running = Entry.objects.filter(employee=employee, removed=False).filter(
        Q(ended_at=None) | Q(ended_at__gt=start_of_day))
    return sum(rules.minutes((end or now) - max(start, start_of_day))
               for start, end in running.values_list("started_at", "ended_at"))


def team_members(team) -> list[Employee]:
    """A team's employees by name: never ordered by a figure (no ranking)."""
    return list(Employee.objects.filter(team=team).select_related("user", "time_model")
                .order_by("user__last_name", "user__first_name"))


def pending_requests(team) -> dict[str, list]:
    """Absences and corrections of a team waiting for the lead."""
    return {
        "absences": list(Absence.objects.filter(employee__team=team, state=Decision.REQUESTED)
                         .select_related("employee__user").order_by("first_day")),
        "corrections": list(Correction.objects.filter(employee__team=team,
                                                      state=Decision.REQUESTED)
                            .select_related("employee__user", "entry").order_by("requested_at")),
    }


def team_absences(team, first: date, last: date) -> list[Absence]:
    """The team's calendar: requested and approved absences overlapping the period.
    Sickness shows as an absence without more (the kind is the lead's to know)."""
    return list(Absence.objects.filter(
        employee__team=team, state__in=(Decision.REQUESTED, Decision.APPROVED),
        first_day__lte=last, last_day__gte=first).select_related("employee__user"))


def closing_states(employees: list[Employee], month: date) -> dict[int, str]:
    """Each employee's closing state of `month` by their id (OPEN while nothing is
    confirmed)."""
    states = dict(MonthClosing.objects.filter(employee__in=employees, month=month)
                  .values_list("employee_id", "state"))
    return {employee.pk: states.get(employee.pk, ClosingState.OPEN) for employee in employees}


def closing_counts(month: date) -> dict[str, int]:
    """HR's overview: how many employees' months are in which state."""
    counted = dict(MonthClosing.objects.filter(month=month).values_list("state")
                   .annotate(n=Count("pk")).values_list("state", "n"))
    counted[ClosingState.OPEN] = Employee.objects.count() - sum(counted.values()) + counted.get(
        ClosingState.OPEN, 0)
    return counted


def reaches_worktime(user) -> bool:
    """Records working time, leads a team, or works in HR: has a working time page."""
    from .models import Team
    from .permissions import is_hr

    if user is None or not user.is_authenticated or not user.is_staff_member:
        return False
    return (Employee.objects.filter(user=user).exists()
            or Team.objects.filter(leads=user).exists() or is_hr(user))
