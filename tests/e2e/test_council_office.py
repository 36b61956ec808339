"""The Sitzungsdienst in the browser (desktop): plans a council meeting, adds a public
item with a public paper and a non-public item with a non-public paper, invites, and
sees the state; every page of the Sitzungsdienst has no axe violations (and none at
phone width)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rathaus.authorities.tenancy import authority_context
from rathaus.council.models import Meeting, MemberMessage, Paper
from tests.council.conftest import build_council
from tests.factories import current_totp

from .conftest import findings_at_both_widths, screenshot, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASE = "/verwaltung/sitzungsdienst/"


def test_planning_a_meeting_building_its_agenda_and_inviting(open_page, town):
    w = build_council(town)
    with authority_context(town):
        secret = Paper.objects.create(reference="V/2026/0050", name="Ankauf Grundstück Hof 4",
                                      paper_type=Paper.Type.PROPOSAL, public=False,
                                      date=timezone.localdate())
    page = open_page()
    page.goto(f"/verwaltung/anmelden/?next={BASE}")
    submit_staff_login(page, code=current_totp(w.clerk_device), email=w.clerk.email)
    expect(page).to_have_url(re.compile(re.escape(BASE) + "$"))
    findings = findings_at_both_widths(page, "overview")

    page.locator(f"nav a[href='{BASE}sitzungen/']").click()
    page.locator("#id_meeting-organization").select_option(str(w.council.pk))
    start = timezone.localtime(timezone.now() + timedelta(days=21)).replace(hour=17, minute=0)
    page.locator("#id_meeting-start").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("h1")).to_have_text("Sitzung des Rat der Stadt Leichlingen")

    page.locator("#id_item-name").fill("Sanierung der Turnhalle")
    page.locator("#id_item-papers").select_option(str(w.public_paper.pk))
    page.locator("form[action$='/punkte/'] button[type=submit]").click()
    page.locator("#id_item-name").fill("Ankauf eines Grundstücks")
    page.locator("label[for=id_item-public_1]").click()
    page.locator("#id_item-papers").select_option(str(secret.pk))
    page.locator("form[action$='/punkte/'] button[type=submit]").click()
    agenda = page.locator("#tagesordnung + ol")
    expect(agenda.locator("li").nth(0)).to_contain_text("TOP Ö 1")
    expect(agenda.locator("li").nth(1)).to_contain_text("TOP N 1")
    findings += findings_at_both_widths(page, "meeting, planned")

    page.locator("form[action$='/einladen/'] button[type=submit]").click()
    # "Eingeladen, Tagesordnung veröffentlicht" (English until the texts are translated)
    expect(page.get_by_test_id("meeting-state")).to_contain_text(
        re.compile("eingeladen|invited", re.IGNORECASE))
    screenshot(page, "council-office-meeting-invited")
    findings += findings_at_both_widths(page, "meeting, invited")
    with authority_context(town):
        meeting = Meeting.objects.get(organization=w.council, state=Meeting.State.INVITED,
                                      start__gt=timezone.now() + timedelta(days=20))
        assert meeting.agenda_published_at is not None
        assert MemberMessage.objects.filter(meeting=meeting, person=w.clara).count() == 1
        secret.refresh_from_db()
        assert secret.released_at is not None and not secret.public

    for path in ("vorlagen/", f"vorlagen/{secret.pk}/", "gremien/", f"gremien/{w.council.pk}/",
                 "personen/", f"personen/{w.clara.pk}/", "orte-und-wahlperioden/"):
        page.goto(BASE + path)
        findings += findings_at_both_widths(page, path)
    assert not findings, "\n".join(findings)
