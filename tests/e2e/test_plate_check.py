"""The public plate check in the browser: the question, a free plate, a refused one;
each page passes axe-core at both widths and fits a phone."""

import pytest
from playwright.sync_api import expect

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.vehicles.models import PlateEntry

from .conftest import findings_at_both_widths
from .test_accessibility import fits_a_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_asking_whether_a_chosen_plate_is_free(town, open_page):
    kreis = Authority.objects.create(slug="rbk", name="Rheinisch-Bergischer Kreis",
                                     short_name="Kreis", kind="district",
                                     municipality_key="05378")
    Authority.objects.filter(pk=town.pk).update(parent=kreis)
    with authority_context(kreis):
        PlateEntry.objects.create(key="GLAB123", state=PlateEntry.State.ASSIGNED)
    page, findings = open_page(), []

    def audit(name):
        findings.extend(findings_at_both_widths(page, name, shot=f"plate-{name}"))
        findings.extend(fits_a_phone(page, name))

    page.goto("/kennzeichen/")
    expect(page.locator("main")).to_contain_text("Rheinisch-Bergischer Kreis")
    audit("question")
    page.get_by_label("Wunschkennzeichen").fill("gl ab 124")
    with page.expect_navigation():
        page.get_by_role("button", name="Prüfen").click()
    expect(page.get_by_role("status")).to_contain_text("GL-AB 124 ist frei")
    audit("free")
    page.get_by_label("Wunschkennzeichen").fill("GL-AB 123")
    with page.expect_navigation():
        page.get_by_role("button", name="Prüfen").click()
    expect(page.locator("main")).to_contain_text("schon vergeben")
    audit("taken")
    assert not findings, "\n\n".join(findings)
