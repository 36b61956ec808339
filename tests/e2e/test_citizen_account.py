"""A citizen creates an account, confirms the address from a real e-mail and logs in."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.accounts.models import User

from .conftest import assert_page_ok, screenshot, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lindenallee-1958!"
VERIFY_LINK = re.compile(r"https?://\S+/konto/bestaetigen/[^/\s]+/")


def fill_registration(page, *, first_name, last_name, email, password=PASSWORD):
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", last_name)
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.fill("#id_password_repeat", password)
    page.check("#id_privacy")


def submit_main_form(page):
    """Press the form's own submit button (the header holds other buttons)."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def log_in(page, email, password=PASSWORD):
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    submit_main_form(page)


def verification_link(smtp_inbox, live_server, *, to):
    message = smtp_inbox.wait_for(1)
    assert message["To"] == to
    body = smtp_inbox.body(message)
    match = VERIFY_LINK.search(body)
    assert match, f"no verification link in the e-mail:\n{body}"
    link = match.group(0)
    # The link must lead back to the site the citizen registered on.
    assert link.startswith(live_server.url + "/"), link
    return body, link


def test_citizen_registers_verifies_email_logs_in_and_sees_my_account(
    town, smtp_inbox, live_server, open_page
):
    page = open_page()
    page.goto("/")
    assert_page_ok(page, "home")

    page.locator("header").get_by_role("link", name=re.compile("Registrieren|Register")).click()
    expect(page).to_have_url(re.compile(r"/konto/registrieren/$"))
    assert_page_ok(page, "registration form")

    fill_registration(
        page, first_name="Jürgen", last_name="Weiß", email="Juergen.Weiss@Example.org"
    )
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/konto/registrieren/fertig/$"))
    expect(page.locator("h1")).to_have_text(re.compile("E-Mail|e-mail", re.I))
    assert_page_ok(page, "registered")

    body, link = verification_link(smtp_inbox, live_server, to="juergen.weiss@example.org")
    assert "Jürgen Weiß" in body

    # Before the address is confirmed, logging in is refused with an explanation.
    page.goto("/konto/anmelden/")
    assert_page_ok(page, "login form")
    log_in(page, "juergen.weiss@example.org")
    expect(page).to_have_url(re.compile(r"/konto/anmelden/$"))
    expect(page.locator(".error-summary")).to_contain_text(
        re.compile("bestätigen|confirm your e-mail", re.I)
    )
    assert_page_ok(page, "login refused before confirmation")

    response = page.goto(link)
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(re.compile("bestätigt|confirmed", re.I))
    assert_page_ok(page, "address confirmed")
    assert User.objects.get(email="juergen.weiss@example.org").email_verified_at is not None

    page.locator("main").get_by_role("link", name=re.compile("Anmelden|Log in")).click()
    expect(page).to_have_url(re.compile(r"/konto/anmelden/$"))
    log_in(page, "juergen.weiss@example.org")

    expect(page).to_have_url(re.compile(r"/konto/$"))
    expect(page.locator("h1")).to_have_text(re.compile("Mein Konto|My account"))
    expect(page.locator("main")).to_contain_text("Jürgen Weiß")
    expect(page.locator("main")).to_contain_text("juergen.weiss@example.org")
    # The header now offers the account and logging out instead of logging in.
    log_out = page.locator("header").get_by_role("button", name=re.compile("Abmelden|Log out"))
    expect(log_out).to_be_visible()
    assert_page_ok(page, "my account")
    screenshot(page, "journey-my-account")


def test_pages_work_without_javascript(town, smtp_inbox, live_server, open_page):
    page = open_page(javascript=False)
    page.goto("/konto/registrieren/")
    fill_registration(page, first_name="Hildegard", last_name="Schmitz",
                      email="hildegard@example.org")
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/konto/registrieren/fertig/$"))
    _body, link = verification_link(smtp_inbox, live_server, to="hildegard@example.org")
    assert User.objects.filter(email="hildegard@example.org", email_verified_at=None).exists()

    page.goto(link)
    assert User.objects.get(email="hildegard@example.org").email_verified_at is not None
    page.goto("/konto/anmelden/")
    log_in(page, "hildegard@example.org")
    expect(page).to_have_url(re.compile(r"/konto/$"))
    expect(page.locator("main")).to_contain_text("Hildegard Schmitz")

    # The language switch is a plain form: it works without scripts and keeps the page.
    assert page.locator("html").get_attribute("lang") == "de"
    switch_language(page, "en")
    expect(page).to_have_url(re.compile(r"/konto/$"))
    expect(page.locator("h1")).to_have_text("My account")
    page.goto("/impressum/")
    assert page.locator("html").get_attribute("lang") == "en", "the choice is remembered"
    switch_language(page, "de")
    expect(page).to_have_url(re.compile(r"/impressum/$"))
    expect(page.locator("header").get_by_role("link", name="English")).to_be_visible()

    assert not page.problems.take()
