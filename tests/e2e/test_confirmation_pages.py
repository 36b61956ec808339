"""The landlord's pages (rathaus.confirmations) pass axe-core on a desktop and a phone,
with and without errors, and work without JavaScript."""

import datetime
import re

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from tests.factories import LANDLORD_BY_LINK, apply_for_moving_house, offer_moving_house

from .conftest import findings_at_both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def moving_town(town):
    return offer_moving_house(town)


@pytest.fixture
def token(moving_town, citizen, mailoutbox):
    with authority_context(moving_town):
        apply_for_moving_house(citizen, landlord=LANDLORD_BY_LINK)
    mail = next(m for m in mailoutbox if m.to == ["hausherr@example.org"])
    return re.search(r"/bestaetigung/([\w-]{40,})/", mail.body).group(1)


def submit(page, button: str):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_the_landlords_page_and_its_answers_pass_axe(token, open_page):
    page = open_page()
    page.goto(f"/bestaetigung/{token}/")
    findings = findings_at_both_widths(page, "landlord's page", shot="confirmation-request")
    submit(page, "Bestätigen")  # nothing filled in: the error summary
    findings += findings_at_both_widths(page, "landlord's page with errors")
    page.get_by_label("Ihre Anschrift: Straße und Hausnummer").fill("Am Hang 3")
    page.get_by_label("Ihre Anschrift: Postleitzahl").fill("42799")
    page.get_by_label("Ihre Anschrift: Ort").fill("Leichlingen")
    page.locator("input[name=statement]").check()
    submit(page, "Bestätigen")
    assert "Vielen Dank" in page.content()
    findings += findings_at_both_widths(page, "thank-you page")
    page.goto(f"/bestaetigung/{token}/")
    assert "nicht (mehr) gültig" in page.content()
    findings += findings_at_both_widths(page, "link no longer valid")
    assert not findings, "\n\n".join(findings)


def test_confirming_first_works_without_javascript_and_passes_axe(moving_town, open_page):
    page = open_page(javascript=False)
    page.goto("/bestaetigung/wohnsitzanmeldung/ausstellen/")
    submit(page, "Bestätigen und Code erhalten")
    assert "Geben Sie Ihren Namen ein." in page.content()
    page = open_page()
    page.goto("/bestaetigung/wohnsitzanmeldung/ausstellen/")
    findings = findings_at_both_widths(page, "issue page")
    submit(page, "Bestätigen und Code erhalten")
    findings += findings_at_both_widths(page, "issue page with errors")
    page.get_by_label("Ihr Name (Wohnungsgeberin oder Wohnungsgeber)").fill("Hans Hausherr")
    page.get_by_label("Wohnung: Straße").fill("Marktstraße")
    page.get_by_label("Wohnung: Hausnummer").fill("17")
    page.get_by_label("Wohnung: Postleitzahl").fill("42799")
    page.get_by_label("Einzugsdatum").fill(
        (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d.%m.%Y"))
    page.get_by_label("Namen aller Personen, die einziehen").fill("Bettina Beispiel")
    page.locator("input[name=statement]").check()
    submit(page, "Bestätigen und Code erhalten")
    assert re.search(r"WGB-\w{4}-\w{4}", page.content())
    findings += findings_at_both_widths(page, "issued code")
    assert not findings, "\n\n".join(findings)
