"""The office's audit log passes axe-core with entries in it and with a filter error,
on a desktop and on a phone, without scrolling sideways."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.audit.services import record, record_access
from rathaus.authorities.tenancy import authority_context
from tests.factories import current_totp, departments_of, make_citizen, make_staff

from .conftest import STAFF_EMAIL, findings_at_both_widths, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_audit_log_passes_axe(dog_town, open_page):
    steueramt = departments_of(dog_town)["steueramt"]
    admin, device = make_staff(dog_town, departments=[steueramt], email=STAFF_EMAIL,
                               role="administrator")
    citizen = make_citizen("leser@example.org")
    with authority_context(dog_town):
        record("subject_access.requested", actor=citizen, target=citizen)
        record_access(staff=admin, citizen=citizen, what="Vorgang 21.33.01-2026-000001")
        for number in range(60):  # more than a page
            record("records.note_added", actor=admin, data={"n": number})

    page = open_page()
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=current_totp(device))
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Protokoll|Audit log")).click()
    expect(page.locator("main tbody tr")).to_have_count(50)
    findings = findings_at_both_widths(page, "audit log", shot="office-audit-log")
    with page.expect_navigation():
        page.locator("main nav a").last.click()  # the older entries
    expect(page.locator("main tbody tr")).not_to_have_count(0)

    page.goto("/verwaltung/protokoll/?since=31.02.2026")
    expect(page.locator(".error-summary")).to_be_visible()
    findings += findings_at_both_widths(page, "audit log with a filter error")
    assert not findings, "\n\n".join(findings)
