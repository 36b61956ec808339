"""The cadastres' office pages (/verwaltung/kataster/): what the keepers of a cadastre
see and change, what a clerk of another department is not shown (404), and the forms'
refusals. A small kind of tree of its own is registered for these tests."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rathaus.assets import services
from rathaus.assets.kinds import KINDS, AssetKind, Attribute, InspectionKind
from rathaus.assets.models import (
    Asset,
    AssetRevision,
    Photo,
    Risk,
    ScheduledInspection,
    WorkOrder,
)
from rathaus.authorities.tenancy import authority_context
from tests.factories import make_staff, office_client, tiny_png

KIND = "office_test_tree"


def _yearly(asset, inspection, today):
    return {"regular": today + timedelta(days=365)}


TEST_TREE = AssetKind(
    name=KIND, cadastre="trees", label="Testbaum", label_plural="Testbäume",
    inspection_kinds=(InspectionKind("regular", "Regelkontrolle"),
                      InspectionKind("storm", "Sturmkontrolle", regular=False)),
    next_inspections=_yearly,
    attributes=(Attribute("height", "Höhe (m)", "decimal", minimum=0, maximum=60),
                Attribute("street", "Straße", "text"),
                Attribute("crown", "Krone", "choice", choices=(("wide", "breit"),
                                                               ("narrow", "schmal")))),
    conditions=(("healthy", "gesund"), ("damaged", "geschädigt")),
)


@pytest.fixture(autouse=True)
def _test_tree_kind():
    if KIND not in KINDS:
        KINDS.register(KIND, TEST_TREE)


@pytest.fixture
def keeper(cadastres):
    return office_client(cadastres["inspector"], cadastres["device"])


@pytest.fixture
def stranger(town):
    """A clerk of the Steueramt, which keeps no cadastre and has no team."""
    from rathaus.authorities.models import Department

    with authority_context(town):
        steueramt = Department.objects.create(slug="steuern", name="Steueramt")
    user, device = make_staff(town, departments=[steueramt], email="fremd@leichlingen.example")
    return office_client(user, device)


def _tree(cadastres, town, number="T-1", *, street="Am Markt", lon=7.01, lat=51.1,
          **attributes):
    with authority_context(town):
        return services.create_asset(
            actor=cadastres["inspector"], cadastre=cadastres["trees"], kind=KIND,
            number=number, name=f"Linde {number}", lon=lon, lat=lat,
            attributes={"height": "12,5", "street": street, **attributes})


def _inspect(cadastres, town, asset, *, findings=(), photos=()):
    with authority_context(town):
        return services.record_inspection(
            actor=cadastres["inspector"], asset=asset, client_id=uuid.uuid4(),
            kind="regular", inspected_at=timezone.now(), condition="damaged",
            seen_version=Asset.objects.get(pk=asset.pk).version, notes="Rinde lose",
            findings=list(findings), photos=list(photos))


def _due(asset, due_on):
    """Plan the asset's regular inspection for `due_on` (and its next_due with it)."""
    ScheduledInspection.objects.filter(asset=asset).update(due_on=due_on)
    Asset.objects.filter(pk=asset.pk).update(next_due=due_on)


def _png_upload(name="foto.png"):
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


# --- Overview -------------------------------------------------------------------------

