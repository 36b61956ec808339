"""Schaden melden in a browser: on a phone a citizen reports broken playground equipment
with a photo, follows the link and sees the report received; once the team has finished
the work order the same link says done. The form (with and without errors) and the
status page pass axe-core at 360 and 1280 px; the form works without JavaScript."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from rathaus.assets import services
from rathaus.assets.models import Asset, WorkOrder
from rathaus.authorities.tenancy import authority_context
from tests.factories import tiny_png

from .conftest import PHONE, findings_at_both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Die Schaukel hängt nur noch an einer Kette, die andere ist gerissen."


def german(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


def send(page):
    with page.expect_navigation():
        page.locator("form[data-damage-report] button[type=submit]").click()


def test_a_citizen_reports_damage_and_follows_it_to_done(cadastres, town, open_page, tmp_path):
    page = open_page(viewport=PHONE)
    page.goto("/schaden-melden/")
    findings = findings_at_both_widths(page, "damage report form", shot="damage-report")
    page.set_viewport_size(PHONE)
    send(page)  # nothing filled in: the error summary
    assert page.locator("[data-error-summary]").is_visible()
    findings += findings_at_both_widths(page, "damage report form with errors")
    page.set_viewport_size(PHONE)
    page.locator("input[name=cadastre][value=playgrounds]").check()
    page.locator("#id_address").fill("Spielplatz Am Wall, Eingang Brückenstraße")
    page.locator("#id_description").fill(DESCRIPTION)
    page.locator("#id_danger").check()
    photo = tmp_path / "schaukel.png"
    photo.write_bytes(tiny_png())
    page.locator("#id_photo").set_input_files(str(photo))
    send(page)

    assert re.search(r"/schaden-melden/status/[\w-]{20,}/\?gesendet=1$", page.url)
    link = page.locator("#status-link").input_value()
    assert link.startswith("http") and "gesendet" not in link
    page.goto(link)  # the link, as bookmarked
    assert page.locator("[data-damage-state=received]").is_visible()
    assert german("Received") in page.locator("[data-damage-state]").inner_text()
    assert DESCRIPTION in page.content()
    findings += findings_at_both_widths(page, "damage report status", shot="damage-status")

    with authority_context(town):
        order = WorkOrder.objects.get()
        assert order.team == cadastres["playground_team"]
        assert order.photos.count() == 1
        services.finish_work_order(actor=cadastres["inspector"], work_order=order,
                                   note="Kette erneuert.")
    page.reload()
    assert page.locator("[data-damage-state=done]").is_visible()
    assert f"{timezone.localdate():%d.%m.%Y}" in page.locator(
        ".damage-status__explanation").inner_text()
    findings += findings_at_both_widths(page, "damage report done")
    assert not findings, "\n\n".join(findings)


def test_the_form_works_without_javascript(cadastres, town, open_page):
    page = open_page(viewport=PHONE, javascript=False)
    page.goto("/schaden-melden/?kataster=trees")
    assert page.locator("input[name=cadastre][value=trees]").is_checked()
    page.locator("#id_address").fill("Marktstraße 17")
    page.locator("#id_description").fill("Ein großer Ast hängt über dem Gehweg.")
    send(page)
    assert page.locator("[data-damage-state=received]").is_visible()
    with authority_context(town):
        assert WorkOrder.objects.get().team == cadastres["tree_team"]
    assert not page.problems.take()


def test_a_place_chosen_on_the_map_is_the_reports_place(cadastres, town, open_page):
    with authority_context(town):
        Asset.objects.create(cadastre=cadastres["trees"], kind="tree", number="T-1",
                             lon=7.0167, lat=51.1063)
    page = open_page()
    page.goto("/schaden-melden/?kataster=trees")
    map_area = page.locator("[data-map][data-map-ready]")
    map_area.wait_for()
    box = map_area.bounding_box()
    map_area.click(position={"x": box["width"] / 2 + 30, "y": box["height"] / 2 + 30})
    page.wait_for_function("() => document.querySelector('#id_lon').value !== ''")
    page.locator("#id_description").fill("Ein großer Ast hängt über dem Gehweg.")
    send(page)
    assert page.locator("[data-damage-state=received]").is_visible()
    with authority_context(town):
        order = WorkOrder.objects.get()
        assert abs(order.lon - 7.0167) < 0.01 and abs(order.lat - 51.1063) < 0.01
    assert not page.problems.take()
