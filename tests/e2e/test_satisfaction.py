"""The satisfaction check in the browser: a citizen finishes a matter, rates it, and
after the open data's refresh the figure is on the open data page and the home page."""

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.satisfaction.models import Rating
from tests.factories import PASSWORD, make_case

from .conftest import findings_at_both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finished_case(dog_town, citizen):
    """Bettina's dog registration, approved; two earlier answers of other citizens, so
    that the month's figure is not left out as a small count."""
    with authority_context(dog_town):
        case = make_case(citizen, large=False)
        Case.objects.filter(pk=case.pk).update(status=Case.Status.APPROVED,
                                               decided_at=timezone.now())
        month = timezone.localdate().replace(day=1)
        for score in (4, 5):
            Rating.objects.create(service_id="hundeanmeldung", month=month, score=score)
    return case


def test_a_citizen_rates_a_finished_matter_and_finds_the_figure_in_the_open_data(
        finished_case, citizen, dog_town, open_page):
    page = open_page()
    page.goto(f"/vorgaenge/{finished_case.pk}/")  # to the login, and back
    main = page.locator("main")
    main.get_by_label("E-Mail-Adresse").fill(citizen.email)
    main.get_by_label("Passwort").fill(PASSWORD)
    with page.expect_navigation():
        main.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("heading", name="Eine Frage zum Schluss").is_visible()
    findings = findings_at_both_widths(page, "case page with the question", shot="rating")

    with page.expect_navigation():
        page.get_by_role("button", name="Antwort senden").click()  # nothing chosen
    assert "Wählen Sie, wie zufrieden Sie sind." in page.content()
    findings += findings_at_both_widths(page, "the question with an error")

    page.get_by_label("Sehr zufrieden").check()
    page.get_by_label("Was sollen wir besser machen?").fill(
        "Alles gut, nur die Hundemarke kam spät.")
    with page.expect_navigation():
        page.get_by_role("button", name="Antwort senden").click()
    assert "Danke für Ihre Antwort" in page.content()
    assert "Eine Frage zum Schluss" not in page.content()
    assert not findings, "\n\n".join(findings)

    with authority_context(dog_town):  # the nightly refresh of the automatic datasets
        refresh_automatic_datasets()
    page.goto("/daten/zufriedenheit/")
    row = page.locator("table tr", has_text="Hund anmelden")
    assert row.count() == 1
    cells = row.inner_text()
    month = timezone.localdate().strftime("%Y-%m")
    assert month in cells and ("4,7" in cells or "4.7" in cells), cells
    page.goto("/")
    assert "4,7 von 5 im Durchschnitt der letzten 12 Monate" in page.content()
