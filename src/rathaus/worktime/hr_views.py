"""HR's pages (/verwaltung/arbeitszeit/personal/): the closing state of each month per
team, the payroll export, and the settings (agreement, working-time models, local days
off, teams, employees).

HR sees whether a month is open, confirmed, closed or in dispute, never a figure, clock
time or finding; the payroll file carries the totals of the closed months. Each
employee shown or exported is in that person's access log. For everybody who is not in
the HR department the pages are not found. Writes go through the services, which ask
`may_configure` themselves and audit each change."""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import allows
from rathaus.audit.services import record_accesses

from . import configuration, payroll, rules, selectors
from .errors import WorktimeError
from .hr_forms import (
    AgreementForm,
    ClosingsFilterForm,
    EmploymentForm,
    EnrolForm,
    LocalHolidayForm,
    TeamForm,
    TimeModelForm,
)
from .models import ClosingState, Employee, LocalHoliday, MonthClosing, Team, TimeModel
from .permissions import may_configure, may_see_closings
from .sheets import month_name

MONTHS_BACK = 24  # the month chooser offers the last two years


def _hr(request) -> None:
    if not allows(may_see_closings, request.user):
        raise Http404


def _configures(request) -> None:
    if not allows(may_configure, request.user):
        raise Http404


# --- Closings ---------------------------------------------------------------------------

def _month_choices() -> list[tuple[str, str]]:
    month, choices = timezone.localdate().replace(day=1), []
    for _step in range(MONTHS_BACK + 1):
        choices.append((f"{month:%Y-%m}", month_name(month)))
        month = (month - timedelta(days=1)).replace(day=1)
    return choices


def _last_month() -> date:
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


@staff_required
@require_safe
def closings(request):
    """One month, one team: each employee's closing state, with counts per state."""
    _hr(request)
    teams = list(Team.objects.order_by("name"))
    month, team = _last_month(), teams[0] if teams else None
    defaults = {"month": f"{month:%Y-%m}", "team": team.pk if team else ""}
    form = ClosingsFilterForm(defaults | request.GET.dict(), months=_month_choices())
    form.is_valid()  # a field given wrongly is said so; the others still count
    chosen = form.cleaned_data
    month = date.fromisoformat(chosen["month"] + "-01") if chosen.get("month") else month
    team = chosen.get("team") or team
    members = (list(Employee.objects.filter(team=team, starts_on__lte=rules.month_end(month))
                    .select_related("user").order_by("user__last_name", "user__first_name"))
               if team else [])
    states = selectors.closing_states(members, month)
    labels = dict(ClosingState.choices)
    rows = []
    for employee in members:
        state = states[employee.pk]
        rows.append({"employee": employee, "state": state, "state_label": labels[state],
                     "exported": state == ClosingState.CLOSED})
    what = f"Abschlussstand Arbeitszeit {month_name(month)}"
    record_accesses(staff=request.user, accesses=[
        (employee.user, what, employee) for employee in members
        if employee.user_id != request.user.pk])
    export = payroll.payroll_month(month)
    counts = _counts(month)
    return render(request, "worktime/hr_closings.html", {
        "here": "hr", "form": form, "month": month, "month_label": month_name(month),
        "team": team, "rows": rows,
        "counts": [(labels[state], counts.get(state, 0)) for state in ClosingState.values],
        "exported": len(export.closings), "not_exported": len(export.not_closed),
    })


def _counts(month: date) -> dict[str, int]:
    """Per state, the employees recording by the month's end (the open ones have no
    closing yet)."""
    enrolled = Employee.objects.filter(starts_on__lte=rules.month_end(month))
    counted = {}
    for state in MonthClosing.objects.filter(month=month, employee__in=enrolled).values_list(
            "state", flat=True):
        counted[state] = counted.get(state, 0) + 1
    counted[ClosingState.OPEN] = (enrolled.count() - sum(counted.values())
                                  + counted.get(ClosingState.OPEN, 0))
    return counted


