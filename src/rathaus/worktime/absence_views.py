"""The employee's absences page (/verwaltung/arbeitszeit/abwesenheiten/): the leave
account of this year (and of next year once it has leave), the flexitime balance, the
absences with their decisions, a request form and the sickness report.

Only the employee themself reaches these pages: a staff member who records no time
finds nothing (404), and an absence of someone else is not found either."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted

from . import balances, selectors
from .absence_forms import AbsenceRequestForm, SicknessForm
from .absences import leave_account, leave_days_of, leave_status, request_absence, withdraw_absence
from .errors import WorktimeError
from .models import Absence, AbsenceKind, Decision, LeaveAccount


@dataclass
class LeaveYear:
    """One year of the leave account as the page shows it."""

    year: int
    status: object  # rules.LeaveStatus
    account: LeaveAccount
    requested: int  # leave days requested and not yet decided

    @property
    def carry_over_lapsed(self) -> bool:
        return self.status.lapsed > 0


def _employee(request):
    employee = selectors.employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


def leave_years(employee, today: date) -> list[LeaveYear]:
    """This year, and next year once leave is requested or approved in it."""
    years = [today.year]
    following = today.year + 1
    if (LeaveAccount.objects.filter(employee=employee, year=following).exists()
            or Absence.objects.filter(employee=employee, kind=AbsenceKind.LEAVE,
                                      state__in=(Decision.REQUESTED, Decision.APPROVED),
                                      last_day__gte=date(following, 1, 1)).exists()):
        years.append(following)
    return [LeaveYear(year=year, status=leave_status(employee, year, on=today),
                      account=leave_account(employee, year),
                      requested=len(leave_days_of(employee, year,
                                                  states=(Decision.REQUESTED,))))
            for year in years]


def may_withdraw(absence: Absence, today: date) -> bool:
    """As `withdraw_absence` allows: a request, or an approval not begun."""
    return (absence.state == Decision.REQUESTED
            or (absence.state == Decision.APPROVED and absence.first_day > today))


def _page(request, employee, *, request_form=None, sickness_form=None, status=200):
    today = timezone.localdate()
    absences = list(Absence.objects.filter(employee=employee,
                                           last_day__gte=date(today.year, 1, 1))
                    .order_by("first_day", "pk"))
    for absence in absences:
        absence.may_withdraw = may_withdraw(absence, today)
    return render(request, "worktime/absences.html", {
        "here": "absences",
        "employee": employee,
        "today": today,
        "leave_years": leave_years(employee, today),
        "balance": balances.balance_until(employee, today - timedelta(days=1)),
        "yesterday": today - timedelta(days=1),
        "absences": absences,
        "request_form": request_form or AbsenceRequestForm(),
        "sickness_form": sickness_form or SicknessForm(),
    }, status=status)


@staff_required
@require_safe
def absences(request):
    return _page(request, _employee(request))


@staff_required
@require_POST
def absence_request(request):
    employee = _employee(request)
    sickness = any(name.startswith(f"{SicknessForm.prefix}-") for name in request.POST)
    form = SicknessForm(request.POST) if sickness else AbsenceRequestForm(request.POST)
    if not form.is_valid():
        forms = {"sickness_form" if sickness else "request_form": form}
        return _page(request, employee, status=400, **forms)
    kind = AbsenceKind.SICKNESS if sickness else form.cleaned_data["kind"]
    try:
        absence = request_absence(
            actor=request.user, employee=employee, kind=kind,
            first_day=form.cleaned_data["first_day"], last_day=form.cleaned_data["last_day"])
    except WorktimeError as refused:
        messages.error(request, refused.message)
        return redirect("worktime:absences")
    except NotPermitted as refused:
        raise Http404 from refused
    messages.success(request, _requested_message(absence))
    return redirect("worktime:absences")


def _requested_message(absence: Absence) -> str:
    values = {"first": absence.first_day.strftime("%d.%m.%Y"),
              "last": absence.last_day.strftime("%d.%m.%Y"),
              "days": _days(absence.days)}
    if absence.kind == AbsenceKind.SICKNESS:
        return _("Sickness from %(first)s to %(last)s is recorded (%(days)s working days). "
                 "Get well soon!") % values
    return _("Your request from %(first)s to %(last)s (%(days)s working days) has been "
             "sent to your team lead.") % values


def _days(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


@staff_required
@require_POST
def absence_withdraw(request, absence_id: int):
    employee = _employee(request)
    absence = Absence.objects.filter(pk=absence_id, employee=employee).first()
    if absence is None:
        raise Http404
    try:
        withdraw_absence(actor=request.user, absence=absence)
    except WorktimeError as refused:
        messages.error(request, refused.message)
    except NotPermitted as refused:
        raise Http404 from refused
    else:
        messages.success(request, _("The absence from %(first)s to %(last)s is withdrawn.") % {
            "first": absence.first_day.strftime("%d.%m.%Y"),
            "last": absence.last_day.strftime("%d.%m.%Y")})
    return redirect("worktime:absences")
