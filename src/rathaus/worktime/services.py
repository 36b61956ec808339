"""Changing working time records. Each function is one transaction with its audit
entry; the audit log names the employee by personnel number and never a clock time.

A change to a day's entries or absences recomputes that day's `DayBalance` at once;
the daily run (`run_daily_balances`) computes yesterday for everybody, so a day without
any entry (a day off, a forgotten clock-in) has its figures too.
"""

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record

from . import rules
from .models import (
    Absence,
    AbsenceKind,
    Agreement,
    BreakRule,
    ClosingState,
    Correction,
    DayBalance,
    Decision,
    Employee,
    Entry,
    EntryRevision,
    LeaveAccount,
    LocalHoliday,
    MonthClosing,
    Place,
    Source,
    Team,
    TimeModel,
)
from .permissions import (
    is_the_employee,
    may_change_entry,
    may_close_month,
    may_configure,
    may_decide_absence,
    may_decide_correction,
    may_record_absence,
    may_withdraw_absence,
)

# A clock event sent later from the phone's queue may be this old, no older: beyond,
# the employee enters the time as a correction with a reason.
OFFLINE_MAX_AGE = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=2)  # a phone's clock a little ahead is not "the future"


class WorktimeError(ValueError):
    """What was asked cannot be done; `message` says why, in German."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- The authority's configuration ------------------------------------------------------

@unguarded("the configuration is created with its defaults on first use, by anybody's page")
def agreement() -> Agreement:
    found = Agreement.objects.first()
    if found is None:
        try:
            with transaction.atomic():
                found = Agreement.objects.create()
        except IntegrityError:  # created by a parallel request meanwhile
            found = Agreement.objects.get()
    return found


@unguarded("reads the authority's days off")
def local_days(first: date, last: date) -> dict[date, str]:
    return dict(LocalHoliday.objects.filter(day__range=(first, last)).values_list("day", "name"))


@unguarded("reads the authority's days off")
def holidays(first: date, last: date) -> dict[date, str]:
    """Public holidays and the authority's own days off between two dates."""
    return rules.holidays_between(first, last, local_days(first, last))


@guarded_by(may_configure)
@transaction.atomic
def save_agreement(*, actor, values: dict) -> Agreement:
    current = agreement()
    before = {name: str(getattr(current, name)) for name in values}
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    record("worktime.agreement_changed", actor=actor, target=current,
           data={"before": before, "after": {n: str(v) for n, v in values.items()}})
    return current


@guarded_by(may_configure)
@transaction.atomic
def save_time_model(*, actor, time_model: TimeModel | None = None, values: dict) -> TimeModel:
    time_model = time_model or TimeModel()
    for name, value in values.items():
        setattr(time_model, name, value)
    time_model.full_clean()
    time_model.save()
    record("worktime.time_model_saved", actor=actor, target=time_model,
           data={"name": time_model.name, "minutes": list(time_model.daily_minutes)})
    return time_model


@guarded_by(may_configure)
@transaction.atomic
def add_local_holiday(*, actor, day: date, name: str) -> LocalHoliday:
    if LocalHoliday.objects.filter(day=day).exists():
        raise WorktimeError(_("This day is already a day off."))
    holiday = LocalHoliday.objects.create(day=day, name=name)
    record("worktime.local_holiday_added", actor=actor, target=holiday,
           data={"day": day.isoformat(), "name": name})
    _recompute_everybody(day)
    return holiday


@guarded_by(may_configure)
@transaction.atomic
def remove_local_holiday(*, actor, holiday: LocalHoliday) -> None:
    day = holiday.day
    record("worktime.local_holiday_removed", actor=actor, target=holiday,
           data={"day": day.isoformat()})
    holiday.delete()
    _recompute_everybody(day)


def _recompute_everybody(day: date) -> None:
    if day < timezone.localdate():
        for employee in Employee.objects.select_related("time_model"):
            recompute_days(employee, day, day)


