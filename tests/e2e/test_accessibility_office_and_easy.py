"""The pages test_accessibility.py does not reach pass axe-core too: Leichte Sprache (in
the German and the English interface), the office's work basket, case page and failed
background work (a failed task and a failed hand-over) with something in them, and the
components page; on a desktop and on a phone, in light and dark mode, without scrolling
sideways. So do the resident register's search and a person's entry."""

import re
import uuid
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from rathaus.handover.models import Submission
from rathaus.residents.models import Dwelling
from rathaus.residents.services import Newcomer, file_objection, move_within, register_move_in
from tests.factories import (
    DOG_SERVICE,
    _failed_task,
    current_totp,
    departments_of,
    make_case,
    make_department,
    make_staff,
)

from .conftest import STAFF_EMAIL, findings_at_both_widths, submit_staff_login, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EASY_PAGES = ["/leichte-sprache/", f"/leistungen/{DOG_SERVICE}/leichte-sprache/"]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.usefixtures("dog_town")
def test_leichte_sprache_pages_pass_axe(language, open_page):
    page = open_page()
    page.goto("/")
    if language != "de":
        switch_language(page, language)
    findings = []
    for path in EASY_PAGES:
        assert page.goto(path).status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        # The Leichte Sprache itself is German whatever the interface's language.
        expect(page.locator("main .easy-language")).to_have_attribute("lang", "de")
        findings += findings_at_both_widths(page, f"{language} {path}",
                                            shot=f"{language}-easy{path.count('/')}",
                                            dark=language == "de")
    assert not findings, "\n\n".join(findings)


def _failed_hand_over() -> Submission:
    """A hand-over from the Kreis that could not be opened, as the failed background work
    page lists it."""
    submission_id = uuid.uuid4()
    return Submission.objects.create(
        direction=Submission.Direction.INCOMING, submission_id=submission_id,
        service_id="fahrzeug-zulassen", reference="GL-2026-000123", counterpart_slug="rbk",
        counterpart_name="Rheinisch-Bergischer Kreis", metadata={}, state="failed",
        failure=Submission.Failure.UNDECRYPTABLE,
        failure_detail="data: InvalidJWEData: No recipient matched the provided key",
        finished_at=timezone.now())


@pytest.mark.parametrize("language", ["de", "en"])
def test_office_pages_and_the_components_page_pass_axe(language, dog_town, citizen,
                                                        settings, open_page):
    with authority_context(dog_town):
        case = make_case(citizen)
        _failed_hand_over()
    _failed_task(settings, dog_town)
    steueramt = departments_of(dog_town)["steueramt"]
    _lead, device = make_staff(dog_town, departments=[steueramt], email=STAFF_EMAIL,
                               role="team_lead")

    page = open_page()
    page.goto("/verwaltung/anmelden/")
    if language != "de":
        switch_language(page, language)
    submit_staff_login(page, code=current_totp(device))
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))

    findings = []
    for name, path in [("basket", "/verwaltung/"),
                       ("case", f"/verwaltung/vorgaenge/{case.pk}/"),
                       ("failed-tasks", "/verwaltung/hintergrund/"),
                       ("components", "/verwaltung/komponenten/")]:
        assert page.goto(path).status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        findings += findings_at_both_widths(page, f"{language} office {name}",
                                            shot=f"{language}-office-{name}",
                                            dark=language == "de")
    # Something to see on each: the case in the basket, the failed task, a question
    # of every field type.
    page.goto("/verwaltung/")
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    page.goto("/verwaltung/hintergrund/")
    expect(page.locator("main table")).to_have_count(2)
    assert not findings, "\n\n".join(findings)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_resident_register_pages_pass_axe(language, town, open_page):
    buergerbuero = make_department(town, slug="buergerbuero", name="Bürgerbüro")
    clerk, device = make_staff(town, departments=[buergerbuero], email=STAFF_EMAIL)
    with authority_context(town):
        def dwelling(street, key):
            return Dwelling.objects.create(street=street, street_key=key, house_number="4",
                                           postcode="42799", place="Leichlingen")
        moved = register_move_in(
            actor=clerk, dwelling=dwelling("Marktstraße", "01210"),
            moved_in=date(2019, 4, 1), kind="main", household=[
                Newcomer(family_name="Müller", given_names="Jürgen",
                         date_of_birth=date(1970, 5, 6), place_of_birth="Köln", sex="m"),
                Newcomer(family_name="Müller", given_names="Grete",
                         date_of_birth=date(1972, 8, 9), place_of_birth="Solingen", sex="w",
                         relationship="spouse")])
        move_within(actor=clerk, household=moved.household,
                    dwelling=dwelling("Brückenstraße", "00340"), moved_in=date(2025, 7, 1))
        person = moved.started[0].person
        file_objection(actor=clerk, person=person, objection="address_books",
                       filed_on=date(2024, 6, 1))

    page = open_page()
    page.goto("/verwaltung/anmelden/")
    if language != "de":
        switch_language(page, language)
    submit_staff_login(page, code=current_totp(device))
    findings = []
    for name, path in [("register-search", "/verwaltung/melderegister/"),
                       ("register-found", "/verwaltung/melderegister/?family_name=Mueller"),
                       ("register-person", f"/verwaltung/melderegister/personen/{person.pk}/")]:
        assert page.goto(path).status == 200, path
        findings += findings_at_both_widths(page, f"{language} office {name}",
                                            shot=f"{language}-office-{name}",
                                            dark=language == "de")
    # The register is in the navigation, the search lists both, the entry its history.
    page.goto("/verwaltung/melderegister/?family_name=Mueller")
    expect(page.locator("header").get_by_role("link", name=re.compile(
        "Melderegister|Resident register"))).to_have_attribute("aria-current", "page")
    expect(page.locator("main tbody tr")).to_have_count(2)
    page.goto(f"/verwaltung/melderegister/personen/{person.pk}/")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    assert not findings, "\n\n".join(findings)
