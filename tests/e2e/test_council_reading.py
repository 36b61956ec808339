"""Done when (issue 21), the reading room: at tablet size (768 px) and at 360 px a
councillor logs in with password and TOTP code, opens the next meeting from "Meine
Sitzungen", reads the non-public paper, writes a note and saves it, saves the meeting
for offline reading, goes offline, and still reads the paper and its file from the
device. Every reading room page has no axe violations, offline included."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from tests.council.conftest import SECRET_WORDS, council_world  # noqa: F401  (the fixture)
from tests.council.reading import HOME, de, file_url, meeting_url, paper_url
from tests.factories import PASSWORD, current_totp

from .conftest import PHONE, axe_violations, describe_violations, page_findings, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}
NOTE = "Kaufpreis mit dem Gutachten vergleichen; Rückfrage an die Kämmerei."


def log_in(page, world):
    page.goto(HOME)
    expect(page).to_have_url(re.compile(r"/konto/anmelden/\?next="))
    page.fill("#id_username", world.councillor.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/konto/anmelden/code/$"))
    page.fill("#id_otp_token", current_totp(world.councillor_device))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(HOME) + "$"))


def fetch_in_page(page, url: str) -> list:
    """[status, content type, first bytes] of `url` fetched by the page (through its
    service worker, as the tablet's PDF viewer would get it)."""
    return page.evaluate("""async (url) => {
        const answer = await fetch(url);
        const bytes = new Uint8Array(await answer.arrayBuffer());
        return [answer.status, answer.headers.get("content-type"),
                String.fromCharCode(...bytes.slice(0, 5))];
    }""", url)


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet-768", "phone-360"])
def test_a_councillor_reads_a_non_public_paper_writes_a_note_and_reads_it_offline(
        open_page, council_world, viewport):  # noqa: F811
    world = council_world
    with authority_context(world.authority):
        secret_file = world.secret_paper.files.get()
    page = open_page(viewport=viewport)
    findings = []
    log_in(page, world)
    findings += page_findings(page, "my meetings")
    screenshot(page, "council-reading-home")

    page.locator("[data-reading-next]").click()
    expect(page).to_have_url(re.compile(re.escape(meeting_url(world.upcoming)) + "$"))
    expect(page.locator(".reading-item--confidential")).to_contain_text(SECRET_WORDS[0])
    findings += page_findings(page, "meeting")
    screenshot(page, "council-reading-meeting")

    page.get_by_role("link", name=re.compile(re.escape(SECRET_WORDS[0]))).click()
    expect(page).to_have_url(re.compile(re.escape(paper_url(world.secret_paper)) + "$"))
    expect(page.locator("h1")).to_contain_text(SECRET_WORDS[0])
    assert fetch_in_page(page, file_url(secret_file))[::2] == [200, "%PDF-"]

    page.fill("#id_text", NOTE)
    page.locator("form[data-reading-note] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(de("Your note has been saved."))
    expect(page.locator("#id_text")).to_have_value(NOTE)
    findings += page_findings(page, "paper with the note saved")
    screenshot(page, "council-reading-paper")

    page.goto(meeting_url(world.upcoming))
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    save = page.locator("[data-reading-save]")
    expect(save).to_be_visible()
    save.locator("[data-reading-save-button]").click()
    expect(save).to_have_attribute("data-reading-saved", "true")
    findings += page_findings(page, "meeting saved for offline")
    screenshot(page, "council-reading-saved")

    page.context.set_offline(True)
    page.goto(paper_url(world.secret_paper))
    expect(page.locator("h1")).to_contain_text(SECRET_WORDS[0])
    expect(page.locator("#id_text")).to_have_value(NOTE)
    banner = page.locator("[data-reading-offline]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(de("Offline – saved version of {time}").split("{time}")[0])
    assert fetch_in_page(page, file_url(secret_file)) == [200, "application/pdf", "%PDF-"]
    page.locator("form[data-reading-note] button[type=submit]").click()  # notes: online only
    expect(page.locator("[data-reading-note-offline]")).to_be_visible()
    violations = axe_violations(page)
    if violations:
        findings.append(describe_violations("paper offline", violations))
    screenshot(page, "council-reading-offline")

    page.goto(meeting_url(world.upcoming))  # the meeting too, and "Meine Sitzungen"
    expect(page.locator(".reading-item--confidential")).to_contain_text(SECRET_WORDS[0])
    page.goto(HOME)
    expect(page.locator("[data-reading-next]")).to_be_visible()
    assert not findings, "\n\n".join(findings)


def test_logging_out_forgets_the_pages_kept_offline(open_page, council_world):  # noqa: F811
    world = council_world
    page = open_page(viewport=TABLET)
    log_in(page, world)
    page.goto(meeting_url(world.upcoming))
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.locator("[data-reading-save-button]").click()
    expect(page.locator("[data-reading-save]")).to_have_attribute("data-reading-saved", "true")
    assert page.evaluate("() => caches.has('rathaus-council-reading-v1')")

    page.locator("form[data-reading-logout] button").click()
    expect(page).not_to_have_url(re.compile(re.escape(HOME)))
    assert not page.evaluate("() => caches.has('rathaus-council-reading-v1')")
    page.context.set_offline(True)
    page.goto(paper_url(world.secret_paper))
    assert SECRET_WORDS[0] not in page.content()
