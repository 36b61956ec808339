"""What the public sees of the playgrounds: the properties the map and open data use,
the list and the playground pages; a piece closed by a very high risk shows as closed
at once and opens again when its work order is done."""

import pytest
from django.test import Client

from rathaus.assets import services
from rathaus.assets.kinds import kind_of
from rathaus.assets.models import Asset, Risk
from rathaus.authorities.tenancy import authority_context
from rathaus.playgrounds.selectors import public_equipment, public_playgrounds

from .conftest import add_playground, inspect

NOTE = "Kette an der linken Aufhängung stark verschlissen (Prüferin Petra Prüf)"
FINDING = "Schäkel gebrochen, Sitz hängt schief"


def _close_swing(cadastres, town):
    with authority_context(town):
        swing = Asset.objects.get(number="SG-01-1")
        recorded = inspect(cadastres, swing, kind="operational", notes=NOTE, findings=[
            services.NewFinding(FINDING, Risk.VERY_HIGH, "Schaukel sperren, Schäkel tauschen")])
        return recorded.work_orders[0]


def _playground_row(number="SP-01"):
    (row,) = [p for p in public_playgrounds(equipment=True)
              if p.properties["number"] == number]
    return row


def test_the_public_properties_hold_only_public_values(playground, town):
    with authority_context(town):
        place, (swing, _slide) = playground
        properties = kind_of("playground").public_properties(place)
        labels = {"age_group_label", "status_label"}  # German once the lead merged them
        assert {k: v for k, v in properties.items() if k not in labels} == {
            "number": "SP-01", "name": "Spielplatz Am Wall", "street": "Am Wall",
            "age_group": "3–12", "equipment": 2, "equipment_closed": 0, "status": "open",
        }
        assert labels <= set(properties)
        properties = kind_of("play_equipment").public_properties(swing)
        assert set(properties) == {
            "number", "playground", "type", "type_label", "en1176_part", "en1176_part_label",
            "manufacturer", "installed_year", "status", "status_label"}
        assert properties["playground"] == "SP-01" and properties["type"] == "schaukel"
        assert properties["en1176_part"] == "2" and properties["manufacturer"] == "Kompan"
        assert properties["installed_year"] == 2019 and properties["status"] == "open"
        assert "impact_area" not in properties


def test_a_very_high_risk_closes_the_piece_on_the_public_side_until_its_order_is_done(
        playground, cadastres, town):
    order = _close_swing(cadastres, town)
    with authority_context(town):
        row = _playground_row()
        assert row.properties["status"] == "partly_closed"
        assert row.properties["equipment_closed"] == 1
        statuses = {p["number"]: p["status"] for p in row.equipment}
        assert statuses == {"SG-01-1": "closed", "SG-01-2": "open"}
        swing = Asset.objects.get(number="SG-01-1")
        assert kind_of("play_equipment").public_properties(swing)["status"] == "closed"
        assert dict((p.number, props["status"]) for p, props in public_equipment()) == statuses
        services.finish_work_order(actor=cadastres["inspector"], work_order=order,
                                   note="Schäkel getauscht")
        row = _playground_row()
        assert row.properties["status"] == "open"
        assert {p["status"] for p in row.equipment} == {"open"}


def test_a_playground_whose_every_piece_is_closed_is_closed(playground, cadastres, town):
    _close_swing(cadastres, town)
    with authority_context(town):
        slide = Asset.objects.get(number="SG-01-2")
        inspect(cadastres, slide, findings=[services.NewFinding("Rutschblech gerissen",
                                                                Risk.VERY_HIGH)])
        assert _playground_row().properties["status"] == "closed"


def test_removed_equipment_and_playgrounds_are_not_shown(playground, cadastres, town):
    with authority_context(town):
        place, (swing, _slide) = playground
        services.change_asset(actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
                              asset=swing, changes={"status": "removed"}, reason="abgebaut")
        assert _playground_row().properties["equipment"] == 1
        services.change_asset(actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
                              asset=place, changes={"status": "removed"}, reason="aufgegeben")
        assert public_playgrounds() == [] and public_equipment() == []


def test_the_list_shows_every_playground_with_a_link(playground, cadastres, town):
    with authority_context(town):
        add_playground(cadastres, number="SP-02", name="Spielplatz Wupperaue",
                       street="Wupperstraße", pieces=(("SG-02-1", "wippe", "6"),))
    response = Client().get("/spielplaetze/")
    assert response.status_code == 200
    page = response.text
    assert 'href="/spielplaetze/SP-01/"' in page and 'href="/spielplaetze/SP-02/"' in page
    assert "Spielplatz Am Wall" in page and "Wupperstraße" in page
    assert page.count('data-status="open"') == 2


def test_a_playground_page_lists_its_equipment_and_links_the_damage_report(playground, town):
    page = Client().get("/spielplaetze/SP-01/").text
    assert 'data-number="SG-01-1"' in page and 'data-number="SG-01-2"' in page
    assert "Kompan" in page and "2019" in page
    assert 'href="/schaden-melden/?kataster=playgrounds&amp;objekt=SP-01"' in page