@guarded_by(may_configure)
@transaction.atomic
def save_team(*, actor, team: Team | None = None, name: str, leads) -> Team:
    team = team or Team()
    team.name = name
    team.full_clean()
    team.save()
    team.leads.set(leads)
    record("worktime.team_saved", actor=actor, target=team,
           data={"name": name, "leads": sorted(user.pk for user in leads)})
    return team


@guarded_by(may_configure)
@transaction.atomic
def enrol_employee(*, actor, user, team: Team, time_model: TimeModel, personnel_number: str,
                   starts_on: date, opening_balance_minutes: int = 0) -> Employee:
    if not user.is_staff_member:
        raise WorktimeError(_("Only staff accounts can record working time."))
    if Employee.objects.filter(user=user).exists():
        raise WorktimeError(_("This person records working time already."))
    if Employee.objects.filter(personnel_number=personnel_number).exists():
        raise WorktimeError(_("This personnel number is taken."))
    employee = Employee.objects.create(
        user=user, team=team, time_model=time_model, personnel_number=personnel_number,
        starts_on=starts_on, opening_balance_minutes=opening_balance_minutes)
    record("worktime.employee_enrolled", actor=actor, target=employee,
           data={"personnel_number": personnel_number, "team": team.pk,
                 "time_model": time_model.pk})
    return employee


@guarded_by(may_configure)
@transaction.atomic
def change_employment(*, actor, employee: Employee, team: Team, time_model: TimeModel) -> Employee:
    employee.team, employee.time_model = team, time_model
    employee.save(update_fields=["team", "time_model"])
    record("worktime.employment_changed", actor=actor, target=employee,
           data={"team": team.pk, "time_model": time_model.pk})
    return employee


# --- Months -----------------------------------------------------------------------------

@unguarded("date arithmetic")
def month_of(day: date) -> date:
    return day.replace(day=1)


@unguarded("date arithmetic")
def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@unguarded("date arithmetic")
def local_day(moment: datetime) -> date:
    return moment.astimezone(rules.local_zone()).date()


@unguarded("reads a closing state for the guarded services and the owner's pages")
def is_closed(employee: Employee, day: date) -> bool:
    """The month of `day` is closed (or confirmed by the employee and waiting for the
    team lead): its entries change only by an approved correction."""
    return MonthClosing.objects.filter(
        employee=employee, month=month_of(day),
        state__in=(ClosingState.CONFIRMED, ClosingState.CLOSED)).exists()


# --- Clocking in and out ----------------------------------------------------------------

def _moment(at: datetime | None, *, offline: bool) -> datetime:
    now = timezone.now()
    if at is None or not offline:
        return now
    if at > now + CLOCK_SKEW:
        raise WorktimeError(_("The time sent lies in the future. Please check the phone's clock."))
    if at < now - OFFLINE_MAX_AGE:
        raise WorktimeError(_("The time sent is more than seven days old. Please enter it "
                              "as a correction with a reason."))
    return min(at, now)


def _keep_revision(entry: Entry, *, actor, reason: str = "") -> None:
    EntryRevision.objects.create(
        entry=entry, version=entry.version, started_at=entry.started_at,
        ended_at=entry.ended_at, place=entry.place, removed=entry.removed,
        reason=reason, changed_by=actor)


