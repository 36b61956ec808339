"""Issue 17's first "Done when": staff upload a scanned letter (an image-only PDF made
here) that names the Aktenzeichen of an existing file; the worker reads it (tasks run
at once in tests); the suggestion names that file; staff file it with one click, and
the full-text search finds it by a word of the letter. The pages pass axe-core at 1280
and 360 px."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.records.services import add_file_plan_entry, open_case_file
from tests.factories import current_totp, make_citizen, make_department, make_staff
from tests.intake.letters import letter, scanned_pdf

from .conftest import findings_at_both_widths, screenshot, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_file_a_scanned_letter_and_find_it_by_a_word_in_it(town, open_page, tmp_path):
    steueramt = make_department(town, slug="steueramt", name="Steueramt")
    _clerk, device = make_staff(town, departments=[steueramt])
    with authority_context(town):
        plan = add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10,
                                   department=steueramt)
        dog_file = open_case_file(plan_entry=plan, title="Hundesteuer Bello",
                                  subject=make_citizen())
        open_case_file(plan_entry=plan, title="Hundesteuer Rex")  # a file not meant
    scan = tmp_path / "scan-0001.pdf"
    scan.write_bytes(scanned_pdf(letter(
        aktenzeichen=dog_file.aktenzeichen, subject="Ermäßigung der Hundesteuer",
        body="Mein Hund Bello ist ein ausgebildeter Therapiehund.")))

    page = open_page()
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=current_totp(device))
    page.goto("/verwaltung/posteingang/")
    findings = findings_at_both_widths(page, "intake", shot="office-intake")
    page.set_input_files("#id_files", str(scan))
    with page.expect_navigation():
        page.locator("main form[enctype] button[type=submit]").click()

    # Read at once by the worker's task: the list shows it with the suggested file.
    row = page.locator("main table tbody tr").filter(has_text=dog_file.aktenzeichen)
    assert row.count() == 1
    with page.expect_navigation():
        row.get_by_role("link").click()
    main = page.locator("main")
    assert "Therapiehund" in main.inner_text()
    suggestion = page.locator(".suggestion")
    assert dog_file.aktenzeichen in suggestion.inner_text()
    assert "Hundesteuer Bello" in suggestion.inner_text()
    screenshot(page, "office-intake-item")
    findings += findings_at_both_widths(page, "intake item", shot="office-intake-item")

    with page.expect_navigation():
        suggestion.get_by_role("button").click()
    assert dog_file.aktenzeichen in main.inner_text()  # "Filed into …"

    page.goto("/verwaltung/akten/suche/?q=Therapiehund")
    results = page.locator("main").inner_text()
    assert dog_file.aktenzeichen in results
    assert "Hundesteuer Rex" not in results
    assert not findings, "\n\n".join(findings)
