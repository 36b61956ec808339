"""Changing the authority's working time configuration (the Dienstvereinbarung): the
agreement, the time models, the local days off, the teams and each employee's
employment. Each change is one transaction with its audit entry; only HR
(`may_configure`) makes them."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record

from . import rules
from .errors import WorktimeError
from .models import Agreement, Employee, LocalHoliday, Team, TimeModel
from .permissions import may_configure


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
    # Imported here: the balances read the configuration (agreement, holidays), so
    # balances.py imports this module and a module-level import would be a cycle.
    from .balances import recompute_days

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
