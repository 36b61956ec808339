"""Done when (issue 20), the month's closing: on a phone (360 px) the employee confirms
last month, the team lead closes it on the member's page, and the employee gets the
monthly sheet as PDF/A from the month page."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from rathaus.worktime.models import ClosingState, MonthClosing
from tests.factories import current_totp
from tests.worktime.conftest import last_month, make_worktime_staff, record_day, working_days_of

from .conftest import PHONE, screenshot, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(town):
    return make_worktime_staff(town)


def log_in(page, staff, user, next_page):
    page.goto(f"/verwaltung/anmelden/?next={next_page}")
    submit_staff_login(page, code=current_totp(staff.devices[user.email]), email=user.email)
    expect(page).to_have_url(re.compile(re.escape(next_page) + "$"))


def test_the_employee_confirms_the_lead_closes_and_the_sheet_is_there(open_page, staff):
    month = last_month()
    for day in working_days_of(month, staff.full_time.daily_minutes)[:3]:
        record_day(staff, staff.emil, day, ("07:30", "12:00"), ("12:30", "16:00"))
    month_page = f"/verwaltung/arbeitszeit/monat/{month.year}-{month.month:02d}/"
    page = open_page(viewport=PHONE)

    log_in(page, staff, staff.emil, month_page)
    page.locator("form.worktime-confirm button[type=submit]").click()
    expect(page.locator("[data-closing-state]")).to_contain_text("bestätigt")
    screenshot(page, "worktime-month-confirmed")

    employee = staff.employee(staff.emil)
    member_page = (f"/verwaltung/arbeitszeit/team/{staff.team_a.pk}/mitarbeiter/"
                   f"{employee.pk}/{month.year}-{month.month}/")
    lead = open_page(viewport=PHONE)  # the team lead's own phone
    log_in(lead, staff, staff.lead_a, member_page)
    expect(lead.locator("main")).not_to_contain_text("07:30")  # no clock times for the lead
    lead.locator("form[action$='/abschliessen/'] button[type=submit]").click()
    screenshot(lead, "worktime-month-closed-by-lead")
    with authority_context(staff.authority):
        closing = MonthClosing.objects.get(employee=employee, month=month)
    assert closing.state == ClosingState.CLOSED
    assert closing.sheet_blob, "the worker wrote the sheet"

    page.reload()
    link = page.locator("[data-sheet-link]")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF") and b"pdfaid:part" in body
