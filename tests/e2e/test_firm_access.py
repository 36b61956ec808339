"""The access for firms in the browser (ADR 0041): the Friedhofsverwaltung admits an
undertaker, the invitation e-mail's link sets the password and the authenticator app,
and the person logs in with a security code."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from rathaus.accounts.models import User
from tests.accounts.firms import install_firm_service, invitation_path
from tests.factories import current_totp, make_staff

from .conftest import PHONE, assert_page_ok, findings_at_both_widths, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PERSON_EMAIL = "bernd@wupperweg.example"
PERSON_PASSWORD = "Grabpflege-Wupper-2026"


def _submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _admit_in_the_office(page, device):
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=current_totp(device))
    page.locator("header").get_by_role("link", name=re.compile("^(Firmen|Firms)$")).click()
    expect(page).to_have_url(re.compile(r"/verwaltung/firmen/$"))
    assert_page_ok(page, "the firms (none yet)")
    page.locator("main").get_by_role(
        "link", name=re.compile("Firma zulassen|Admit a firm")).click()
    assert not findings_at_both_widths(page, "admit a firm")
    page.fill("#id_name", "Bestattungshaus Wupperweg GmbH")
    page.fill("#id_street", "Wupperstraße 12")
    page.fill("#id_postcode", "42799")
    page.fill("#id_city", "Leichlingen")
    page.fill("#id_email", "info@wupperweg.example")
    page.fill("#id_first_name", "Bernd")
    page.fill("#id_last_name", "Bestatter")
    page.fill("#id_person_email", PERSON_EMAIL)
    _submit(page)
    expect(page).to_have_url(re.compile(r"/verwaltung/firmen/$"))
    expect(page.locator("main")).to_contain_text("Bestattungshaus Wupperweg GmbH")
    expect(page.locator("main")).to_contain_text(PERSON_EMAIL)
    assert_page_ok(page, "the firms with the new one")


def test_staff_admits_a_firm_and_its_person_sets_up_the_access_and_logs_in(
        town, monkeypatch, smtp_inbox, live_server, open_page):
    department = install_firm_service(monkeypatch, town)
    _staff, device = make_staff(town, departments=[department])
    _admit_in_the_office(open_page(), device)

    message = smtp_inbox.wait_for(1)
    assert message["To"] == PERSON_EMAIL
    body = smtp_inbox.body(message)
    assert "Bestattungshaus Wupperweg GmbH" in body

    page = open_page(viewport=PHONE)
    page.goto(invitation_path(body))
    expect(page.locator("img.totp-qr")).to_be_visible()
    assert not findings_at_both_widths(page, "the invitation page")
    app = TOTPDevice.objects.get(user__email=PERSON_EMAIL, confirmed=False)
    page.fill("#id_password", PERSON_PASSWORD)
    page.fill("#id_password_repeat", PERSON_PASSWORD)
    page.fill("#id_otp_token", current_totp(app))
    _submit(page)
    expect(page).to_have_url(re.compile(r"/konto/$"))
    expect(page.locator("main")).to_contain_text("Bestattungshaus Wupperweg GmbH")
    assert_page_ok(page, "the firm's account page")

    page.context.clear_cookies()  # a new visit
    page.goto("/konto/anmelden/")
    page.fill("#id_username", PERSON_EMAIL)
    page.fill("#id_password", PERSON_PASSWORD)
    _submit(page)
    # Always the second step: a firm login has two factors.
    expect(page).to_have_url(re.compile(r"/konto/anmelden/code/$"))
    # The code of the set-up step may not be used twice; a later step's code is fresh.
    TOTPDevice.objects.filter(pk=app.pk).update(last_t=-1)
    page.fill("#id_otp_token", current_totp(app))
    _submit(page)
    expect(page).to_have_url(re.compile(r"/konto/$"))
    expect(page.locator("main")).to_contain_text("Bestattungshaus Wupperweg GmbH")
    assert User.objects.get(email=PERSON_EMAIL).is_firm
