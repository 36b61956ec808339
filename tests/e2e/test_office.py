"""Staff log in with password and TOTP code and work in their department's basket."""

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.factories import current_totp, make_department, make_staff

from .conftest import (
    PHONE,
    assert_page_ok,
    findings_at_both_widths,
    screenshot,
    submit_staff_login,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def wrong_code(device) -> str:
    """A well-formed code that no time step within the device's tolerance accepts."""
    valid = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"
        for drift in range(-device.tolerance - 1, device.tolerance + 2)
    }
    candidate = int(current_totp(device))
    while f"{candidate:06d}" in valid:
        candidate = (candidate + 1) % 1_000_000
    return f"{candidate:06d}"


def test_staff_member_logs_in_with_totp_and_sees_the_work_basket(town, open_page):
    building = make_department(town, slug="bauamt", name="Bauamt")
    public_order = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    _user, device = make_staff(town, departments=[building, public_order])

    page = open_page()
    page.goto("/verwaltung/anmelden/")
    expect(page.locator("#id_otp_token")).to_be_visible()
    assert_page_ok(page, "office login")
    screenshot(page, "office-login")

    submit_staff_login(page, code=current_totp(device))
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))
    expect(page.locator("h1")).to_have_text(re.compile("Arbeitskorb|Work basket"))
    heading = page.locator(".basket-head")
    # Departments are listed by name; the first one is active after login.
    expect(heading.locator(".kern-subline")).to_contain_text("Bauamt")
    expect(page.locator(".empty-state")).to_be_visible()
    expect(page.locator(".empty-state")).to_contain_text(re.compile("Nichts zu tun|Nothing to do"))
    expect(page.locator("header")).to_contain_text("Erika Mustermann")
    findings = findings_at_both_widths(page, "work basket", shot="office-basket", dark=True)
    assert not findings, "\n\n".join(findings)

    page.select_option("#department", label="Ordnungsamt")
    with page.expect_navigation():
        page.locator(".department-switch button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))
    expect(heading.locator(".kern-subline")).to_contain_text("Ordnungsamt")
    expect(page.locator("#department option:checked")).to_have_text("Ordnungsamt")
    # The choice sticks to the session, not just to this response.
    page.goto("/verwaltung/")
    expect(heading.locator(".kern-subline")).to_contain_text("Ordnungsamt")
    findings = findings_at_both_widths(page, "work basket after switching department")
    assert not findings, "\n\n".join(findings)


def test_wrong_totp_code_is_refused(town, open_page):
    department = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    _user, device = make_staff(town, departments=[department])

    page = open_page(viewport=PHONE)
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=wrong_code(device))

    expect(page).to_have_url(re.compile(r"/verwaltung/anmelden/$"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(re.compile("Sicherheitscode|security code", re.I))
    # The error is announced and the form is offered again, password not echoed back.
    expect(page.locator("#id_password")).to_have_value("")
    assert_page_ok(page, "office login with wrong code")

    page.goto("/verwaltung/")
    expect(page).to_have_url(re.compile(r"/verwaltung/anmelden/\?next=/verwaltung/$"))
    expect(page.locator("header")).not_to_contain_text("Erika Mustermann")
    expect(page.locator(".empty-state")).to_have_count(0)
