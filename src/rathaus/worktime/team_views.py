"""The team lead's pages (/verwaltung/arbeitszeit/team/): the teams they lead, a team's
members with their figures (by name, never ordered by a figure: no ranking), the
requests waiting, the team's calendar, and a member's month without clock times
(with them only while that month is in dispute), where the lead closes the month or
says what needs clarifying, and records sickness phoned in.

A team the person does not lead, or an employee not in that team, is not found (404).
Every look at a member's records is in that member's access log."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.audit.services import record_access, record_accesses

from . import absences, balances, closing, configuration, recording, rules, selectors
from .absence_forms import SicknessForm
from .errors import WorktimeError
from .models import (
    Absence,
    AbsenceKind,
    ClosingState,
    Correction,
    Decision,
    Employee,
    MonthClosing,
    Team,
)
from .permissions import may_lead, may_read_clock_times
from .team_forms import DecisionForm, DisputeForm

FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- Looking things up: what the lead may not see is not found ----------------------------

def _team(request, team_id: int) -> Team:
    # With its leads: whether the lead leads each member shown is then no query each.
    team = Team.objects.filter(pk=team_id, leads=request.user).prefetch_related("leads").first()
    if team is None:
        raise Http404
    return team


def _member(request, team: Team, employee_id: int) -> Employee:
    member = (Employee.objects.select_related("user", "time_model", "team")
              .filter(pk=employee_id, team=team).first())
    if member is None or not allows(may_lead, request.user, employee=member):
        raise Http404
    return member


def _led_request(request, model, team: Team, pk: int):
    """An absence or a correction (`model`) of a member the lead leads in `team`."""
    found = (model.objects.select_related("employee__user", "employee__team")
             .filter(pk=pk, employee__team=team).first())
    if found is None or not allows(may_lead, request.user, employee=found.employee):
        raise Http404
    return found


def _month(year: int, month: int) -> date:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    return date(year, month, 1)


def _members(request, team: Team) -> list[Employee]:
    """The members the lead leads (not the lead themself), by name."""
    members = selectors.team_members(team)
    for member in members:
        member.team = team  # fetched with its leads
    return [member for member in members if allows(may_lead, request.user, employee=member)]


def _in_team(requests: list, team: Team) -> list:
    """Absences or corrections of the team's members, each member's team the one fetched
    with its leads."""
    for found in requests:
        found.employee.team = team
    return requests


def _previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _next_month(month: date) -> date:
    return rules.month_end(month) + timedelta(days=1)


def _month_name(month: date) -> str:
    return month.strftime("%m/%Y")


def _done(request, act, success: str) -> bool:
    """Call `act` (a service); tell the lead its German refusal, or `success`. What the
    lead may not do is not found."""
    try:
        act()
    except WorktimeError as refused:
        messages.error(request, refused.message)
        return False
    except NotPermitted as refused:
        raise Http404 from refused
    messages.success(request, success)
    return True


# --- The teams and a team's overview ---------------------------------------------------

@staff_required
@require_safe
def teams(request):
    led = list(Team.objects.filter(leads=request.user).order_by("name"))
    if not led:
        raise Http404
    waiting = {team.pk: sum(len(found) for found in selectors.pending_requests(team).values())
               for team in led}
    return render(request, "worktime/team_list.html", {
        "here": "team", "teams": [(team, waiting[team.pk]) for team in led],
        "month": timezone.localdate().replace(day=1)})


@dataclass
class MemberRow:
    member: Employee
    balance: int
    leave_remaining: object
    findings: int
    last_closing: str  # a ClosingState value
    last_closing_label: str


def _member_rows(members: list[Employee], today: date) -> list[MemberRow]:
    """Each member's figures, for all of them at once: a fixed number of queries
    however large the team."""
    last_month = _previous_month(today.replace(day=1))
    states = selectors.closing_states(members, last_month)
    balance = balances.balances_until(members, today - timedelta(days=1))
    leave = absences.leave_statuses(members, today.year, on=today)
    findings = selectors.month_findings(members, today)
    labels = dict(ClosingState.choices)
    rows = []
    for member in members:
        state = states[member.pk]
        rows.append(MemberRow(
            member=member, balance=balance[member.pk],
            leave_remaining=leave[member.pk].remaining, findings=len(findings[member.pk]),
            last_closing=state, last_closing_label=labels[state]))
    return rows


def _correction_rows(corrections: list[Correction]) -> list[dict]:
    """A correction as the lead sees it: the day, how long, where, why; no clock time."""
    rows = []
    for correction in corrections:
        entry = correction.entry
        rows.append({
            "correction": correction,
            "day": rules.local_day(correction.started_at),
            "minutes": rules.minutes(correction.ended_at - correction.started_at),
            "before": (rules.minutes(entry.ended_at - entry.started_at)
                       if entry is not None and entry.ended_at else None),
            "change": ("remove" if correction.remove else "add" if entry is None else "change"),
            "form": DecisionForm(prefix=f"correction-{correction.pk}"),
        })
    return rows


@staff_required
@require_safe
def team(request, team_id: int):
    team = _team(request, team_id)
    today = timezone.localdate()
    members = _members(request, team)
    what = _("Team overview: balance, leave, findings and month closing")
    record_accesses(staff=request.user,
                    accesses=[(member.user, what, member) for member in members])
    pending = selectors.pending_requests(team)
    requested = [(absence, DecisionForm(prefix=f"absence-{absence.pk}"))
                 for absence in _in_team(pending["absences"], team)
                 if allows(may_lead, request.user, employee=absence.employee)]
    corrections = [row for row in _correction_rows(_in_team(pending["corrections"], team))
                   if allows(may_lead, request.user, employee=row["correction"].employee)]
    last_month = _previous_month(today.replace(day=1))
    return render(request, "worktime/team_overview.html", {
        "here": "team", "team": team, "rows": _member_rows(members, today),
        "absences": requested, "corrections": corrections, "today": today,
        "yesterday": today - timedelta(days=1), "month": today.replace(day=1),
        "last_month": last_month})


# --- Deciding requests --------------------------------------------------------------------

@staff_required
@require_POST
def decide_absence(request, team_id: int, absence_id: int):
    team = _team(request, team_id)
    absence = _led_request(request, Absence, team, absence_id)
    form = DecisionForm(request.POST, prefix=f"absence-{absence.pk}")
    if not form.is_valid():
        messages.error(request, _("Please approve or decline, and say why when declining."))
        return redirect("worktime:team", team_id=team.pk)
    values = {"name": absence.employee.user.full_name,
              "first": absence.first_day.strftime("%d.%m.%Y"),
              "last": absence.last_day.strftime("%d.%m.%Y")}
    _done(request,
          lambda: absences.decide_absence(actor=request.user, absence=absence,
                                          approve=form.approve,
                                          reason=form.cleaned_data["reason"]),
          (_("Approved: %(name)s, %(first)s to %(last)s.") if form.approve else
           _("Declined: %(name)s, %(first)s to %(last)s.")) % values)
    return redirect("worktime:team", team_id=team.pk)


@staff_required
@require_POST
def decide_correction(request, team_id: int, correction_id: int):
    team = _team(request, team_id)
    correction = _led_request(request, Correction, team, correction_id)
    form = DecisionForm(request.POST, prefix=f"correction-{correction.pk}")
    if not form.is_valid():
        messages.error(request, _("Please approve or decline the correction."))
        return redirect("worktime:team", team_id=team.pk)
    _done(request,
          lambda: recording.decide_correction(actor=request.user, correction=correction,
                                              approve=form.approve),
          _("The correction is approved.") if form.approve
          else _("The correction is declined."))
    return redirect("worktime:team", team_id=team.pk)


# --- The team's calendar ------------------------------------------------------------------

@dataclass
class CalendarCell:
    absence: Absence | None
    label: str = ""
    requested: bool = False


def _cell(absence: Absence | None) -> CalendarCell:
    if absence is None:
        return CalendarCell(None)
    if absence.kind == AbsenceKind.SICKNESS:
        label = _("absent (sick)")  # the kind is all there is: no diagnosis exists
    else:
        label = absence.get_kind_display()
    requested = absence.state == Decision.REQUESTED
    if requested:
        label = _("%(kind)s (requested)") % {"kind": label}
    return CalendarCell(absence, label, requested)


@staff_required
@require_safe
def team_calendar(request, team_id: int, year: int, month: int):
    team = _team(request, team_id)
    first = _month(year, month)
    last = rules.month_end(first)
    members = _members(request, team)
    shown = {member.pk for member in members}
    shown_absences = [a for a in selectors.team_absences(team, first, last)
                      if a.employee_id in shown]
    what = _("Team calendar %(month)s: absences") % {"month": _month_name(first)}
    record_accesses(staff=request.user,
                    accesses=[(member.user, what, member) for member in members])
    days_off = configuration.holidays(first, last)
    days = []
    for number in range(monthrange(first.year, first.month)[1]):
        day = first + timedelta(days=number)
        cells = [_cell(next((a for a in shown_absences if a.employee_id == member.pk
                             and a.first_day <= day <= a.last_day), None))
                 for member in members]
        days.append({"day": day, "holiday": days_off.get(day, ""),
                     "free": day.weekday() >= 5 or day in days_off, "cells": cells})
    return render(request, "worktime/team_calendar.html", {
        "here": "team", "team": team, "members": members, "days": days, "month": first,
        "previous": _previous_month(first), "next": _next_month(first)})


# --- A member's month ---------------------------------------------------------------------

def _member_page(request, team, member, month, *, dispute_form=None, sickness_form=None,
                 status=200):
    clock_times = allows(may_read_clock_times, request.user, employee=member, month=month)
    view = selectors.month_view(member, month, clock_times=clock_times)
    what = (_("Working time of %(month)s with clock times (month in dispute)") if clock_times
            else _("Working time of %(month)s: figures and findings, no clock times"))
    record_access(staff=request.user, citizen=member.user,
                  what=what % {"month": _month_name(month)}, target=view.closing or member)
    return render(request, "worktime/team_member.html", {
        "here": "team", "team": team, "member": member, "view": view, "month": month,
        "clock_times": clock_times, "state_label": dict(ClosingState.choices)[view.state],
        "confirmed": view.state == ClosingState.CONFIRMED,
        "disputed": view.state == ClosingState.DISPUTED,
        "previous": _previous_month(month), "next": _next_month(month),
        "dispute_form": dispute_form or DisputeForm(),
        "sickness_form": sickness_form or SicknessForm(),
    }, status=status)


@staff_required
@require_safe
def team_member(request, team_id: int, employee_id: int, year: int, month: int):
    team = _team(request, team_id)
    member = _member(request, team, employee_id)
    return _member_page(request, team, member, _month(year, month))


def _member_url(team, member, month) -> str:
    return reverse("worktime:team_member", kwargs={
        "team_id": team.pk, "employee_id": member.pk, "year": month.year,
        "month": month.month})


def _closing(member, month) -> MonthClosing:
    found = MonthClosing.objects.filter(employee=member, month=month).first()
    if found is None:
        raise Http404  # nothing confirmed: nothing to close
    return found


@staff_required
@require_POST
def close_month(request, team_id: int, employee_id: int, year: int, month: int):
    team = _team(request, team_id)
    member = _member(request, team, employee_id)
    first = _month(year, month)
    confirmed = _closing(member, first)
    _done(request, lambda: closing.close_month(actor=request.user, closing=confirmed),
          _("The month %(month)s is closed; the monthly sheet is being written.")
          % {"month": _month_name(first)})
    return redirect(_member_url(team, member, first))


@staff_required
@require_POST
def dispute_month(request, team_id: int, employee_id: int, year: int, month: int):
    team = _team(request, team_id)
    member = _member(request, team, employee_id)
    first = _month(year, month)
    confirmed = _closing(member, first)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _member_page(request, team, member, first, dispute_form=form, status=400)
    _done(request,
          lambda: closing.dispute_month(actor=request.user, closing=confirmed,
                                        reason=form.cleaned_data["reason"]),
          _("The month %(month)s needs clarifying; the employee has been told.")
          % {"month": _month_name(first)})
    return redirect(_member_url(team, member, first))


@staff_required
@require_POST
def record_sickness(request, team_id: int, employee_id: int):
    team = _team(request, team_id)
    member = _member(request, team, employee_id)
    form = SicknessForm(request.POST)
    this_month = timezone.localdate().replace(day=1)
    if not form.is_valid():
        return _member_page(request, team, member, this_month, sickness_form=form, status=400)
    first_day, last_day = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    recorded = _done(
        request,
        lambda: absences.request_absence(actor=request.user, employee=member,
                                         kind=AbsenceKind.SICKNESS, first_day=first_day,
                                         last_day=last_day),
        _("Sickness of %(name)s from %(first)s to %(last)s is recorded.")
        % {"name": member.user.full_name, "first": first_day.strftime("%d.%m.%Y"),
           "last": last_day.strftime("%d.%m.%Y")})
    if not recorded:
        return redirect(_member_url(team, member, this_month))
    return redirect(_member_url(team, member, first_day.replace(day=1)))