@staff_required
@require_safe
def payroll_csv(request, year: int, month: int):
    """The payroll file of a month: the closed months only (docs/worktime.md)."""
    _hr(request)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    chosen = date(year, month, 1)
    export = payroll.payroll_month(chosen)
    what = f"Lohnexport Arbeitszeit {month_name(chosen)}"
    record_accesses(staff=request.user, accesses=[
        (closing.employee.user, what, closing) for closing in export.closings
        if closing.employee.user_id != request.user.pk])
    content = payroll.payroll_csv([payroll.row(closing) for closing in export.closings])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{payroll.filename(chosen)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Settings: the agreement ------------------------------------------------------------

@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings(request):
    _configures(request)
    agreement = configuration.agreement()
    form = AgreementForm(request.POST or None, actor=request.user,
                         initial=AgreementForm.initial_of(agreement))
    if request.method == "POST" and form.is_valid():
        configuration.save_agreement(actor=request.user, values=form.values())
        messages.success(request, _("The agreement is saved."))
        return redirect("worktime:settings")
    return render(request, "worktime/settings.html", {"here": "settings", "form": form,
                                                      "section": "agreement"})


# --- Settings: working-time models ------------------------------------------------------

@staff_required
@require_safe
def settings_models(request):
    _configures(request)
    models = list(TimeModel.objects.order_by("name"))
    return render(request, "worktime/settings_models.html", {
        "here": "settings", "section": "models", "models": [
            {"model": model, "weekly": rules.hours(model.weekly_minutes),
             "days": [rules.hours(minutes) if minutes else "" for minutes in
                      model.daily_minutes]} for model in models]})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_model(request, model_id: int | None = None):
    _configures(request)
    time_model = get_object_or_404(TimeModel, pk=model_id) if model_id else None
    form = TimeModelForm(request.POST or None, time_model=time_model)
    if request.method == "POST" and form.is_valid():
        configuration.save_time_model(actor=request.user, time_model=time_model,
                                      values=form.values())
        messages.success(request, _("The working-time model is saved."))
        return redirect("worktime:settings_models")
    return render(request, "worktime/settings_model.html", {
        "here": "settings", "section": "models", "form": form, "time_model": time_model,
        "in_use": time_model is not None and Employee.objects.filter(
            time_model=time_model).exists()})


# --- Settings: local days off -----------------------------------------------------------

def _year(request) -> int:
    value = request.GET.get("jahr", "")
    year = int(value) if value.isdigit() and len(value) == 4 else timezone.localdate().year
    return min(max(year, 2000), 2100)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_holidays(request):
    _configures(request)
    year = _year(request)
    form = LocalHolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = configuration.add_local_holiday(
                actor=request.user, day=form.cleaned_data["day"],
                name=form.cleaned_data["name"].strip())
        except WorktimeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The day off is added."))
            return redirect(f"{request.path}?jahr={holiday.day.year}")
    return render(request, "worktime/settings_holidays.html", {
        "here": "settings", "section": "holidays", "form": form, "year": year,
        "previous": year - 1, "next": year + 1,
        "public": list(rules.public_holidays(year).items()),
        "local": list(LocalHoliday.objects.filter(day__year=year).order_by("day"))})


@staff_required
@require_POST
def settings_holiday_remove(request, holiday_id: int):
    _configures(request)
    holiday = get_object_or_404(LocalHoliday, pk=holiday_id)
    year = holiday.day.year
    configuration.remove_local_holiday(actor=request.user, holiday=holiday)
    messages.success(request, _("The day off is removed."))
    return redirect(f"{reverse('worktime:settings_holidays')}?jahr={year}")


# --- Settings: teams --------------------------------------------------------------------

@staff_required
@require_safe
def settings_teams(request):
    _configures(request)
    # A team's members are of its authority: counted in the same query as the teams.
    teams = (Team.objects.order_by("name").prefetch_related("leads")
             .annotate(member_count=Count("members")))
    return render(request, "worktime/settings_teams.html", {
        "here": "settings", "section": "teams", "teams": [
            {"team": team, "leads": ", ".join(lead.full_name for lead in team.leads.all()),
             "members": team.member_count} for team in teams]})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_team(request, team_id: int | None = None):
    _configures(request)
    team = get_object_or_404(Team, pk=team_id) if team_id else None
    form = TeamForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        configuration.save_team(actor=request.user, team=team, name=form.cleaned_data["name"],
                                leads=form.cleaned_data["leads"])
        messages.success(request, _("The team is saved."))
        return redirect("worktime:settings_teams")
    return render(request, "worktime/settings_team.html", {
        "here": "settings", "section": "teams", "form": form, "team": team})


# --- Settings: employees ----------------------------------------------------------------

@staff_required
@require_safe
def settings_employees(request):
    """Who records working time: names, personnel numbers, teams and models, no figure."""
    _configures(request)
    employees = (Employee.objects.select_related("user", "team", "time_model")
                 .order_by("user__last_name", "user__first_name"))
    return render(request, "worktime/settings_employees.html", {
        "here": "settings", "section": "employees", "employees": employees})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_employee_add(request):
    _configures(request)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            configuration.enrol_employee(
                actor=request.user, user=data["email"], team=data["team"],
                time_model=data["time_model"], personnel_number=data["personnel_number"],
                starts_on=data["starts_on"], opening_balance_minutes=data["opening_balance"])
        except WorktimeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The employee records working time from now on."))
            return redirect("worktime:settings_employees")
    return render(request, "worktime/settings_employee.html", {
        "here": "settings", "section": "employees", "form": form, "employee": None})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_employee(request, employee_id: int):
    _configures(request)
    employee = get_object_or_404(Employee.objects.select_related("user"), pk=employee_id)
    form = EmploymentForm(request.POST or None, initial={"team": employee.team_id,
                                                         "time_model": employee.time_model_id})
    if request.method == "POST" and form.is_valid():
        configuration.change_employment(actor=request.user, employee=employee,
                                        team=form.cleaned_data["team"],
                                        time_model=form.cleaned_data["time_model"])
        messages.success(request, _("The employment is changed."))
        return redirect("worktime:settings_employees")
    return render(request, "worktime/settings_employee.html", {
        "here": "settings", "section": "employees", "form": form, "employee": employee})
