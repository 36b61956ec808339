"""Leave through the team lead, in a browser at 360 px: Emil requests leave for two
weeks ahead and for two days of last week on which he recorded nothing; Lea approves
both on her team page; Emil's leave account counts the days (planned and taken) and
his flexitime balance rises by the past days credited. The absences page, the team
page, the calendar and a member's month pass axe-core at 360 and 1280 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import absences, balances, rules
from rathaus.worktime.models import Absence, Decision
from tests.factories import current_totp
from tests.worktime.conftest import make_worktime_staff

from .conftest import PHONE, findings_at_both_widths, screenshot, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ABSENCES = "/verwaltung/arbeitszeit/abwesenheiten/"


def log_in(open_page, staff, user):
    page = open_page(viewport=PHONE)
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=current_totp(staff.devices[user.email]), email=user.email)
    return page


def figure(page, year: int, name: str) -> str:
    return page.locator(f"dl[data-year='{year}'] [data-figure={name}]").inner_text().strip()


def balance_text(minutes: int) -> str:
    return ("+" if minutes > 0 else "") + rules.hours(minutes)


def working_days(staff, employee, first, last) -> list:
    with authority_context(staff.authority):
        return absences.absence_days(employee, first, last)


def request(page, kind_label_value: str, first, last) -> None:
    page.check(f"input[name=kind][value={kind_label_value}]")
    page.fill("#id_first_day", first.strftime("%d.%m.%Y"))
    page.fill("#id_last_day", last.strftime("%d.%m.%Y"))
    with page.expect_navigation():
        page.locator("form[action$='/beantragen/'] button[type=submit]").first.click()
    assert page.locator(".kern-alert--danger, .messages .error").count() == 0, (
        page.locator("main").inner_text())


def test_leave_requested_approved_and_counted(town, open_page):
    staff = make_worktime_staff(town)
    emil = staff.employee(staff.emil)
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    # Last week's days are computed (the daily run): nothing recorded, each owes 7:48.
    last_monday = today - timedelta(days=today.weekday() + 7)
    with authority_context(town):
        balances.recompute_days(emil, last_monday, yesterday)
        balance_before = balances.balance_until(emil, yesterday)
    future_first = today + timedelta(days=14 - today.weekday())  # a Monday in two weeks
    future_last = future_first + timedelta(days=2)
    future_days = len(working_days(staff, emil, future_first, future_last))
    past_days = len(working_days(staff, emil, last_monday, last_monday + timedelta(days=1)))
    assert future_days and past_days

    page = log_in(open_page, staff, staff.emil)
    page.goto(ABSENCES)
    year = future_first.year
    shown = page.locator(f"dl[data-year='{year}']").count()  # next year's: once it has leave
    planned_before = int(figure(page, year, "planned")) if shown else 0
    remaining_before = int(figure(page, today.year, "remaining"))
    assert page.locator("[data-figure=balance]").inner_text() == balance_text(balance_before)
    findings = findings_at_both_widths(page, "absences page", shot="worktime-absences")

    request(page, "leave", future_first, future_last)
    request(page, "leave", last_monday, last_monday + timedelta(days=1))
    with authority_context(town):
        requested = list(Absence.objects.filter(employee=emil, state=Decision.REQUESTED))
    assert len(requested) == 2
    findings += findings_at_both_widths(page, "absences page with requests",
                                        shot="worktime-absences-requested")

    lead = log_in(open_page, staff, staff.lead_a)
    lead.goto("/verwaltung/arbeitszeit/team/")
    with lead.expect_navigation():
        lead.get_by_role("link", name=staff.team_a.name, exact=True).click()
    findings += findings_at_both_widths(lead, "team page", shot="worktime-team")
    calendar = f"/verwaltung/arbeitszeit/team/{staff.team_a.pk}/kalender/"
    lead.goto(f"{calendar}{future_first.year}-{future_first.month}/")
    assert lead.locator("td[data-state=requested]").count() >= future_days
    lead.set_viewport_size(PHONE)
    screenshot(lead, "worktime-calendar-requested")
    lead.go_back()
    for absence in requested:
        with lead.expect_navigation():
            lead.locator(f"article[data-absence='{absence.pk}'] "
                         "button[value=approve]").click()
    assert lead.locator("article[data-absence]").count() == 0
    lead.set_viewport_size(PHONE)
    screenshot(lead, "worktime-team-approved")

    with lead.expect_navigation():
        lead.get_by_role("link", name=re.compile("Teamkalender|Team calendar")).click()
    assert lead.locator("td[data-state=approved]").count() >= 1
    findings += findings_at_both_widths(lead, "team calendar", shot="worktime-calendar")

    lead.goto(f"/verwaltung/arbeitszeit/team/{staff.team_a.pk}/mitarbeiter/{emil.pk}/"
              f"{last_monday.year}-{last_monday.month}/")
    assert "data-clock-times" not in lead.content()
    findings += findings_at_both_widths(lead, "member month", shot="worktime-member")

    page.goto(ABSENCES)
    with authority_context(town):
        taken_by_year = {}
        for day in working_days(staff, emil, last_monday, last_monday + timedelta(days=1)):
            taken_by_year[day.year] = taken_by_year.get(day.year, 0) + 1
    assert int(figure(page, year, "planned")) == planned_before + future_days
    dropped = future_days * (future_first.year == today.year) + taken_by_year.get(today.year, 0)
    assert int(figure(page, today.year, "remaining")) == remaining_before - dropped
    assert page.locator("[data-figure=balance]").inner_text() == balance_text(
        balance_before + 468 * past_days)
    page.set_viewport_size(PHONE)
    screenshot(page, "worktime-absences-approved")
    assert not findings, "\n\n".join(findings)
