"""The pages test_accessibility.py does not reach pass axe-core too: Leichte Sprache (in
the German and the English interface), the office's work basket, case page and failed
background work with something in them, and the components page; on a desktop and on a
phone, in light and dark mode, without scrolling sideways."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from tests.factories import (
    DOG_SERVICE,
    _failed_task,
    current_totp,
    departments_of,
    make_case,
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


@pytest.mark.parametrize("language", ["de", "en"])
def test_office_pages_and_the_components_page_pass_axe(language, dog_town, citizen,
                                                        settings, open_page):
    with authority_context(dog_town):
        case = make_case(citizen)
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
    expect(page.locator("main table")).to_be_visible()
    assert not findings, "\n\n".join(findings)
