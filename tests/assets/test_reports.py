"""Citizens' damage reports (assets/reports.py): a work order in the right team's list,
one transaction, photos checked by content, a place required, the reporter's link."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rathaus.assets import reports, services
from rathaus.assets.models import Asset, DamageReport, Photo, Risk, WorkOrder
from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from tests.factories import tiny_png

DESCRIPTION = "Ein großer Ast hängt abgebrochen über dem Gehweg."


@pytest.fixture
def tree(cadastres, town):
    with authority_context(town):
        return Asset.objects.create(cadastre=cadastres["trees"], kind="tree", number="T-17",
                                    name="Linde am Markt", lon=7.0167, lat=51.1063)


def _report(**overrides):
    arguments = {"cadastre_name": "trees", "description": DESCRIPTION, "lon": 7.02,
                 "lat": 51.11}
    return reports.report_damage(**{**arguments, **overrides})


def test_a_report_becomes_a_work_order_of_the_cadastres_team(cadastres, town):
    with authority_context(town):
        report, token = _report(cadastre_name="playgrounds")
        order = report.work_order
        assert order.team == cadastres["playground_team"]
        assert order.source == WorkOrder.Source.REPORT
        assert order.status == WorkOrder.Status.OPEN
        assert order.deadline == timezone.localdate() + timedelta(days=14)
        assert order.risk == Risk.NONE
        assert (order.lon, order.lat) == (7.02, 51.11)
        assert DESCRIPTION in order.description
        assert report.token_hash == reports.token_hash(token) != token
        assert len(token) >= 32
        entry = AuditEntry.objects.get(action="assets.damage_reported")
        assert entry.data["work_order"] == order.pk


def test_danger_to_people_makes_the_order_due_the_next_day(cadastres, town):
    with authority_context(town):
        report, _token = _report(danger=True)
        assert report.work_order.deadline == timezone.localdate() + timedelta(days=1)
        assert report.work_order.risk == Risk.HIGH
        assert report.work_order.team == cadastres["tree_team"]


def test_an_asset_number_gives_the_assets_point(tree, town):
    with authority_context(town):
        report, _token = _report(lon=None, lat=None, asset_number="T-17")
        assert report.asset == tree
        assert (report.lon, report.lat) == (tree.lon, tree.lat)
        assert report.work_order.asset == tree


def test_an_unknown_asset_number_is_refused(tree, town):
    with authority_context(town), pytest.raises(reports.InvalidReport) as refused:
        _report(asset_number="T-99")
    assert refused.value.field == "address"


def test_an_address_alone_is_a_place_and_the_team_reads_it(cadastres, town):
    with authority_context(town):
        report, _token = _report(lon=None, lat=None, address="Am Wall 3, Leichlingen",
                                 danger=True)
        assert report.address == "Am Wall 3, Leichlingen"
        assert report.lon is None
        order = report.work_order
        assert "Am Wall 3, Leichlingen" in order.description
        assert order.description.index("Am Wall 3") > order.description.index(DESCRIPTION)
        assert order.title.endswith(DESCRIPTION[:80]) and len(order.title) < 200


@pytest.mark.parametrize(("overrides", "field"), [
    ({"lon": None, "lat": None}, "address"),
    ({"lon": 2.35, "lat": 48.85}, "address"),  # Paris
    ({"lon": "sieben", "lat": "51"}, "address"),
    ({"description": "kaputt"}, "description"),
    ({"description": "x" * 2001}, "description"),
    ({"description": "   "}, "description"),
    ({"email": "keine-adresse"}, "email"),
    ({"cadastre_name": "cemeteries"}, "cadastre"),
])
def test_incomplete_reports_are_refused_with_a_german_reason(cadastres, town, overrides,
                                                             field):
    with authority_context(town), pytest.raises(reports.InvalidReport) as refused:
        _report(**overrides)
    assert refused.value.field == field
    assert str(refused.value)
    with authority_context(town):
        assert not WorkOrder.objects.exists()


def test_no_place_is_refused_in_german(cadastres, town):
    with authority_context(town), pytest.raises(reports.InvalidReport) as refused:
        _report(lon=None, lat=None)
    assert "Karte" in str(refused.value) or "map" in str(refused.value)


def test_a_place_far_from_the_towns_assets_is_refused(tree, town):
    with authority_context(town), pytest.raises(reports.InvalidReport):
        _report(lon=13.4, lat=52.5)  # Berlin: in Germany, but not near Leichlingen


def test_a_photo_is_stored_with_the_work_order(cadastres, town):
    with authority_context(town):
        photo = SimpleUploadedFile("ast.png", tiny_png(), content_type="image/png")
        report, _token = _report(photo=photo)
        assert report.photo.work_order == report.work_order
        assert report.photo.media_type == "image/png"


def test_a_photo_is_refused_by_its_content_and_nothing_is_saved(cadastres, town):
    with authority_context(town):
        fake = SimpleUploadedFile("ast.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        with pytest.raises(reports.InvalidReport) as refused:
            _report(photo=fake)
        assert refused.value.field == "photo"
        assert not WorkOrder.objects.exists()
        assert not DamageReport.objects.exists()
        assert not Photo.objects.exists()
        assert not AuditEntry.objects.filter(action="assets.damage_reported").exists()


def test_the_same_form_sent_twice_makes_one_report_with_the_same_link(cadastres, town,
                                                                      mailoutbox):
    with authority_context(town):
        key = reports.new_submission_key()
        first, token = _report(submission_key=key, email="ast@example.org",
                               link_for=lambda t: f"https://x.example/{t}/")
        again, token_again = _report(submission_key=key, email="ast@example.org",
                                     link_for=lambda t: f"https://x.example/{t}/")
        assert again.pk == first.pk and token_again == token
        assert WorkOrder.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_email_gets_the_link_and_is_stored_nowhere(cadastres, town, mailoutbox):
    with authority_context(town):
        report, token = _report(email="ast@example.org",
                                link_for=lambda t: f"https://x.example/status/{t}/")
        entries = list(AuditEntry.objects.values_list("data", flat=True))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ast@example.org"]
    assert f"https://x.example/status/{token}/" in mailoutbox[0].body
    assert "ast@example.org" not in str(entries)
    assert "ast@example.org" not in str(DamageReport.all_authorities.values().get(pk=report.pk))


def test_the_status_is_found_by_the_token_only(cadastres, town):
    with authority_context(town):
        report, token = _report()
        assert reports.report_status(token) == report
        assert reports.report_status(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert reports.report_status(report.token_hash) is None
        assert reports.report_status("") is None


def test_the_status_follows_the_work_order(cadastres, town):
    with authority_context(town):
        report, _token = _report()
        assert reports.status_of(report).state == "received"
        late = report.work_order.deadline + timedelta(days=1)
        assert reports.status_of(report, today=late).state == "in_progress"
        services.finish_work_order(actor=cadastres["inspector"], work_order=report.work_order,
                                   note="Ast entfernt, Baumpfleger Müller")
        report.work_order.refresh_from_db()
        status = reports.status_of(report)
        assert status.state == "done"
        assert status.done_on == timezone.localdate()


def test_a_report_is_not_found_on_another_authoritys_host(cadastres, town, district):
    with authority_context(town):
        _report_row, token = _report()
    with authority_context(district):
        assert reports.report_status(token) is None


def test_the_cadastres_offered_are_the_authoritys(cadastres, town, district):
    with authority_context(town):
        assert [name for name, _label in reports.reportable_cadastres()] == [
            "trees", "playgrounds"]
    with authority_context(district):
        assert reports.reportable_cadastres() == []


def test_two_sendings_at_the_same_moment_make_one_report(cadastres, town, monkeypatch):
    """The second sending passed the check for an earlier report before the first was
    saved: the unique token hash refuses its rows and it answers with the first."""
    with authority_context(town):
        key = reports.new_submission_key()
        first, token = _report(submission_key=key)
        looked_up = []
        real_earlier = reports._earlier

        def missed_once(hashed):
            looked_up.append(hashed)
            return None if len(looked_up) == 1 else real_earlier(hashed)

        monkeypatch.setattr(reports, "_earlier", missed_once)
        again, token_again = _report(submission_key=key)
        assert (again.pk, token_again) == (first.pk, token)
        assert WorkOrder.objects.count() == 1
        assert len(looked_up) == 2
