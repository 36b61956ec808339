"""The open data pages pass axe-core on a desktop and on a phone, for visitors and
for staff, including the page that refuses personal data."""

import pytest
from playwright.sync_api import expect

from tests.factories import DISPENSERS, current_totp, make_department, make_staff, publish_csv

from .conftest import STAFF_EMAIL, findings_at_both_widths, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/daten/", "/daten/?theme=ENVI", "/daten/?q=einhorn", "/daten/spender/",
          "/ogc/?f=html", "/ogc/collections?f=html", "/ogc/collections/spender?f=html",
          "/ogc/collections/spender/items?f=html&limit=2",
          "/ogc/collections/spender/items/1?f=html"]


def test_open_data_pages_pass_axe(town, open_page, tmp_path):
    publish_csv(town, DISPENSERS)
    staff, device = make_staff(town, departments=[make_department(town, slug="gruen",
                                                                  name="Grünflächen")],
                               email=STAFF_EMAIL, role="team_lead")
    page = open_page()
    findings = []
    for path in PUBLIC:
        assert page.goto(path).status == 200, path
        findings += findings_at_both_widths(page, path)

    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=current_totp(device))
    for path in ["/verwaltung/offene-daten/", "/verwaltung/offene-daten/spender/",
                 "/verwaltung/offene-daten/neu/"]:
        assert page.goto(path).status == 200, path
        findings += findings_at_both_widths(page, path)

    people = tmp_path / "menschen.csv"
    people.write_text("name;geburtsdatum;ortsteil\nAnna;12.04.1956;Mitte\n")
    page.goto("/verwaltung/offene-daten/spender/")
    page.set_input_files("input[type=file]", str(people))
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen und prüfen").click()
    findings += findings_at_both_widths(page, "upload check")
    for box in page.locator("input[type=checkbox]").all():
        box.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Als neue Version speichern").click()
    expect(page.get_by_text("Personenbezogene Daten dürfen nicht veröffentlicht werden")
           ).to_be_visible()
    findings += findings_at_both_widths(page, "privacy refusal")
    assert not findings, "\n\n".join(findings)