@guarded_by(is_the_employee)
@transaction.atomic
def clock_in(*, actor, employee: Employee, client_id: uuid.UUID, place: str = Place.OFFICE,
             at: datetime | None = None, offline: bool = False) -> tuple[Entry, bool]:
    """Start a stretch of work. Sending the same `client_id` again (a queued event
    resent) returns the entry it made, and False."""
    existing = Entry.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _own(existing, employee), False
    started = _moment(at, offline=offline)
    if is_closed(employee, local_day(started)):
        raise WorktimeError(_("This month is closed. Please request a correction."))
    if Entry.objects.select_for_update().filter(employee=employee, ended_at=None,
                                                removed=False).exists():
        raise WorktimeError(_("You are clocked in already. Clock out first."))
    if Entry.objects.filter(employee=employee, removed=False, started_at__lte=started,
                            ended_at__gt=started).exists():
        raise WorktimeError(_("This time lies within work already recorded."))
    entry = Entry.objects.create(
        employee=employee, started_at=started, place=place, client_id=client_id,
        source=Source.OFFLINE if offline else Source.WEB)
    _keep_revision(entry, actor=actor)
    record("worktime.clocked_in", actor=actor, target=entry,
           data={"employee": employee.personnel_number, "offline": offline})
    return entry, True


@guarded_by(is_the_employee)
@transaction.atomic
def clock_out(*, actor, employee: Employee, client_id: uuid.UUID, at: datetime | None = None,
              offline: bool = False) -> tuple[Entry, bool]:
    """End the open stretch of work; a resent `client_id` returns it, and False."""
    existing = Entry.objects.filter(end_client_id=client_id).first()
    if existing is not None:
        return _own(existing, employee), False
    entry = (Entry.objects.select_for_update()
             .filter(employee=employee, ended_at=None, removed=False).first())
    if entry is None:
        raise WorktimeError(_("You are not clocked in."))
    ended = _moment(at, offline=offline)
    if ended <= entry.started_at:
        raise WorktimeError(_("Clocking out must come after clocking in."))
    entry.ended_at, entry.end_client_id = ended, client_id
    entry.version += 1
    entry.save(update_fields=["ended_at", "end_client_id", "version"])
    _keep_revision(entry, actor=actor)
    record("worktime.clocked_out", actor=actor, target=entry,
           data={"employee": employee.personnel_number, "offline": offline})
    _recompute_around(employee, entry.started_at, ended)
    return entry, True


def _own(entry: Entry, employee: Employee) -> Entry:
    if entry.employee_id != employee.pk:  # someone else's id: not theirs to know about
        raise WorktimeError(_("This entry could not be saved. Please try again."))
    return entry


def _recompute_around(employee: Employee, start: datetime, end: datetime) -> None:
    # The day before too: a shift across midnight belongs to the day it began.
    recompute_days(employee, local_day(start) - timedelta(days=1), local_day(end))


# --- Entries afterwards, and corrections ------------------------------------------------