def test_nothing_internal_reaches_the_public_pages(playground, cadastres, town):
    _close_swing(cadastres, town)
    for url in ("/spielplaetze/", "/spielplaetze/SP-01/"):
        page = Client().get(url).text
        for internal in (NOTE, FINDING, "Schäkel tauschen", "Fallschutzkies",
                         cadastres["inspector"].email, "Spielplatzkolonne"):
            assert internal not in page, (url, internal)


def test_a_closure_shows_at_once_to_anonymous_visitors(playground, cadastres, town):
    client = Client()
    for url in ("/spielplaetze/", "/spielplaetze/SP-01/"):
        first = client.get(url)
        assert 'data-status="closed"' not in first.text
        assert "no-cache" in first["Cache-Control"]
    order = _close_swing(cadastres, town)
    assert 'data-status="partly_closed"' in client.get("/spielplaetze/").text
    detail = client.get("/spielplaetze/SP-01/").text
    assert 'data-status="closed"' in detail and 'data-status="partly_closed"' in detail
    with authority_context(town):
        services.finish_work_order(actor=cadastres["inspector"], work_order=order,
                                   note="Schäkel getauscht")
    assert 'data-status="closed"' not in client.get("/spielplaetze/SP-01/").text


@pytest.mark.parametrize("url", ["/spielplaetze/SP-99/", "/spielplaetze/%3Cscript%3E/"])
def test_an_unknown_playground_is_not_found(url, playground):
    assert Client().get(url).status_code == 404


def test_a_playground_of_another_authority_is_not_shown(playground, district):
    from rathaus.assets.models import Cadastre
    from rathaus.authorities.models import Department
    from tests.factories import make_staff

    with authority_context(district):
        department = Department.objects.create(slug="gruen", name="Grün")
        cadastre = Cadastre.objects.create(name="playgrounds", department=department)
    staff, _device = make_staff(district, departments=[department],
                               email="gruen@rbk.example")
    with authority_context(district):
        add_playground({"inspector": staff, "playgrounds": cadastre}, number="SP-77",
                       name="Spielplatz im Kreis")
    assert "SP-77" not in Client().get("/spielplaetze/").text
    assert Client().get("/spielplaetze/SP-77/").status_code == 404


def test_the_public_map_shows_the_playground_with_its_status(playground, cadastres, town):
    from rathaus.assets.map_points import MAX_ZOOM

    def feature():
        answer = Client().get("/karten/playgrounds.json",
                              {"bbox": "7.0,51.08,7.08,51.14", "zoom": MAX_ZOOM}).json()
        (only,) = answer["features"]
        return only["properties"]

    properties = feature()
    assert properties["number"] == "SP-01" and properties["status"] == "open"
    assert properties["equipment"] == 2 and properties["street"] == "Am Wall"
    order = _close_swing(cadastres, town)
    properties = feature()
    assert properties["status"] == "partly_closed" and properties["equipment_closed"] == 1
    assert NOTE not in str(properties) and FINDING not in str(properties)
    with authority_context(town):
        services.finish_work_order(actor=cadastres["inspector"], work_order=order,
                                   note="Schäkel getauscht")
    assert feature()["status"] == "open"


@pytest.mark.parametrize("attributes", [
    {"manufacturer": "Kompan"}, {"en1176_part": "2"}, {"en1176_part": "7", "manufacturer": "Eibe"},
    {"en1176_part": "2", "manufacturer": "Eibe", "installed_year": "neunzehn"}])
def test_equipment_needs_its_en_1176_part_and_manufacturer(attributes, playground, cadastres,
                                                           town):
    with authority_context(town):
        with pytest.raises(services.InvalidAsset):
            services.create_asset(
                actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
                kind="play_equipment", number="SG-01-9", type="schaukel", lon=7.01, lat=51.1,
                parent=playground[0], attributes=attributes)
        assert not Asset.objects.filter(number="SG-01-9").exists()


def test_the_pages_ask_the_same_number_of_queries_for_more_playgrounds(
        playground, cadastres, town):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        Client().get(url)  # the authority of the host is looked up once, then cached
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url).status_code == 200
        return len(captured)

    before = (queries("/spielplaetze/"), queries("/spielplaetze/SP-01/"))
    with authority_context(town):
        for n in range(2, 6):
            add_playground(cadastres, number=f"SP-0{n}", pieces=[
                (f"SG-0{n}-{i}", "schaukel", "2") for i in range(1, 6)])
        add_playground(cadastres, number="SP-09", pieces=[
            (f"SG-01-{i}", "wippe", "6") for i in range(3, 9)], name="Am Wall 2")
    assert (queries("/spielplaetze/"), queries("/spielplaetze/SP-01/")) == before


def test_a_closed_playground_shows_every_piece_closed(playground, cadastres, town):
    with authority_context(town):
        place = playground[0]
        services.change_asset(actor=cadastres["inspector"], cadastre=cadastres["playgrounds"],
                              asset=place, changes={"status": "closed"},
                              reason="Bodenbelag wird erneuert")
        row = _playground_row()
        assert row.properties["status"] == "closed"
        assert row.properties["equipment_closed"] == 0  # the pieces themselves are fine
        assert {piece["status"] for piece in row.equipment} == {"closed"}
        assert {props["status"] for _piece, props in public_equipment()} == {"closed"}
    page = Client().get("/spielplaetze/SP-01/").text
    assert 'data-status="open"' not in page
