"""The public grave search in the browser on the demo's cemeteries: the empty form, a
grave found, a question too vague, and the answer for somebody hidden (the same as for
nobody); each page passes axe-core at 1280 and 360 px and fits a phone. Without
JavaScript the search works too (a plain GET form)."""

import re

import pytest
from playwright.sync_api import expect

from tests.cemeteries.conftest import make_demo_cemeteries

from .conftest import findings_at_both_widths
from .test_accessibility import fits_a_phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _search(page, *, last: str, first: str = "", year: str = "") -> None:
    page.fill("#id_nachname", last)
    page.fill("#id_vorname", first)
    page.fill("#id_sterbejahr", year)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_searching_a_grave_by_name(town, open_page):
    make_demo_cemeteries(town)
    page, findings = open_page(), []

    def audit(name):
        findings.extend(findings_at_both_widths(page, name, shot=f"grave-search-{name}"))
        findings.extend(fits_a_phone(page, name))

    page.goto("/grabsuche/")
    expect(page.locator("h1")).to_have_text(re.compile("^(Grabsuche|Find a grave)$"))
    audit("empty")
    _search(page, last="Pützhofen", first="Elisabeth")
    expect(page.locator("main")).to_contain_text("Elisabeth Pützhofen")
    expect(page.locator("main")).to_contain_text("Friedhof Witzhelden")
    audit("found")
    _search(page, last="Kortenbach")
    expect(page.locator("main")).not_to_contain_text("Wilhelm Kortenbach")
    audit("too-vague")
    _search(page, last="Rautenbach", first="Helene")
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("FH-0")
    audit("none")
    assert not findings, "\n\n".join(findings)


def test_the_search_works_without_javascript(town, open_page):
    make_demo_cemeteries(town)
    page = open_page(javascript=False)
    page.goto("/grabsuche/")
    _search(page, last="halfmann", first="Gertrud")
    expect(page.locator("main")).to_contain_text("Gertrud Halfmann")