def _check_times(employee: Employee, started: datetime, ended: datetime,
                 *, ignore: Entry | None = None) -> None:
    if ended <= started:
        raise WorktimeError(_("The end must come after the start."))
    if ended - started > timedelta(hours=24):
        raise WorktimeError(_("An entry cannot be longer than 24 hours."))
    if ended > timezone.now() + CLOCK_SKEW:
        raise WorktimeError(_("Working time cannot be entered in advance."))
    overlapping = Entry.objects.filter(employee=employee, removed=False,
                                       started_at__lt=ended).exclude(ended_at__lte=started)
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore.pk)
    if overlapping.exists():
        raise WorktimeError(_("This time overlaps another entry."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorktimeError(_("Please give a reason for the change."))
    return reason[:300]


@guarded_by(is_the_employee)
@transaction.atomic
def add_entry(*, actor, employee: Employee, started_at: datetime, ended_at: datetime,
              place: str, reason: str) -> Entry | Correction:
    """Enter forgotten work afterwards. In a closed month it becomes a correction that
    waits for the team lead."""
    reason = _reason(reason)
    _check_times(employee, started_at, ended_at)
    if is_closed(employee, local_day(started_at)):
        return _request_correction(actor, employee, None, started_at, ended_at, place,
                                   reason, remove=False)
    entry = Entry.objects.create(employee=employee, started_at=started_at, ended_at=ended_at,
                                 place=place, source=Source.CORRECTION)
    _keep_revision(entry, actor=actor, reason=reason)
    record("worktime.entry_added", actor=actor, target=entry,
           data={"employee": employee.personnel_number})
    _recompute_around(employee, started_at, ended_at)
    return entry


@guarded_by(may_change_entry)
@transaction.atomic
def change_entry(*, actor, entry: Entry, started_at: datetime, ended_at: datetime, place: str,
                 reason: str) -> Entry | Correction:
    reason = _reason(reason)
    employee = entry.employee
    _check_times(employee, started_at, ended_at, ignore=entry)
    if any(is_closed(employee, local_day(moment)) for moment in (entry.started_at, started_at)):
        return _request_correction(actor, employee, entry, started_at, ended_at, place,
                                   reason, remove=False)
    return _apply_change(entry, actor=actor, started_at=started_at, ended_at=ended_at,
                         place=place, removed=False, reason=reason)


@guarded_by(may_change_entry)
@transaction.atomic
def remove_entry(*, actor, entry: Entry, reason: str) -> Entry | Correction:
    reason = _reason(reason)
    if entry.ended_at is None:
        raise WorktimeError(_("Clock out first; then the entry can be removed."))
    if is_closed(entry.employee, local_day(entry.started_at)):
        return _request_correction(actor, entry.employee, entry, entry.started_at,
                                   entry.ended_at, entry.place, reason, remove=True)
    return _apply_change(entry, actor=actor, started_at=entry.started_at,
                         ended_at=entry.ended_at, place=entry.place, removed=True, reason=reason)


def _apply_change(entry: Entry, *, actor, started_at, ended_at, place, removed, reason) -> Entry:
    before = (entry.started_at, entry.ended_at or entry.started_at)
    entry.started_at, entry.ended_at = started_at, ended_at
    entry.place, entry.removed = place, removed
    entry.version += 1
    entry.save(update_fields=["started_at", "ended_at", "place", "removed", "version"])
    _keep_revision(entry, actor=actor, reason=reason)
    record("worktime.entry_removed" if removed else "worktime.entry_changed", actor=actor,
           target=entry, data={"employee": entry.employee.personnel_number,
                               "version": entry.version})
    _recompute_around(entry.employee, min(before[0], started_at), max(before[1], ended_at))
    return entry


def _request_correction(actor, employee, entry, started_at, ended_at, place, reason, *,
                        remove: bool) -> Correction:
    correction = Correction.objects.create(
        employee=employee, entry=entry, started_at=started_at, ended_at=ended_at,
        place=place, remove=remove, reason=reason)
    record("worktime.correction_requested", actor=actor, target=correction,
           data={"employee": employee.personnel_number})
    return correction


@guarded_by(may_decide_correction)
@transaction.atomic
def decide_correction(*, actor, correction: Correction, approve: bool) -> Correction:
    """The team lead approves (the change is made, the month's sheet written again) or
    declines a correction of a closed month."""
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.state != Decision.REQUESTED:
        raise WorktimeError(_("This correction has been decided already."))
    if approve:
        employee = correction.employee
        if correction.entry is None:
            _check_times(employee, correction.started_at, correction.ended_at)
            entry = Entry.objects.create(employee=employee, started_at=correction.started_at,
                                         ended_at=correction.ended_at, place=correction.place,
                                         source=Source.CORRECTION)
            _keep_revision(entry, actor=actor, reason=correction.reason)
            _recompute_around(employee, entry.started_at, entry.ended_at)
        else:
            if not correction.remove:
                _check_times(employee, correction.started_at, correction.ended_at,
                             ignore=correction.entry)
            entry = _apply_change(correction.entry, actor=actor,
                                  started_at=correction.started_at,
                                  ended_at=correction.ended_at, place=correction.place,
                                  removed=correction.remove, reason=correction.reason)
        _rewrite_closed_months(employee, {local_day(correction.started_at),
                                          local_day(entry.started_at)})
    correction.state = Decision.APPROVED if approve else Decision.DECLINED
    correction.decided_by, correction.decided_at = actor, timezone.now()
    correction.save(update_fields=["state", "decided_by", "decided_at"])
    record("worktime.correction_decided", actor=actor, target=correction,
           data={"employee": correction.employee.personnel_number, "approved": approve})
    return correction


# --- The daily figures ------------------------------------------------------------------

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


# --- Absences and the leave account -----------------------------------------------------

@unguarded("date arithmetic over the model and days off")
def absence_days(employee: Employee, first: date, last: date) -> list[date]:
    """The working days an absence from `first` to `last` takes."""
    return rules.working_days(first, last, employee.time_model.daily_minutes,
                              holidays(first, last))


@unguarded("a building block of the guarded services and of pages that check the reader")
def leave_account(employee: Employee, year: int) -> LeaveAccount:
    """The year's leave account, opened on first use with the model's entitlement and
    the days left over from the year before."""
    account = LeaveAccount.objects.filter(employee=employee, year=year).first()
    if account is not None:
        return account
    settings = agreement()
    carried = Decimal(0)
    if LeaveAccount.objects.filter(employee=employee, year=year - 1).exists():
        left = leave_status(employee, year - 1, on=date(year - 1, 12, 31)).remaining
        carried = max(Decimal(0), left)
    account, _created = LeaveAccount.objects.get_or_create(
        employee=employee, year=year, defaults={
            "entitlement_days": rules.entitlement(settings.leave_days_full_time,
                                                  employee.time_model.working_days),
            "carried_over_days": carried,
            "carry_over_expires": date(year, settings.carry_over_month, settings.carry_over_day),
        })
    return account


@unguarded("reads for leave_status, whose callers check the reader")
def leave_days_of(employee: Employee, year: int, *, states=(Decision.APPROVED,)) -> list[date]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = []
    for absence in Absence.objects.filter(employee=employee, kind=AbsenceKind.LEAVE,
                                          state__in=states, first_day__lte=last,
                                          last_day__gte=first):
        days += absence_days(employee, max(absence.first_day, first), min(absence.last_day, last))
    return days


@unguarded("arithmetic for the pages of the account's owner or lead, who are checked there")
def leave_status(employee: Employee, year: int, *, on: date | None = None) -> rules.LeaveStatus:
    account = leave_account(employee, year)
    return rules.leave_status(
        entitlement=account.entitlement_days, carried_over=account.carried_over_days,
        carry_over_expires=account.carry_over_expires,
        leave_days=leave_days_of(employee, year), today=on or timezone.localdate())


@guarded_by(may_record_absence)
@transaction.atomic
def request_absence(*, actor, employee: Employee, kind: str, first_day: date,
                    last_day: date) -> Absence:
    """Request leave, a flexitime day or training (decided by the team lead), or
    record sickness (in force at once; there is no field for a diagnosis)."""
    if last_day < first_day:
        raise WorktimeError(_("The last day must not be before the first."))
    if (last_day - first_day).days > 366:
        raise WorktimeError(_("An absence can be at most a year long."))
    if kind != AbsenceKind.SICKNESS and not is_the_employee(actor, employee=employee):
        raise WorktimeError(_("Only the employee can request this."))
    if first_day < employee.starts_on:
        raise WorktimeError(_("Working time is recorded from %(day)s only.")
                            % {"day": employee.starts_on.strftime("%d.%m.%Y")})
    if Absence.objects.filter(employee=employee, state__in=(Decision.REQUESTED, Decision.APPROVED),
                              first_day__lte=last_day, last_day__gte=first_day).exists():
        raise WorktimeError(_("There is already an absence on these days."))
    days = absence_days(employee, first_day, last_day)
    if not days:
        raise WorktimeError(_("These days are no working days."))
    if kind == AbsenceKind.LEAVE:
        for year in sorted({day.year for day in days}):
            wanted = sum(1 for day in days if day.year == year)
            left = leave_status(employee, year).remaining - _requested_leave(employee, year)
            if wanted > left:
                raise WorktimeError(_(
                    "Not enough leave left in %(year)s: %(left)s days left, %(wanted)s asked for.")
                    % {"year": year, "left": _days(left), "wanted": wanted})
    state = Decision.APPROVED if kind == AbsenceKind.SICKNESS else Decision.REQUESTED
    absence = Absence.objects.create(employee=employee, kind=kind, first_day=first_day,
                                     last_day=last_day, days=Decimal(len(days)), state=state)
    if state == Decision.APPROVED:
        absence.decided_by, absence.decided_at = actor, timezone.now()
        absence.save(update_fields=["decided_by", "decided_at"])
        recompute_days(employee, first_day, last_day)
    action = ("worktime.absence_recorded" if state == Decision.APPROVED
              else "worktime.absence_requested")
    record(action, actor=actor, target=absence,
           data={"employee": employee.personnel_number, "kind": kind, "days": len(days)})
    return absence


def _requested_leave(employee: Employee, year: int) -> int:
    return len(leave_days_of(employee, year, states=(Decision.REQUESTED,)))


def _days(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


@guarded_by(may_decide_absence)
@transaction.atomic
def decide_absence(*, actor, absence: Absence, approve: bool, reason: str = "") -> Absence:
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.state != Decision.REQUESTED:
        raise WorktimeError(_("This request has been decided already."))
    if not approve and not reason.strip():
        raise WorktimeError(_("Please say why the request is declined."))
    absence.state = Decision.APPROVED if approve else Decision.DECLINED
    absence.decided_by, absence.decided_at = actor, timezone.now()
    absence.decline_reason = "" if approve else reason.strip()[:300]
    absence.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    if approve:
        recompute_days(absence.employee, absence.first_day, absence.last_day)
    record("worktime.absence_decided", actor=actor, target=absence,
           data={"employee": absence.employee.personnel_number, "approved": approve})
    return absence


@guarded_by(may_withdraw_absence)
@transaction.atomic
def withdraw_absence(*, actor, absence: Absence) -> Absence:
    """The employee withdraws a request, or approved leave that has not begun."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    started = absence.first_day <= timezone.localdate()
    if absence.state not in (Decision.REQUESTED, Decision.APPROVED) or (
            absence.state == Decision.APPROVED and started):
        raise WorktimeError(_("This absence can no longer be withdrawn."))
    absence.state = Decision.CANCELLED
    absence.save(update_fields=["state"])
    recompute_days(absence.employee, absence.first_day, absence.last_day)
    record("worktime.absence_withdrawn", actor=actor, target=absence,
           data={"employee": absence.employee.personnel_number})
    return absence


# --- Closing a month --------------------------------------------------------------------

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


@unguarded("reads for pages that check the reader first")
def balance_until(employee: Employee, day: date) -> int:
    """The flexitime balance at the end of `day`: the opening balance and every day's
    difference so far (one indexed sum)."""
    total = (DayBalance.objects.filter(employee=employee, day__lte=day)
             .aggregate(s=Sum("delta"))["s"])
    return employee.opening_balance_minutes + (total or 0)


def _rewrite_closed_months(employee: Employee, days: set[date]) -> None:
    for closing in MonthClosing.objects.filter(employee=employee, state=ClosingState.CLOSED,
                                               month__in={month_of(d) for d in days}):
        closing.totals = month_totals(employee, closing.month)
        closing.save(update_fields=["totals"])
        _enqueue_sheet(closing)


def _enqueue_sheet(closing: MonthClosing) -> None:
    from .tasks import write_sheet  # the task module imports these services

    transaction.on_commit(lambda: write_sheet.enqueue(
        authority_id=closing.authority_id, closing_id=closing.pk))
