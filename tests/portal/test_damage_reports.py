"""Schaden melden: the form (preselected from a tree's link, refusals on their fields, a
double submit making one report), and the status page the reporter's link opens.

Texts are compared through gettext in German, so the tests read the page's words in
the language the page speaks (English until the German catalogue has the msgids)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from rathaus.assets import services
from rathaus.assets.models import Asset, DamageReport, WorkOrder
from rathaus.authorities.tenancy import authority_context
from tests.factories import DISTRICT_HOST, TOWN_HOST, tiny_png

FORM = "/schaden-melden/"
DESCRIPTION = "Die Schaukel hängt nur noch an einer Kette."


def german(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


@pytest.fixture
def visitor():
    return Client(HTTP_HOST=TOWN_HOST)


@pytest.fixture
def tree(cadastres, town):
    with authority_context(town):
        return Asset.objects.create(cadastre=cadastres["trees"], kind="tree", number="T-17",
                                    name="Linde am Markt", lon=7.0167, lat=51.1063)


def _key(page) -> str:
    return re.search(r'name="submission" value="([^"]+)"', page.content.decode()).group(1)


def _post(visitor, **data):
    form = {"cadastre": "playgrounds", "address": "Am Wall 3", "description": DESCRIPTION,
            "submission": _key(visitor.get(FORM))}
    return visitor.post(FORM, {**form, **data})


def _text(page) -> str:
    return unescape(page.content.decode())


def test_the_form_offers_the_towns_cadastres_and_a_photo_from_the_camera(cadastres, visitor):
    page = visitor.get(FORM)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="trees"' in html and 'value="playgrounds"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/jpeg,image/png"' in html and 'capture="environment"' in html
    assert 'name="address"' in html and 'name="lon"' in html and 'name="lat"' in html
    assert page["Cache-Control"] == "private, no-store"


def test_a_town_without_cadastres_takes_no_reports(town, visitor):
    assert visitor.get(FORM).status_code == 404


def test_a_report_leads_to_its_status_page(cadastres, town, visitor):
    sent = _post(visitor)
    assert sent.status_code == 302
    assert re.fullmatch(r"/schaden-melden/status/[\w-]{20,}/\?gesendet=1", sent["Location"])
    status = visitor.get(sent["Location"])
    assert status.status_code == 200
    text = _text(status)
    assert german("Bookmark this page or copy its link: it is the only way back to your "
                  "report. We do not know who you are and cannot send it to you again.") in text
    assert 'data-damage-state="received"' in text
    assert DESCRIPTION in text and "Am Wall 3" in text
    assert status["Cache-Control"] == "private, no-store"
    assert status["Referrer-Policy"] == "no-referrer"
    with authority_context(town):
        order = WorkOrder.objects.get()
        assert order.team == cadastres["playground_team"]
        assert order.source == WorkOrder.Source.REPORT


def test_a_double_submit_makes_one_report(cadastres, town, visitor):
    key = _key(visitor.get(FORM))
    data = {"cadastre": "trees", "address": "Am Wall 3", "description": DESCRIPTION,
            "submission": key}
    first = visitor.post(FORM, data)
    again = visitor.post(FORM, data)
    assert first["Location"] == again["Location"]
    with authority_context(town):
        assert DamageReport.objects.count() == 1
        assert WorkOrder.objects.count() == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"address": ""}, "address",
     "Tell us where the damage is: choose the place on the map or give its address."),
    ({"description": ""}, "description", "Describe the damage."),
    ({"description": "kaputt"}, "description",
     "Describe the damage in at least %(count)s characters."),
    ({"email": "keine-adresse"}, "email",
     "Enter an e-mail address such as name@example.org, or leave the field empty."),
    ({"cadastre": ""}, "cadastre", "Choose what is damaged."),
    ({"address": "", "lon": "2.35", "lat": "48.85"}, "address",
     "The place on the map lies outside the town. Choose it again or give the address."),
    ({"address": "", "lon": "sieben", "lat": "51"}, "address",
     "The place on the map could not be read. Choose it again or give the address."),
])
def test_refusals_are_told_on_their_field(cadastres, town, visitor, data, field, message):
    page = _post(visitor, **data)
    assert page.status_code == 400
    text = _text(page)
    expected = german(message) % {"count": 10} if "%(count)s" in message else german(message)
    assert expected in text
    assert f'href="#id_{field}' in text  # the error summary links to the field
    assert "data-error-summary" in text
    with authority_context(town):
        assert not DamageReport.objects.exists()


def test_a_photo_that_is_no_image_is_refused(cadastres, town, visitor):
    fake = SimpleUploadedFile("schaukel.jpg", b"%PDF-1.4 kein Bild", content_type="image/jpeg")
    page = _post(visitor, photo=fake)
    assert page.status_code == 400
    assert 'href="#id_photo"' in page.content.decode()
    with authority_context(town):
        assert not WorkOrder.objects.exists()


def test_a_photo_is_kept_with_the_work_order(cadastres, town, visitor):
    photo = SimpleUploadedFile("schaukel.png", tiny_png(), content_type="image/png")
    sent = _post(visitor, photo=photo)
    assert sent.status_code == 302
    with authority_context(town):
        report = DamageReport.objects.get()
        assert report.photo.work_order == report.work_order


def test_a_trees_link_preselects_the_tree_and_uses_its_place(tree, town, visitor):
    page = visitor.get(FORM + "?kataster=trees&objekt=T-17")
    html = _text(page)
    assert "T-17" in html and "Linde am Markt" in html
    assert 'name="asset_number" value="T-17"' in html
    sent = visitor.post(FORM, {"cadastre": "trees", "asset_number": "T-17",
                               "description": DESCRIPTION, "submission": _key(page)})
    assert sent.status_code == 302
    with authority_context(town):
        report = DamageReport.objects.get()
        assert report.asset == tree and (report.lon, report.lat) == (tree.lon, tree.lat)


def test_danger_to_people_makes_the_order_due_the_next_day(cadastres, town, visitor):
    _post(visitor, danger="on")
    with authority_context(town):
        assert WorkOrder.objects.get().deadline == timezone.localdate() + timedelta(days=1)


def test_the_status_page_says_done_with_the_date_and_no_staff_names(cadastres, town,
                                                                    visitor):
    link = _post(visitor)["Location"].split("?")[0]
    with authority_context(town):
        services.finish_work_order(actor=cadastres["inspector"],
                                   work_order=WorkOrder.objects.get(),
                                   note="Kette getauscht durch Herrn Schmitz")
    text = _text(visitor.get(link))
    assert 'data-damage-state="done"' in text
    assert f"{timezone.localdate():%d.%m.%Y}" in text
    assert "Schmitz" not in text and cadastres["inspector"].email not in text
    assert gettext("Thank you, your report has been received") not in text


def test_an_unknown_token_is_a_404(cadastres, visitor):
    page = visitor.get("/schaden-melden/status/erfunden-und-nicht-vorhanden-1234567890/")
    assert page.status_code == 404
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "no-referrer"


def test_the_status_page_shows_only_its_own_report(cadastres, town, visitor):
    first = _post(visitor)["Location"].split("?")[0]
    _post(visitor, description="Ein anderer Schaden an der Rutsche.")
    text = _text(visitor.get(first))
    assert DESCRIPTION in text and "Rutsche" not in text


def test_another_authoritys_host_does_not_open_the_report(cadastres, district, visitor):
    link = _post(visitor)["Location"].split("?")[0]
    assert Client(HTTP_HOST=DISTRICT_HOST).get(link).status_code == 404


def test_reports_are_rate_limited(cadastres, town, visitor, settings):
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "damage_report": {"client": "2/h"}}
    assert _post(visitor).status_code == 302
    assert _post(visitor).status_code == 302
    assert _post(visitor).status_code == 429
    with authority_context(town):
        assert DamageReport.objects.count() == 2


def test_typed_coordinates_with_a_decimal_comma_are_a_place(cadastres, town, visitor):
    sent = _post(visitor, address="", lon="7,0167", lat="51,1063")
    assert sent.status_code == 302
    with authority_context(town):
        assert (DamageReport.objects.get().lon, DamageReport.objects.get().lat) == (
            7.0167, 51.1063)


def test_a_refused_form_asks_for_the_photo_again(cadastres, visitor):
    photo = SimpleUploadedFile("schaukel.png", tiny_png(), content_type="image/png")
    page = _post(visitor, description="", photo=photo)
    assert page.status_code == 400
    assert 'id="photo-again"' in page.content.decode()
