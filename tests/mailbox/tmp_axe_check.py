import pytest
from rathaus.mailbox.models import Attachment
from tests.conftest import PASSWORD, make_citizen
from tests.e2e.conftest import browser, open_page, findings_at_both_widths, switch_language  # noqa
from tests.mailbox.conftest import deliver

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_mailbox_pages_pass_axe(language, town, open_page, settings, tmp_path):
    citizen = make_citizen()
    findings = []
    page = open_page()
    page.goto("/")
    if language != "de":
        switch_language(page, language)
    page.goto("/konto/anmelden/")
    page.fill("#id_username", citizen.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/konto/postfach/")
    findings += findings_at_both_widths(page, "empty inbox", shot=f"{language}-mailbox-empty", dark=True)
    page.goto("/konto/")
    findings += findings_at_both_widths(page, "account no unread", dark=True)
    m1 = deliver(town, citizen, subject="Eingangsbestätigung Ihrer Hundeanmeldung")
    m2 = deliver(town, citizen)
    page.goto("/konto/")
    findings += findings_at_both_widths(page, "account", shot=f"{language}-account", dark=True)
    page.goto(f"/konto/postfach/{m1.pk}/")
    page.goto("/konto/postfach/")
    findings += findings_at_both_widths(page, "inbox", shot=f"{language}-mailbox", dark=True)
    page.goto(f"/konto/postfach/{m2.pk}/")
    findings += findings_at_both_widths(page, "message", shot=f"{language}-message", dark=True)
    assert not findings, "\n\n".join(findings)
