"""The Friedhofsverwaltung's pages in a browser: the clerk opens the overview, a field's
plan and a grave from it, extends the grave's right of use; the pages pass axe-core at
1280 px (and at 360 px without sideways scrolling)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import rules, services
from rathaus.cemeteries.models import GraveKind, RightOfUse
from tests.cemeteries.conftest import CLERK_EMAIL, HOLDER, make_cemetery_world
from tests.factories import current_totp

from .conftest import findings_at_both_widths, submit_staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world(town):
    world = make_cemetery_world(town)
    grave = world["graves"][GraveKind.CHOICE][0]
    ends_on = timezone.localdate() + timedelta(days=120)
    with authority_context(town):
        right = services.grant_right(
            actor=world["clerk"], grave=grave, holder=HOLDER,
            starts_on=rules.add_years(ends_on, -world["types"][GraveKind.CHOICE].right_years))
        RightOfUse.objects.filter(pk=right.pk).update(ends_on=ends_on)
    return world, grave, right


def test_the_clerk_finds_a_grave_on_the_plan_and_extends_its_right(town, open_page):
    world, grave, right = _world(town)
    page = open_page()
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=current_totp(world["device"]), email=CLERK_EMAIL)
    findings = []

    page.goto("/verwaltung/friedhof/")
    assert page.locator("[data-figure=rights_ending]").inner_text().strip() == "1"
    findings += findings_at_both_widths(page, "cemetery overview", shot="cemetery-overview")

    page.locator(f"a[href='/verwaltung/friedhof/feld/{world['field'].pk}/']").first.click()
    page.wait_for_load_state()
    assert page.locator("svg.cemetery-plan a").count() == 12
    findings += findings_at_both_widths(page, "field plan", shot="cemetery-field")

    page.locator(f"svg.cemetery-plan a[href='/verwaltung/friedhof/grab/{grave.pk}/']").click()
    page.wait_for_load_state()
    assert HOLDER.name in page.locator("main").inner_text()
    findings += findings_at_both_widths(page, "grave page", shot="cemetery-grave")

    page.goto("/verwaltung/friedhof/nutzungsrechte/")
    findings += findings_at_both_widths(page, "rights ending", shot="cemetery-rights")
    page.goto(f"/verwaltung/friedhof/friedhof/{world['cemetery'].pk}/satzung/")
    findings += findings_at_both_widths(page, "bylaw", shot="cemetery-bylaw")

    page.goto(f"/verwaltung/friedhof/grab/{grave.pk}/")
    page.fill("#id_years", "99")
    with page.expect_navigation():
        page.locator("form[action$='/verlaengern/'] button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1  # beyond the bylaw: refused
    findings += findings_at_both_widths(page, "extension refused", shot="cemetery-refused")
    page.fill("#id_years", "10")
    with page.expect_navigation():
        page.locator("form[action$='/verlaengern/'] button[type=submit]").click()
    assert "600,00" in page.locator("main").inner_text()
    with authority_context(town):
        assert right.extensions.count() == 1
    assert not findings, "\n\n".join(findings)
