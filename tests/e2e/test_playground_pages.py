"""The playgrounds' public pages in a browser: the list (with the map) and a playground
with a closed swing pass axe-core at 1280 and 360 px, in light and dark mode, and read
the same without JavaScript."""

import pytest
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from rathaus.playgrounds.demo import CLOSED, load_demo_playgrounds

from .conftest import findings_at_both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_playgrounds(cadastres, town):
    with authority_context(town):
        load_demo_playgrounds(inspector=cadastres["inspector"])


def test_the_playground_pages_pass_axe(demo_playgrounds, open_page):
    page = open_page()
    response = page.goto("/spielplaetze/")
    assert response.status == 200
    expect(page.locator("#playgrounds tbody tr")).to_have_count(15)
    expect(page.locator('#playgrounds [data-status="partly_closed"]')).to_have_count(1)
    findings = findings_at_both_widths(page, "playground list", shot="playgrounds", dark=True)

    page.locator('#playgrounds tr[data-number="SP-04"] a').click()
    expect(page.locator(f'#equipment tr[data-number="{CLOSED}"] [data-status="closed"]')
           ).to_be_visible()
    expect(page.locator("#report-damage")).to_have_attribute(
        "href", "/schaden-melden/?kataster=playgrounds&objekt=SP-04")
    findings += findings_at_both_widths(page, "playground SP-04", shot="playground", dark=True)
    assert not findings, "\n\n".join(findings)


def test_the_playground_pages_work_without_javascript(demo_playgrounds, open_page):
    page = open_page(javascript=False)
    page.goto("/spielplaetze/")
    expect(page.locator("#playgrounds tbody tr")).to_have_count(15)
    page.locator('#playgrounds tr[data-number="SP-04"] a').click()
    expect(page.locator(f'#equipment tr[data-number="{CLOSED}"] [data-status="closed"]')
           ).to_be_visible()
    assert not page.problems.take()
