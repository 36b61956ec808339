"""The team lead's pages: the team's members by name with their figures, requests,
the calendar, and a member's month without clock times (with them only while the
month is in dispute); closing a month; sickness recorded by the lead. Every look is
in the member's access log."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.urls import reverse
from django.utils import timezone, translation

from rathaus.audit.models import AccessLogEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import absences, recording
from rathaus.worktime.closing import close_month, confirm_month
from rathaus.worktime.models import (
    Absence,
    AbsenceKind,
    ClosingState,
    Correction,
    Decision,
    Entry,
    MonthClosing,
)

from .conftest import at, last_month, record_day, working_days_of
from .test_absence_pages import client_of, messages_of

pytestmark = pytest.mark.django_db

CLOCK_TIMES = ("07:13", "11:47", "12:29", "16:41")


def member_url(staff, user, month):
    employee = staff.employee(user)
    return reverse("worktime:team_member", kwargs={
        "team_id": employee.team_id, "employee_id": employee.pk, "year": month.year,
        "month": month.month})


def worked_day(staff, user=None):
    """A working day of last month with entries at odd clock times."""
    month = last_month()
    day = working_days_of(month, staff.full_time.daily_minutes)[2]
    record_day(staff, user or staff.emil, day, CLOCK_TIMES[:2], CLOCK_TIMES[2:])
    return month, day


def confirm(staff, user, month):
    with authority_context(staff.authority):
        return confirm_month(actor=user, employee=staff.employee(user), month=month)


def accesses(staff, user) -> list[str]:
    with authority_context(staff.authority):
        return list(AccessLogEntry.objects.filter(citizen=user).values_list("what", flat=True))


def test_the_lead_sees_the_teams_led_and_others_none(staff):
    response = client_of(staff, staff.lead_a).get(reverse("worktime:teams"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("worktime:team", args=[staff.team_a.pk]) in html
    assert reverse("worktime:team", args=[staff.team_b.pk]) not in html
    assert client_of(staff, staff.emil).get(reverse("worktime:teams")).status_code == 404


def test_the_team_lists_its_members_by_name_and_logs_each_look(staff):
    # Paula Teil has the higher balance, Emil Eins comes first all the same.
    record_day(staff, staff.paula, last_month() + timedelta(days=1), ("06:00", "11:00"))
    response = client_of(staff, staff.lead_a).get(reverse("worktime:team",
                                                          args=[staff.team_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    members = re.findall(r'data-member="(\d+)"', html)
    assert members == [str(staff.employee(staff.emil).pk), str(staff.employee(staff.paula).pk)]
    assert len(accesses(staff, staff.emil)) == 1
    assert len(accesses(staff, staff.paula)) == 1
    assert not accesses(staff, staff.olga)


def test_the_members_month_shows_figures_without_clock_times(staff):
    month, day = worked_day(staff)
    response = client_of(staff, staff.lead_a).get(member_url(staff, staff.emil, month))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-day="{day.isoformat()}"' in html
    assert "8:46" in html  # the day's work as a figure
    for clock in CLOCK_TIMES:
        assert clock not in html
    assert "data-clock-times" not in html
    assert len(accesses(staff, staff.emil)) == 1


def test_a_disputed_month_shows_its_clock_times_and_each_look_is_logged(staff):
    month, _day = worked_day(staff)
    confirm(staff, staff.emil, month)
    lead = client_of(staff, staff.lead_a)
    url = member_url(staff, staff.emil, month)
    html = lead.get(url).content.decode()
    assert "07:13" not in html
    dispute = reverse("worktime:team_month_dispute", kwargs={
        "team_id": staff.team_a.pk, "employee_id": staff.employee(staff.emil).pk,
        "year": month.year, "month": month.month})
    assert dispute in html
    assert lead.post(dispute, {"reason": ""}).status_code == 400
    response = lead.post(dispute, {"reason": "Der 5. fehlt."}, follow=True)
    assert [m.level for m in messages_of(response)] == [constants.SUCCESS]
    html = response.content.decode()
    for clock in CLOCK_TIMES:
        assert clock in html
    with authority_context(staff.authority):
        closing = MonthClosing.objects.get(employee__user=staff.emil, month=month)
    assert closing.state == ClosingState.DISPUTED
    logged = accesses(staff, staff.emil)
    assert len(logged) == 3  # before, the refused form, after
    with translation.override("de"):
        assert len(set(logged)) == 2  # without and with clock times, said differently
    # The month of another member, not in dispute, still shows no clock times.
    html = lead.get(member_url(staff, staff.paula, month)).content.decode()
    assert "data-clock-times" not in html


def test_the_lead_closes_a_confirmed_month(staff):
    month, _day = worked_day(staff)
    lead = client_of(staff, staff.lead_a)
    employee = staff.employee(staff.emil)
    close = reverse("worktime:team_month_close", kwargs={
        "team_id": staff.team_a.pk, "employee_id": employee.pk, "year": month.year,
        "month": month.month})
    assert close not in lead.get(member_url(staff, staff.emil, month)).content.decode()
    assert lead.post(close).status_code == 404  # nothing confirmed: nothing to close
    confirm(staff, staff.emil, month)
    assert close in lead.get(member_url(staff, staff.emil, month)).content.decode()
    response = lead.post(close, follow=True)
    assert [m.level for m in messages_of(response)] == [constants.SUCCESS]
    with authority_context(staff.authority):
        closing = MonthClosing.objects.get(employee=employee, month=month)
    assert closing.state == ClosingState.CLOSED
    assert lead.post(close, follow=True).status_code == 200  # again: a message, no 500


def test_the_calendar_marks_requests_apart_from_approvals_and_says_only_sick(staff):
    emil, paula = staff.employee(staff.emil), staff.employee(staff.paula)
    today = timezone.localdate()
    month = today.replace(day=1)
    days = working_days_of(month, staff.part_time.daily_minutes)
    with authority_context(staff.authority):
        absences.request_absence(actor=staff.emil, employee=emil, kind=AbsenceKind.LEAVE,
                                 first_day=days[0], last_day=days[0])
        absences.request_absence(actor=staff.lead_a, employee=paula,
                                 kind=AbsenceKind.SICKNESS, first_day=days[1],
                                 last_day=days[1])
    response = client_of(staff, staff.lead_a).get(reverse(
        "worktime:team_calendar", kwargs={"team_id": staff.team_a.pk, "year": month.year,
                                          "month": month.month}))
    assert response.status_code == 200
    html = response.content.decode()
    requested = re.findall(r'worktime-calendar__absence--requested" data-state="requested">'
                           r'([^<]+)<', html)
    approved = re.findall(r'worktime-calendar__absence" data-state="approved">([^<]+)<', html)
    with translation.override("de"):
        from django.utils.translation import gettext

        assert approved == [gettext("absent (sick)")]
        assert requested == [gettext("%(kind)s (requested)") % {"kind": gettext("leave")}]
    assert len(accesses(staff, staff.emil)) == len(accesses(staff, staff.paula)) == 1


def test_the_lead_records_sickness_for_a_member(staff):
    employee = staff.employee(staff.emil)
    today = timezone.localdate()
    url = reverse("worktime:team_member_sickness", kwargs={"team_id": staff.team_a.pk,
                                                           "employee_id": employee.pk})
    response = client_of(staff, staff.lead_a).post(url, {
        "sickness-first_day": (today - timedelta(days=3)).strftime("%d.%m.%Y"),
        "sickness-last_day": today.strftime("%d.%m.%Y")}, follow=True)
    assert response.status_code == 200
    with authority_context(staff.authority):
        absence = Absence.objects.get(employee=employee)
    assert (absence.kind, absence.state, absence.decided_by) == (
        AbsenceKind.SICKNESS, Decision.APPROVED, staff.lead_a)


def test_the_lead_decides_a_correction_of_a_closed_month_seeing_no_clock_time(staff):
    month, day = worked_day(staff)
    confirm(staff, staff.emil, month)
    employee = staff.employee(staff.emil)
    with authority_context(staff.authority):
        close_month(actor=staff.lead_a,
                    closing=MonthClosing.objects.get(employee=employee, month=month))
        recording.add_entry(actor=staff.emil, employee=employee, started_at=at(day, "17:03"),
                            ended_at=at(day, "17:58"), place="office", reason="Vergessen")
        correction = Correction.objects.get(employee=employee)
    lead = client_of(staff, staff.lead_a)
    html = lead.get(reverse("worktime:team", args=[staff.team_a.pk])).content.decode()
    assert f'data-correction="{correction.pk}"' in html
    assert "17:03" not in html and "17:58" not in html
    response = lead.post(reverse("worktime:team_correction_decide",
                                 args=[staff.team_a.pk, correction.pk]),
                         {f"correction-{correction.pk}-decision": "approve"}, follow=True)
    assert [m.level for m in messages_of(response)] == [constants.SUCCESS]
    with authority_context(staff.authority):
        assert Entry.objects.filter(employee=employee, removed=False).count() == 3
        correction.refresh_from_db()
    assert correction.state == Decision.APPROVED
