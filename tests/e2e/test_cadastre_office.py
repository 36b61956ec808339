"""The cadastres' office pages in a browser: the overview, a closed tree with its
inspection, finding, photo, work order and history, the due list with its plan and the
extra inspections pass axe-core at 1280 and 360 px without sideways scrolling; the
change form works without JavaScript."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from rathaus.assets import services
from rathaus.assets.models import Asset, AssetRevision, Risk, ScheduledInspection
from rathaus.authorities.tenancy import authority_context

from .conftest import findings_at_both_widths, log_in_as_inspector

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 110, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile("baum.jpg", buffer.getvalue(), content_type="image/jpeg")


def _trees(cadastres, town):
    inspector = cadastres["inspector"]
    with authority_context(town):
        trees = [services.create_asset(
            actor=inspector, cadastre=cadastres["trees"], kind="tree", number=f"B-{n}",
            name="Winterlinde am Markt" if n == 1 else "", lon=7.01 + n / 1000, lat=51.1,
            attributes={"height": "18,5", "street": "Am Markt" if n % 2 else "Brückenstraße",
                        "planting_year": "1960"}) for n in range(1, 8)]
        services.record_inspection(
            actor=inspector, asset=trees[0], client_id=uuid.uuid4(), kind="regular",
            inspected_at=timezone.now(), seen_version=trees[0].version,
            notes="Pilzbefall am Stammfuß", photos=[_photo()],
            findings=[services.NewFinding("Stämmling mit Riss", Risk.VERY_HIGH, "Fällen")])
        for asset, days in ((trees[2], -4), *((tree, 9) for tree in trees[3:])):
            due_on = timezone.localdate() + timedelta(days=days)
            ScheduledInspection.objects.filter(asset=asset).update(due_on=due_on)
            Asset.objects.filter(pk=asset.pk).update(next_due=due_on)
    return trees


def _log_in(page, cadastres):
    log_in_as_inspector(page, cadastres)


def test_the_cadastre_pages_pass_axe_at_both_widths(cadastres, town, open_page):
    trees = _trees(cadastres, town)
    page = open_page()
    _log_in(page, cadastres)
    findings = []
    page.goto("/verwaltung/kataster/")
    findings += findings_at_both_widths(page, "cadastre overview", shot="cadastre-overview")
    page.goto(f"/verwaltung/kataster/objekt/{trees[0].pk}/")
    assert "Stämmling mit Riss" in page.locator("main").inner_text()
    assert page.locator("#closed").count() == 1
    # The thumbnail is the photo itself, streamed to its keeper.
    assert page.locator("img.cadastre-photo").evaluate("img => img.naturalWidth") == 64
    findings += findings_at_both_widths(page, "asset page", shot="cadastre-asset")
    page.goto("/verwaltung/kataster/trees/faellig/")
    assert page.locator("main table.kern-table--striped tbody tr").count() == 5  # 4 weeks
    findings += findings_at_both_widths(page, "due list", shot="cadastre-due")
    page.goto("/verwaltung/kataster/trees/")
    findings += findings_at_both_widths(page, "asset list", shot="cadastre-assets")
    page.goto("/verwaltung/kataster/trees/sonderkontrollen/")
    findings += findings_at_both_widths(page, "extra inspections", shot="cadastre-extra")
    page.goto("/verwaltung/kataster/auftraege/")
    findings += findings_at_both_widths(page, "work orders", shot="cadastre-orders")
    assert not findings, "\n\n".join(findings)


def test_an_asset_is_changed_without_javascript(cadastres, town, open_page):
    trees = _trees(cadastres, town)
    page = open_page(javascript=False)
    _log_in(page, cadastres)
    page.goto(f"/verwaltung/kataster/objekt/{trees[1].pk}/")
    page.fill("#id_attr_height", "19,0")
    page.fill("#id_reason", "Nachmessung")
    with page.expect_navigation():
        page.locator("form[action$='/aendern/'] button[type=submit]").click()
    with authority_context(town):
        assert Asset.objects.get(pk=trees[1].pk).attributes["height"] == 19.0
        assert AssetRevision.objects.filter(asset=trees[1]).first().reason == "Nachmessung"
    # A change without its reason is refused with the error summary, nothing saved.
    page.fill("#id_attr_height", "25")
    with page.expect_navigation():
        page.locator("form[action$='/aendern/'] button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    with authority_context(town):
        assert Asset.objects.get(pk=trees[1].pk).attributes["height"] == 19.0
