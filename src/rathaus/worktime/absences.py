"""Absences and the leave account: requesting leave, a flexitime day or training,
recording sickness (without a diagnosis), the team lead's decision and the employee's
withdrawal. Each change is one transaction with its audit entry and recomputes the
days it touches; the leave account of a year is opened on first use."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record

from . import rules
from .balances import recompute_days
from .configuration import agreement, holidays, local_days
from .errors import WorktimeError
from .models import Absence, AbsenceKind, Decision, Employee, LeaveAccount
from .permissions import (
    is_the_employee,
    may_decide_absence,
    may_record_absence,
    may_withdraw_absence,
)


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
    if year - 1 >= employee.starts_on.year:
        leave_account(employee, year - 1)  # carry-overs chain from the year recording began
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
    days_off = holidays(first, last)  # the year's, once: not a query per absence
    return _leave_days(Absence.objects.filter(employee=employee, kind=AbsenceKind.LEAVE,
                                              state__in=states, first_day__lte=last,
                                              last_day__gte=first),
                       year, employee.time_model.daily_minutes, days_off)


def _leave_days(leave, year: int, daily_minutes, days_off) -> list[date]:
    """The working days of `year` the absences `leave` take."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = []
    for absence in leave:
        if absence.first_day <= last and absence.last_day >= first:
            days += rules.working_days(max(absence.first_day, first),
                                       min(absence.last_day, last), daily_minutes, days_off)
    return days


@unguarded("arithmetic for leave_status")
def carried_over(employee: Employee, account: LeaveAccount) -> Decimal:
    """The days carried into the account's year: what is left of the year before, read
    as it is now (a request for January opens next year's account early, and leave
    taken in December still counts), or the stored figure of the first year on record
    (entered when recording began, or kept when the retention deleted the year before)."""
    if LeaveAccount.objects.filter(employee=employee, year=account.year - 1).exists():
        year = account.year - 1
        return max(Decimal(0), leave_status(employee, year, on=date(year, 12, 31)).remaining)
    return account.carried_over_days


@unguarded("arithmetic for the pages of the account's owner or lead, who are checked there")
def leave_status(employee: Employee, year: int, *, on: date | None = None) -> rules.LeaveStatus:
    account = leave_account(employee, year)
    return rules.leave_status(
        entitlement=account.entitlement_days, carried_over=carried_over(employee, account),
        carry_over_expires=account.carry_over_expires,
        leave_days=leave_days_of(employee, year), today=on or timezone.localdate())


@unguarded("arithmetic for the team lead's overview, whose view checks the reader")
def leave_statuses(employees, year: int, *, on: date) -> dict[int, rules.LeaveStatus]:
    """`leave_status(employee, year, on=on)` of each of `employees` by their id, in a
    few queries whatever their number: the accounts that `leave_account` would open one
    by one are opened together, with the same figures."""
    employees = list(employees)
    if not employees:
        return {}
    held = defaultdict(dict)
    for account in LeaveAccount.objects.filter(employee__in=employees, year__lte=year):
        held[account.employee_id][account.year] = account
    chains = {employee.pk: _years_read(employee, held[employee.pk], year)
              for employee in employees}
    since = min(chain[0] for chain in chains.values())
    leave = defaultdict(list)
    for absence in Absence.objects.filter(employee__in=employees, kind=AbsenceKind.LEAVE,
                                          state=Decision.APPROVED,
                                          first_day__lte=date(year, 12, 31),
                                          last_day__gte=date(since, 1, 1)):
        leave[absence.employee_id].append(absence)
    local = local_days(date(since, 1, 1), date(year, 12, 31))
    days_off = {each: rules.holidays_between(date(each, 1, 1), date(each, 12, 31), local)
                for each in range(since, year + 1)}
    settings = agreement()
    opened, statuses = [], {}
    for employee in employees:
        accounts = held[employee.pk]
        left_at_end = None  # what the year before left on its 31 December
        for each in chains[employee.pk]:
            carried = None if left_at_end is None else max(Decimal(0), left_at_end)
            account = accounts.get(each)
            if account is None:  # as leave_account opens it
                account = LeaveAccount(
                    employee=employee, year=each,
                    entitlement_days=rules.entitlement(settings.leave_days_full_time,
                                                       employee.time_model.working_days),
                    carried_over_days=carried if carried is not None else Decimal(0),
                    carry_over_expires=date(each, settings.carry_over_month,
                                            settings.carry_over_day))
                opened.append(account)
            status = rules.leave_status(
                entitlement=account.entitlement_days,
                carried_over=carried if carried is not None else account.carried_over_days,
                carry_over_expires=account.carry_over_expires,
                leave_days=_leave_days(leave[employee.pk], each,
                                       employee.time_model.daily_minutes, days_off[each]),
                today=on if each == year else date(each, 12, 31))
            left_at_end = status.remaining
        statuses[employee.pk] = status
    if opened:
        LeaveAccount.objects.bulk_create(opened, ignore_conflicts=True)
    return statuses


def _years_read(employee: Employee, held: dict, year: int) -> list[int]:
    """The years whose accounts `leave_status(employee, year)` reads, in order: back
    from `year` as long as the year before has an account (`carried_over`), the ones
    `leave_account` opens (back to the year recording began) included."""
    years, each = set(held), year
    while each not in years:
        years.add(each)
        if each - 1 < employee.starts_on.year:
            break
        each -= 1
    chain = [year]
    while chain[-1] - 1 in years:
        chain.append(chain[-1] - 1)
    return chain[::-1]


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
