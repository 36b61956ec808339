"""The public council information on a phone (360 px): a citizen opens /ratsinfo/, the
calendar, the next meeting, a paper and the search, without logging in and without
JavaScript needed; every page has no axe violations and does not scroll sideways."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.council.conftest import build_council

from .conftest import PHONE, assert_page_ok, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(town):
    return build_council(town)


def test_a_citizen_follows_the_council_on_a_phone(open_page, world):
    page = open_page(viewport=PHONE)
    page.goto("/")
    page.get_by_role("link", name=re.compile("Sitzungen|Meetings, agendas")).click()
    expect(page).to_have_url(re.compile(r"/ratsinfo/$"))
    assert_page_ok(page, "council start page")
    screenshot(page, "council-public-home")

    page.locator(".council-nav").get_by_role("link", name=re.compile("Sitzungen|Meetings")).click()
    expect(page).to_have_url(re.compile(r"/ratsinfo/sitzungen/$"))
    assert_page_ok(page, "meeting calendar")
    screenshot(page, "council-public-calendar")
    month = timezone.localtime(world.upcoming.start).strftime("%Y-%m")
    page.goto(f"/ratsinfo/sitzungen/?monat={month}")
    page.locator(f"a[href$='{world.upcoming.uuid}/']").first.click()
    expect(page.locator("h1")).to_have_text(world.upcoming.name)
    expect(page.locator(".council-agenda__closed")).to_have_count(1)
    assert world.secret_item.name not in page.content()
    assert_page_ok(page, "meeting page")
    screenshot(page, "council-public-meeting")

    page.locator(f"a[href$='{world.public_paper.uuid}/']").first.click()
    expect(page.locator("h1")).to_have_text(world.public_paper.name)
    assert_page_ok(page, "paper page")
    screenshot(page, "council-public-paper")

    page.locator(".council-nav").get_by_role("link", name=re.compile("Vorlagen|papers")).click()
    page.locator("#id_q").fill("Turnhalle")
    page.locator("#id_q").press("Enter")
    expect(page.locator(".council-hits__item")).to_have_count(1)
    assert_page_ok(page, "search results")
    screenshot(page, "council-public-search")

    page.goto(f"/ratsinfo/gremien/{world.committee.pk}/")
    assert_page_ok(page, "body page")
    screenshot(page, "council-public-body")
    page.goto("/ratsinfo/personen/")
    assert_page_ok(page, "persons")


def test_the_pages_work_without_javascript(open_page, world):
    page = open_page(viewport=PHONE, javascript=False)
    page.goto("/ratsinfo/suche/?q=Turnhalle")
    expect(page.locator(".council-hits__item")).to_have_count(1)
    page.goto(f"/ratsinfo/sitzungen/{world.upcoming.uuid}/")
    expect(page.locator(".council-agenda__item")).to_have_count(2)