def test_the_overview_counts_what_the_keepers_cadastres_hold(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    _inspect(cadastres, town, tree, findings=[
        services.NewFinding("Stämmling angebrochen", Risk.VERY_HIGH, "Fällen")])
    with authority_context(town):
        _due(tree, timezone.localdate() - timedelta(days=3))
    response = keeper.get("/verwaltung/kataster/")
    assert response.status_code == 200
    (trees,) = [entry for entry in response.context["cadastres"]
                if entry["cadastre"].name == "trees"]
    assert trees["figures"] == {"assets": 1, "closed": 1, "overdue": 1, "due_soon": 0,
                                "open_orders": 1, "overdue_orders": 0, "conflicts": 0}
    page = response.content.decode()
    assert 'href="/verwaltung/kataster/trees/faellig/"' in page
    assert 'href="/verwaltung/kontrolle/"' in page
    assert 'href="/verwaltung/kataster/import/"' in page
    # The office's navigation shows the way here to those who keep a cadastre.
    assert 'href="/verwaltung/kataster/" aria-current="page"' in page


def test_the_navigation_leaves_out_the_cadastres_for_others(stranger):
    page = stranger.get("/verwaltung/posteingang/").content.decode()
    assert 'href="/verwaltung/kataster/"' not in page


def test_anonymous_visitors_are_sent_to_the_staff_login(client, cadastres, town):
    tree = _tree(cadastres, town)
    for path in ("/verwaltung/kataster/", "/verwaltung/kataster/trees/",
                 f"/verwaltung/kataster/objekt/{tree.pk}/",
                 "/verwaltung/kataster/trees/faellig/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/verwaltung/anmelden/")


def test_a_clerk_of_another_department_finds_nothing_of_the_cadastre(
        stranger, cadastres, town):
    tree = _tree(cadastres, town)
    recorded = _inspect(cadastres, town, tree, photos=[_png_upload()], findings=[
        services.NewFinding("Totholz", Risk.MEDIUM, "Totholz entfernen")])
    (order,) = recorded.work_orders
    with authority_context(town):
        photo = Photo.objects.get(inspection=recorded.inspection)
    for path in ("/verwaltung/kataster/", "/verwaltung/kataster/trees/",
                 f"/verwaltung/kataster/objekt/{tree.pk}/",
                 "/verwaltung/kataster/trees/faellig/",
                 "/verwaltung/kataster/trees/faellig.csv",
                 "/verwaltung/kataster/trees/sonderkontrollen/",
                 "/verwaltung/kataster/auftraege/",
                 f"/verwaltung/kataster/auftraege/{order.pk}/",
                 f"/verwaltung/kataster/foto/{photo.pk}/",
                 "/verwaltung/kataster/gibt-es-nicht/"):
        assert stranger.get(path).status_code == 404, path
    response = stranger.post(f"/verwaltung/kataster/objekt/{tree.pk}/aendern/",
                             {"name": "Eiche", "reason": "weil"})
    assert response.status_code == 404
    response = stranger.post(f"/verwaltung/kataster/auftraege/{order.pk}/erledigt/",
                             {"note": "erledigt"})
    assert response.status_code == 404
    with authority_context(town):
        assert WorkOrder.objects.get(pk=order.pk).status == WorkOrder.Status.OPEN


# --- Assets ---------------------------------------------------------------------------

def test_assets_are_found_by_number_name_and_street_and_filtered(keeper, cadastres, town):
    _tree(cadastres, town, "T-1", street="Am Markt")
    _tree(cadastres, town, "T-2", street="Bahnhofstraße")
    closed = _tree(cadastres, town, "T-3", street="Bahnhofstraße")
    with authority_context(town):
        Asset.objects.filter(pk=closed.pk).update(status=Asset.Status.CLOSED)

    def numbers(query):
        response = keeper.get("/verwaltung/kataster/trees/", query)
        assert response.status_code == 200
        return [asset.number for asset in response.context["page"].object_list]

    assert numbers({}) == ["T-1", "T-2", "T-3"]
    assert numbers({"q": "bahnhof"}) == ["T-2", "T-3"]
    assert numbers({"q": "T-1"}) == ["T-1"]
    assert numbers({"status": "closed"}) == ["T-3"]
    assert numbers({"kind": KIND, "q": "Linde T-2"}) == ["T-2"]
    soon = (timezone.localdate() + timedelta(days=400)).strftime("%d.%m.%Y")
    assert numbers({"due_until": soon}) == ["T-1", "T-2", "T-3"]


def test_a_wrong_filter_is_a_message_not_an_error(keeper, cadastres, town):
    response = keeper.get("/verwaltung/kataster/trees/", {"due_until": "31.02.2026",
                                                          "status": "kaputt"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"due_until", "status"}


def test_the_assets_come_in_pages_of_fifty(keeper, cadastres, town):
    with authority_context(town):
        Asset.objects.bulk_create([
            Asset(cadastre=cadastres["trees"], kind=KIND, number=f"P-{n:03d}", lon=7, lat=51)
            for n in range(51)])
    first = keeper.get("/verwaltung/kataster/trees/", {"q": "P-"})
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = keeper.get("/verwaltung/kataster/trees/", {"q": "P-", "page": "2"})
    assert [a.number for a in second.context["page"].object_list] == ["P-050"]
    assert keeper.get("/verwaltung/kataster/trees/", {"page": "x"}).status_code == 200


# --- An asset -------------------------------------------------------------------------

def test_an_asset_shows_its_fields_inspections_photos_orders_and_history(
        keeper, cadastres, town):
    tree = _tree(cadastres, town, crown="wide")
    recorded = _inspect(cadastres, town, tree, photos=[_png_upload()], findings=[
        services.NewFinding("Stämmling angebrochen", Risk.VERY_HIGH, "Fällen")])
    (order,) = recorded.work_orders
    with authority_context(town):
        photo = Photo.objects.get(inspection=recorded.inspection)
    response = keeper.get(f"/verwaltung/kataster/objekt/{tree.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Höhe (m)" in page and "12,5" in page and "breit" in page  # the kind's labels
    assert 'id="closed"' in page  # closed, prominently
    assert f'href="/verwaltung/kataster/auftraege/{order.pk}/"' in page
    assert f'src="/verwaltung/kataster/foto/{photo.pk}/"' in page
    assert "Stämmling angebrochen" in page and "Rinde lose" in page
    assert "Regelkontrolle" in page  # the planned inspection by its kind's label
    assert f'href="/verwaltung/kontrolle/{tree.pk}/"' in page
    revisions = response.context["details"]["revisions"]
    assert [r.version for r in revisions] == [2, 1]
    assert "gesund" not in page and "geschädigt" in page  # the condition by its label
    # The history names statuses and choices in words, not by their codes.
    assert "from in_service" not in page and "von in_service" not in page
    assert "damaged" not in page


def test_a_child_shows_its_parent_and_the_parent_its_children(keeper, cadastres, town):
    parent = _tree(cadastres, town, "G-1")
    with authority_context(town):
        child = services.create_asset(
            actor=cadastres["inspector"], cadastre=cadastres["trees"], kind=KIND,
            number="G-1-1", lon=7.01, lat=51.1, parent=parent)
    parent_page = keeper.get(f"/verwaltung/kataster/objekt/{parent.pk}/").content.decode()
    assert f'href="/verwaltung/kataster/objekt/{child.pk}/"' in parent_page
    child_page = keeper.get(f"/verwaltung/kataster/objekt/{child.pk}/").content.decode()
    assert f'href="/verwaltung/kataster/objekt/{parent.pk}/"' in child_page


def _change(tree, **values):
    data = {"seen_version": tree.version, "name": tree.name, "type": "",
            "status": "in_service", "lon": "7,01", "lat": "51.1", "attr_height": "12.5",
            "attr_street": "Am Markt", "attr_crown": "", "reason": "Nachmessung"}
    data.update(values)
    return data


def test_changing_an_asset_writes_its_history_with_the_reason(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    response = keeper.post(f"/verwaltung/kataster/objekt/{tree.pk}/aendern/",
                           _change(tree, attr_height="14,0", name="Sommerlinde"))
    assert response.status_code == 302
    with authority_context(town):
        revision = AssetRevision.objects.filter(asset=tree).first()
        assert revision.reason == "Nachmessung"
        assert revision.changes == {"name": ["Linde T-1", "Sommerlinde"],
                                    "attributes.height": [12.5, 14.0]}
    page = keeper.get(f"/verwaltung/kataster/objekt/{tree.pk}/").content.decode()
    assert "Höhe (m)" in page and "12,5" in page and "14,0" in page


@pytest.mark.parametrize(("values", "field"), [
    ({"reason": ""}, "reason"),
    ({"attr_height": "hoch"}, "attr_height"),
    ({"attr_height": "99"}, "attr_height"),
    ({"lon": "200"}, "lon"),
    ({"lat": "nord"}, "lat"),
    ({"status": "weg"}, "status"),
    ({"attr_crown": "rund"}, "attr_crown"),
])
def test_a_wrong_change_is_refused_by_its_field_and_nothing_is_saved(
        keeper, cadastres, town, values, field):
    tree = _tree(cadastres, town)
    response = keeper.post(f"/verwaltung/kataster/objekt/{tree.pk}/aendern/",
                           _change(tree, name="Neu", **values))
    assert response.status_code == 400
    assert field in response.context["change_form"].errors
    with authority_context(town):
        assert Asset.objects.get(pk=tree.pk).name == "Linde T-1"


def test_a_change_after_someone_elses_is_refused(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    seen = tree.version
    with authority_context(town):
        other, _device = make_staff(town, departments=[cadastres["department"]],
                                    email="kollege@leichlingen.example")
        services.change_asset(actor=other, cadastre=cadastres["trees"], asset=tree,
                              changes={"name": "Winterlinde"}, reason="Bestimmung")
    response = keeper.post(f"/verwaltung/kataster/objekt/{tree.pk}/aendern/",
                           _change(tree, seen_version=seen, name="Sommerlinde"),
                           follow=True)
    assert response.redirect_chain[-1][0] == f"/verwaltung/kataster/objekt/{tree.pk}/"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    with authority_context(town):
        assert Asset.objects.get(pk=tree.pk).name == "Winterlinde"


def test_a_work_order_is_created_from_the_asset_page(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    deadline = timezone.localdate() + timedelta(days=10)
    response = keeper.post(f"/verwaltung/kataster/objekt/{tree.pk}/auftrag/", {
        "title": "Lichtraumprofil schneiden", "team": cadastres["tree_team"].pk,
        "deadline": deadline.strftime("%d.%m.%Y"), "risk": "1", "description": ""})
    assert response.status_code == 302
    with authority_context(town):
        order = WorkOrder.objects.get(asset=tree)
    assert response["Location"] == f"/verwaltung/kataster/auftraege/{order.pk}/"
    assert (order.deadline, order.team, order.risk) == (deadline, cadastres["tree_team"], 1)


def test_a_work_order_without_title_or_with_a_wrong_date_is_refused(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    response = keeper.post(f"/verwaltung/kataster/objekt/{tree.pk}/auftrag/", {
        "title": "", "team": "999999", "deadline": "31.02.2027", "risk": "9"})
    assert response.status_code == 400
    assert set(response.context["order_form"].errors) == {"title", "team", "deadline", "risk"}
    with authority_context(town):
        assert not WorkOrder.objects.exists()


# --- Due list and plan ----------------------------------------------------------------

def test_the_due_list_puts_overdue_first_and_downloads_as_csv(keeper, cadastres, town):
    late = _tree(cadastres, town, "T-9")
    soon = _tree(cadastres, town, "T-1")
    later = _tree(cadastres, town, "T-5")
    today = timezone.localdate()
    with authority_context(town):
        _due(late, today - timedelta(days=5))
        _due(soon, today + timedelta(days=3))
        _due(later, today + timedelta(days=40))
    response = keeper.get("/verwaltung/kataster/trees/faellig/")
    assert response.status_code == 200
    assert [row.asset.number for row in response.context["page"].object_list] == ["T-9", "T-1"]
    page = response.content.decode()
    assert "cadastre-overdue" in page
    assert [week["count"] for week in response.context["plan"]][0] == 1  # overdue
    assert sum(week["count"] for week in response.context["plan"]) == 3
    until = (today + timedelta(days=90)).strftime("%d.%m.%Y")
    response = keeper.get("/verwaltung/kataster/trees/faellig/", {"until": until})
    assert len(response.context["page"].object_list) == 3
    csv_response = keeper.get("/verwaltung/kataster/trees/faellig.csv", {"until": until})
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 4
    assert lines[1].startswith(f"{(today - timedelta(days=5)).isoformat()};")
    assert ";T-9;Linde T-9;Regelkontrolle;;Am Markt;" in lines[1]


def test_a_wrong_due_date_is_a_message(keeper, cadastres, town):
    response = keeper.get("/verwaltung/kataster/trees/faellig/", {"until": "gestern"})
    assert response.status_code == 400
    assert "until" in response.context["form"].errors


# --- Extra inspections ----------------------------------------------------------------

def _plan(**values):
    data = {"kind": "storm", "due_on": (timezone.localdate() + timedelta(days=2))
            .strftime("%d.%m.%Y"), "reason": "Sturm Ylenia am 17.02."}
    data.update(values)
    return data


def test_extra_inspections_are_planned_for_an_area(keeper, cadastres, town):
    inside = _tree(cadastres, town, "T-1", lon=7.02, lat=51.12)
    _tree(cadastres, town, "T-2", lon=7.5, lat=51.5)
    response = keeper.post("/verwaltung/kataster/trees/sonderkontrollen/", _plan(
        west="7,0", south="51,1", east="7.1", north="51.2"), follow=True)
    assert response.redirect_chain[-1][0] == "/verwaltung/kataster/trees/faellig/"
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    with authority_context(town):
        planned = ScheduledInspection.objects.get(kind="storm")
    assert planned.asset_id == inside.pk and planned.reason == "Sturm Ylenia am 17.02."


def test_extra_inspections_are_planned_for_streets(keeper, cadastres, town):
    _tree(cadastres, town, "T-1", street="Am Markt")
    on_street = _tree(cadastres, town, "T-2", street="Bahnhofstraße")
    page = keeper.get("/verwaltung/kataster/trees/sonderkontrollen/").content.decode()
    assert '<option value="Bahnhofstraße">Bahnhofstraße</option>' in page
    response = keeper.post("/verwaltung/kataster/trees/sonderkontrollen/",
                           _plan(streets=["Bahnhofstraße"]))
    assert response.status_code == 302
    with authority_context(town):
        assert list(ScheduledInspection.objects.filter(kind="storm")
                    .values_list("asset_id", flat=True)) == [on_street.pk]


@pytest.mark.parametrize(("values", "error"), [
    ({}, "__all__"),  # neither an area nor a street
    ({"west": "7", "south": "51"}, "__all__"),  # half an area
    ({"west": "8", "south": "51", "east": "7", "north": "52"}, "__all__"),  # inverted
    ({"west": "x", "south": "51", "east": "7", "north": "52"}, "west"),
    ({"streets": ["Nirgendwo"]}, "streets"),
    ({"streets": ["Am Markt"], "reason": ""}, "reason"),
    ({"streets": ["Am Markt"], "kind": "regular"}, "kind"),
    ({"streets": ["Am Markt"], "due_on": "32.01.2027"}, "due_on"),
])
def test_a_wrong_plan_is_refused_and_plans_nothing(keeper, cadastres, town, values, error):
    _tree(cadastres, town, "T-1", street="Am Markt")
    response = keeper.post("/verwaltung/kataster/trees/sonderkontrollen/", _plan(**values))
    assert response.status_code == 400
    assert error in response.context["form"].errors
    with authority_context(town):
        assert not ScheduledInspection.objects.filter(kind="storm").exists()


# --- Work orders and photos -----------------------------------------------------------

def test_open_work_orders_come_overdue_first_and_are_finished_with_a_note_and_photo(
        keeper, cadastres, town):
    tree = _tree(cadastres, town)
    recorded = _inspect(cadastres, town, tree, findings=[
        services.NewFinding("Stämmling angebrochen", Risk.VERY_HIGH, "Fällen"),
        services.NewFinding("Totholz", Risk.LOW, "Totholz entfernen")])
    urgent, later = sorted(recorded.work_orders, key=lambda order: order.deadline)
    listing = keeper.get("/verwaltung/kataster/auftraege/")
    assert [o.pk for o in listing.context["page"].object_list] == [urgent.pk, later.pk]
    page = keeper.get(f"/verwaltung/kataster/auftraege/{urgent.pk}/").content.decode()
    assert "Stämmling angebrochen" in page and 'capture="environment"' in page
    refused = keeper.post(f"/verwaltung/kataster/auftraege/{urgent.pk}/erledigt/",
                          {"note": " "})
    assert refused.status_code == 400 and "note" in refused.context["form"].errors
    bad_photo = keeper.post(f"/verwaltung/kataster/auftraege/{urgent.pk}/erledigt/", {
        "note": "Gefällt",
        "photo": SimpleUploadedFile("foto.png", b"kein Bild", content_type="image/png")})
    assert bad_photo.status_code == 400 and "photo" in bad_photo.context["form"].errors
    with authority_context(town):
        assert WorkOrder.objects.get(pk=urgent.pk).status == WorkOrder.Status.OPEN
    done = keeper.post(f"/verwaltung/kataster/auftraege/{urgent.pk}/erledigt/",
                       {"note": "Gefällt", "photo": _png_upload()})
    assert done.status_code == 302
    with authority_context(town):
        order = WorkOrder.objects.get(pk=urgent.pk)
        assert order.status == WorkOrder.Status.DONE and order.photos.count() == 1
        assert Asset.objects.get(pk=tree.pk).status == Asset.Status.IN_SERVICE
        photo = order.photos.get()
    assert keeper.get(f"/verwaltung/kataster/foto/{photo.pk}/").status_code == 200
    asset_page = keeper.get(f"/verwaltung/kataster/objekt/{tree.pk}/").content.decode()
    assert "Gefällt" in asset_page  # done orders are listed on the asset


def test_a_photo_is_streamed_privately_to_those_who_keep_its_asset(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    recorded = _inspect(cadastres, town, tree, photos=[_png_upload()])
    with authority_context(town):
        photo = Photo.objects.get(inspection=recorded.inspection)
    response = keeper.get(f"/verwaltung/kataster/foto/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == tiny_png()
    assert keeper.get("/verwaltung/kataster/foto/999999/").status_code == 404


def test_a_changed_photo_is_not_handed_out(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    recorded = _inspect(cadastres, town, tree, photos=[_png_upload()])
    with authority_context(town):
        Photo.objects.filter(inspection=recorded.inspection).update(sha256="0" * 64)
        photo = Photo.objects.get(inspection=recorded.inspection)
    assert keeper.get(f"/verwaltung/kataster/foto/{photo.pk}/").status_code == 404


def test_the_team_sees_its_orders_without_keeping_the_cadastre(cadastres, town):
    from rathaus.assets.models import Team
    from rathaus.authorities.models import Department

    tree = _tree(cadastres, town)
    with authority_context(town):
        bauhof = Department.objects.create(slug="bauhof", name="Bauhof")
        crew = Team.objects.create(department=bauhof, name="Bauhofkolonne", cadastres=[])
        order = services.create_work_order(
            actor=cadastres["inspector"], cadastre=cadastres["trees"], asset=tree, team=crew,
            title="Ast absägen", deadline=timezone.localdate())
    worker, device = make_staff(town, departments=[bauhof], email="bauhof@leichlingen.example")
    client = office_client(worker, device)
    assert client.get("/verwaltung/kataster/").status_code == 200
    listing = client.get("/verwaltung/kataster/auftraege/")
    assert [o.pk for o in listing.context["page"].object_list] == [order.pk]
    page = client.get(f"/verwaltung/kataster/auftraege/{order.pk}/").content.decode()
    # The team reads the asset's name, but its cadastre's pages are not theirs.
    assert f'href="/verwaltung/kataster/objekt/{tree.pk}/"' not in page
    assert client.get(f"/verwaltung/kataster/objekt/{tree.pk}/").status_code == 404


def test_a_work_order_from_a_citizens_report_shows_the_report_and_its_photo(
        keeper, stranger, cadastres, town):
    from rathaus.assets.models import DamageReport
    from rathaus.assets.photos import store_photo

    with authority_context(town):
        order = WorkOrder.objects.create(
            team=cadastres["tree_team"], title="Ast auf dem Gehweg",
            deadline=timezone.localdate(), source=WorkOrder.Source.REPORT, lon=7.02, lat=51.1)
        photo = store_photo(_png_upload())
        DamageReport.objects.create(
            token_hash="a" * 64, cadastre=cadastres["trees"], lon=7.02, lat=51.1,
            address="Am Wall 3", description="Ein dicker Ast liegt auf dem Gehweg.",
            photo=photo, work_order=order)
    page = keeper.get(f"/verwaltung/kataster/auftraege/{order.pk}/").content.decode()
    assert "Ein dicker Ast liegt auf dem Gehweg." in page and "Am Wall 3" in page
    assert f'src="/verwaltung/kataster/foto/{photo.pk}/"' in page
    assert keeper.get(f"/verwaltung/kataster/foto/{photo.pk}/").status_code == 200
    assert stranger.get(f"/verwaltung/kataster/foto/{photo.pk}/").status_code == 404
    overview = keeper.get("/verwaltung/kataster/")
    (trees,) = [entry for entry in overview.context["cadastres"]
                if entry["cadastre"].name == "trees"]
    assert trees["figures"]["open_orders"] == 1  # a report without an asset counts too


def test_the_forms_say_in_german_what_is_wrong(keeper, cadastres, town):
    tree = _tree(cadastres, town)
    change = keeper.post(f"/verwaltung/kataster/objekt/{tree.pk}/aendern/",
                         _change(tree, name="Neu", reason="", attr_height="hoch"))
    page = change.content.decode()
    assert "Bitte geben Sie einen Grund für die Änderung an." in page
    assert "„hoch“" in page  # the kind's rule names the value it refused
    plan = keeper.post("/verwaltung/kataster/trees/sonderkontrollen/",
                       _plan(west="7", south="51"))
    assert "Bitte geben Sie alle vier Seiten des Gebiets an oder keine." in plan.content.decode()
    with authority_context(town):
        order = services.create_work_order(
            actor=cadastres["inspector"], cadastre=cadastres["trees"], asset=tree,
            team=cadastres["tree_team"], title="Ast absägen", deadline=timezone.localdate())
    finish = keeper.post(f"/verwaltung/kataster/auftraege/{order.pk}/erledigt/", {"note": ""})
    assert "Bitte notieren Sie, was getan wurde." in finish.content.decode()
