"""Done when (issue 20), the employee's part: on a phone (360 px) an employee clocks in
while offline, sees the event kept on the phone, comes back online and sees the entry,
which the server has once. The employee's pages have no axe violations at 360 and
1280 px."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rathaus.audit.services import record_access
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import recording
from rathaus.worktime.models import Entry, Source
from tests.factories import current_totp
from tests.worktime.conftest import last_month, make_worktime_staff, record_day, working_days_of

from .conftest import PHONE, findings_at_both_widths, screenshot, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOME = "/verwaltung/arbeitszeit/"


@pytest.fixture
def staff(town):
    return make_worktime_staff(town)


def log_in(page, staff, user):
    page.goto(f"/verwaltung/anmelden/?next={HOME}")
    submit_staff_login(page, code=current_totp(staff.devices[user.email]), email=user.email)
    expect(page).to_have_url(re.compile(re.escape(HOME) + "$"))


def entries_of(staff, user):
    with authority_context(staff.authority):
        return list(Entry.objects.filter(employee__user=user, removed=False))


def test_clocking_in_offline_and_coming_back_online(open_page, staff):
    page = open_page(viewport=PHONE)
    log_in(page, staff, staff.emil)
    form = page.locator("form[data-clock-form]")
    expect(form).to_have_attribute("data-clock-queue-count", "0")  # clock.js is running
    screenshot(page, "worktime-clock")

    page.context.set_offline(True)
    page.locator("input[name=place][value=mobile]").check()
    page.locator("[data-clock-button]").click()
    expect(form).to_have_attribute("data-clock-queue-count", "1")
    queue = page.locator("[data-clock-queue]")
    expect(queue).to_be_visible()
    expect(queue.locator("li")).to_have_count(1)
    expect(page.locator("input[name=action]")).to_have_value("out")  # the button offers "Gehen"
    assert entries_of(staff, staff.emil) == [], "nothing reaches the server while offline"
    screenshot(page, "worktime-clock-offline")

    page.context.set_offline(False)
    page.wait_for_function("() => navigator.onLine")
    expect(page.locator("[data-today-entries] li")).to_have_count(1)
    expect(form).to_have_attribute("data-clock-queue-count", "0")
    expect(page.locator("input[name=action]")).to_have_value("out")
    [entry] = entries_of(staff, staff.emil)
    assert entry.source == Source.OFFLINE and entry.place == "mobile" and entry.ended_at is None
    screenshot(page, "worktime-clock-sent")

    # Online, the form posts as usual.
    page.locator("[data-clock-button]").click()
    expect(page.locator("input[name=action]")).to_have_value("in")
    [entry] = entries_of(staff, staff.emil)
    assert entry.ended_at is not None


def test_the_employee_pages_have_no_axe_violations(open_page, staff):
    month = last_month()
    days = working_days_of(month, staff.full_time.daily_minutes)
    record_day(staff, staff.emil, days[0], ("07:30", "12:00"), ("12:30", "16:00"))
    record_day(staff, staff.emil, days[1], ("07:00", "14:30"))
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority):
        recording.clock_in(actor=staff.emil, employee=emil, client_id=uuid.uuid4(),
                           place="mobile", at=timezone.now() - timedelta(hours=6, minutes=10),
                           offline=True)
        record_access(staff=staff.lead_a, citizen=staff.emil, what="Arbeitszeit: Monat")
    entry = entries_of(staff, staff.emil)[0]

    page = open_page()
    log_in(page, staff, staff.emil)
    findings = findings_at_both_widths(page, "clock page", shot="worktime-home")
    page.goto(f"{HOME}monat/{month.year}-{month.month}/")
    findings += findings_at_both_widths(page, "month", shot="worktime-month")
    page.goto(f"{HOME}eintrag/{entry.pk}/")
    findings += findings_at_both_widths(page, "entry", shot="worktime-entry")
    page.goto(f"{HOME}eintrag/neu/")
    page.locator("main form button[type=submit]").first.click()  # no reason: errors
    findings += findings_at_both_widths(page, "entry with errors", shot="worktime-entry-errors")
    page.goto(f"{HOME}zugriffe/")
    findings += findings_at_both_widths(page, "who looked", shot="worktime-access")
    assert not findings, "\n\n".join(findings)
