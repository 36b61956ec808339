"""Who sees and does what with working time (docs/worktime.md, "Who sees what").

- An employee: their own records, all of them.
- A team lead (a lead of the employee's team, never of their own records): balances,
  absences and the checks' findings of their team, and decides requests and months;
  the single clock times only of a month in dispute.
- HR (members of the agreement's HR department): the closing state of every month and
  the payroll export, never a clock time; they also keep the configuration.
- Nobody else: no administrator role reaches another person's times.
"""

from rathaus.accounts.permissions import is_person, memberships, rule

from .models import Agreement, ClosingState, Employee, MonthClosing


def is_hr(actor) -> bool:
    if not is_person(actor):
        return False
    agreement = Agreement.objects.filter().first()
    return bool(agreement and agreement.hr_department_id
                and memberships(actor).filter(department_id=agreement.hr_department_id).exists())


def leads(actor, employee: Employee) -> bool:
    """A lead of the employee's team, and not the employee."""
    return (is_person(actor) and actor.pk != employee.user_id
            and _leads_team(actor, employee.team))


def _leads_team(actor, team) -> bool:
    # A team fetched with its leads (a page of its members) answers without a query per
    # member.
    known = getattr(team, "_prefetched_objects_cache", {}).get("leads")
    if known is not None:
        return any(lead.pk == actor.pk for lead in known)
    return team.leads.filter(pk=actor.pk).exists()


@rule("worktime.is_the_employee")
def is_the_employee(actor, *, employee) -> bool:
    """The employee themself."""
    return is_person(actor) and actor.pk == employee.user_id


@rule("worktime.may_lead")
def may_lead(actor, *, employee) -> bool:
    """A lead of the employee's team (decides absences, corrections, months)."""
    return leads(actor, employee)


@rule("worktime.may_read_figures")
def may_read_figures(actor, *, employee) -> bool:
    """The employee or their team lead: balances, absences, the leave account, the
    checks' findings, with no clock time."""
    return is_the_employee(actor, employee=employee) or leads(actor, employee)


@rule("worktime.may_read_clock_times")
def may_read_clock_times(actor, *, employee, month) -> bool:
    """The employee; their team lead only while that month is in dispute."""
    if is_the_employee(actor, employee=employee):
        return True
    return leads(actor, employee) and MonthClosing.objects.filter(
        employee=employee, month=month, state=ClosingState.DISPUTED).exists()


@rule("worktime.is_hr")
def may_see_closings(actor) -> bool:
    """A member of the HR department: closing states and the payroll export."""
    return is_hr(actor)


@rule("worktime.may_configure")
def may_configure(actor) -> bool:
    """A member of the HR department keeps the agreement, models, teams and staff."""
    return is_hr(actor)


@rule("worktime.may_change_entry")
def may_change_entry(actor, *, entry) -> bool:
    """Only the employee changes their entries (after the month's close, by a
    correction their team lead approves)."""
    return is_the_employee(actor, employee=entry.employee)


@rule("worktime.may_decide_correction")
def may_decide_correction(actor, *, correction) -> bool:
    return leads(actor, correction.employee)


@rule("worktime.may_decide_absence")
def may_decide_absence(actor, *, absence) -> bool:
    return leads(actor, absence.employee)


@rule("worktime.may_withdraw_absence")
def may_withdraw_absence(actor, *, absence) -> bool:
    return is_the_employee(actor, employee=absence.employee)


@rule("worktime.may_record_absence")
def may_record_absence(actor, *, employee) -> bool:
    """Requests are the employee's; sickness may also be recorded by the team lead
    (the employee phoned in)."""
    return is_the_employee(actor, employee=employee) or leads(actor, employee)


@rule("worktime.may_close_month")
def may_close_month(actor, *, closing) -> bool:
    return leads(actor, closing.employee)
