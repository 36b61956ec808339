"""Einer für Alle in a real browser: an administrator of the town reads another
authority's service file, adapts it and publishes it; the services page and the
adaptation page pass axe-core at 1280 and 360 px."""

import pytest
import yaml

from rathaus.accounts.models import StaffMembership
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.exchange import export_service
from tests.factories import current_totp, departments_of, make_staff

from .conftest import STAFF_EMAIL, findings_at_both_widths, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_takes_over_a_service_file_in_the_browser(dog_town, district, open_page,
                                                                     tmp_path):
    steueramt = departments_of(dog_town)["steueramt"]
    admin, device = make_staff(dog_town, departments=[steueramt], email=STAFF_EMAIL,
                               role=StaffMembership.Role.ADMINISTRATOR)
    with authority_context(dog_town):
        exported = yaml.safe_load(export_service(actor=admin, service_id="hundeanmeldung"))
    # The file as a neighbouring town would send it: its own source, an older rate.
    exported["source"] = {"authority": "Stadt Burscheid", "service": "hundeanmeldung",
                          "version": 1}
    exported["bylaw"]["values"]["rate_first_dog"] = "84.00"
    service_file = tmp_path / "hundeanmeldung.yaml"
    service_file.write_text(yaml.safe_dump(exported, allow_unicode=True), encoding="utf-8")

    page = open_page()
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=current_totp(device))
    page.goto("/verwaltung/leistungen/")
    findings = findings_at_both_widths(page, "services", shot="office-services")
    page.set_input_files("#id_file", str(service_file))
    with page.expect_navigation():
        page.get_by_role("button", name="Datei lesen").click()
    assert "Stadt Burscheid" in page.locator("main").inner_text()
    findings += findings_at_both_widths(page, "adoption", shot="office-adopt-service")
    page.fill("#id_bylaw_rate_first_dog", "108,00")
    page.fill("#id_bylaw_valid_from", "01.01.2027")
    with page.expect_navigation():
        page.get_by_role("button", name="Übernehmen und veröffentlichen").click()
    assert "wird jetzt in Ihrem Portal angeboten" in page.locator("main").inner_text()
    assert "Übernommen von Stadt Burscheid" in page.locator("main").inner_text()
    assert not findings, "\n\n".join(findings)
