"""After a send with errors the error summary has the focus, with and without
JavaScript, on a phone and on a desktop; a link in it puts the cursor into the field
to correct. The progress says which step of how many, by name, on a phone too."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import HOLDER, PASSWORD, make_citizen

from .conftest import DESKTOP, PHONE, assert_page_ok

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, citizen):
    page.goto("/konto/anmelden/")
    page.fill("#id_username", citizen.email)
    page.fill("#id_password", PASSWORD)
    _send(page)
    expect(page).to_have_url(re.compile(r"/konto/$"))


def _send(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _focused_is_summary(page) -> bool:
    return page.evaluate(
        "() => document.activeElement !== null"
        " && document.activeElement.matches('[data-error-summary]')")


def _start_dog_registration(page):
    page.goto("/leistungen/hundeanmeldung/")
    _send(page)
    expect(page).to_have_url(re.compile(r"/schritt/1/$"))


@pytest.mark.parametrize("viewport, javascript", [
    (PHONE, True), (PHONE, False), (DESKTOP, True), (DESKTOP, False)])
def test_the_error_summary_has_the_focus_after_a_send_with_errors(
        dog_service, open_page, viewport, javascript):
    citizen = make_citizen()
    page = open_page(viewport=viewport, javascript=javascript)
    _log_in(page, citizen)
    _start_dog_registration(page)
    for name, value in HOLDER.items():
        if name != "dogs_in_household":
            page.fill(f"#id_{name}", value)
    page.fill("#id_first_name", "")
    page.fill("#id_date_of_birth", "31.02.1956")
    _send(page)

    expect(page).to_have_title(re.compile(r"^Fehler: "))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert _focused_is_summary(page), "the error summary does not have the focus"
    expect(summary.get_by_role("link")).to_have_text([
        "Geben Sie Ihren Vornamen ein.",
        "Diesen Tag gibt es nicht: Der Februar 1956 hat 29 Tage.",
        "Wählen Sie aus, wie viele Hunde mit diesem in Ihrem Haushalt leben.",
    ])
    assert_page_ok(page, f"step 1 with errors at {viewport['width']} px")

    # Following a link of the summary leads to the field to correct.
    summary.get_by_role("link", name=re.compile("wie viele Hunde")).click()
    if javascript:  # the cursor in the first answer, the question in view above it
        expect(page.locator("#id_dogs_in_household_0")).to_be_focused()
        expect(page.locator("legend", has_text="Wie viele Hunde")).to_be_in_viewport()
    else:  # the browser follows the link to the first answer
        expect(page).to_have_url(re.compile(r"#id_dogs_in_household_0$"))
        expect(page.locator("#id_dogs_in_household_0")).to_be_in_viewport()


def test_a_failed_login_puts_the_focus_on_the_summary(town, open_page):
    make_citizen()
    page = open_page(viewport=PHONE)
    page.goto("/konto/anmelden/")
    page.fill("#id_username", "bettina@example.org")
    page.fill("#id_password", "falsch-falsch-1")
    _send(page)
    expect(page).to_have_title(re.compile(r"^Fehler: "))
    assert _focused_is_summary(page)
    page.keyboard.press("Tab")  # the next stop is the summary's link to the first field
    expect(page.locator("[data-error-summary] a")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_username")).to_be_focused()


def test_the_progress_names_the_step_on_a_phone(dog_service, open_page):
    citizen = make_citizen()
    page = open_page(viewport=PHONE)
    _log_in(page, citizen)
    _start_dog_registration(page)
    status = page.locator("nav.progress .progress__status")
    expect(status).to_be_visible()
    expect(status).to_have_text("Schritt 1 von 5: Halterin oder Halter")
    expect(page.locator("nav.progress [aria-current=step]")).to_contain_text("1")
    assert_page_ok(page, "step 1 at 360 px")
