"""The public tree map and list in a browser: the map draws the clusters the endpoint
computes (without tiles: tests fetch nothing from outside), single trees with a popup
up close, no CSP violation; the list passes axe-core on a desktop and on a phone and
works without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from rathaus.assets import map_points
from rathaus.assets.kinds import KINDS
from rathaus.assets.models import Asset
from rathaus.authorities.tenancy import authority_context

from .conftest import DESKTOP, PHONE, findings_at_both_widths, log_in_as_inspector

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("tree" not in KINDS, reason="the trees app registers the kind")]

LON, LAT = 7.0167, 51.1063
TREES = 600


@pytest.fixture
def street_trees(cadastres, town):
    with authority_context(town):
        rows = [Asset(cadastre=cadastres["trees"], kind="tree", number=f"L-{i:04d}",
                      type="winterlinde" if i % 2 else "spitzahorn",
                      lon=LON + (i % 30) * 0.001, lat=LAT + (i // 30) * 0.001,
                      attributes={"planting_year": 1990 + i % 20,
                                  "street": "Am Hammer" if i % 2 else "Brückenstraße"})
                for i in range(TREES)]
        for row in rows:
            map_points.place(row)
        Asset.objects.bulk_create(rows)


def _wait_for_the_map(page):
    page.wait_for_selector("[data-map][data-map-ready='1']")


def test_the_map_draws_clusters_from_the_endpoint_without_tiles(street_trees, open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/baeume/")
    _wait_for_the_map(page)
    clusters = page.locator(".map-cluster")
    assert clusters.count() > 1
    counts = [int(text) for text in clusters.all_inner_texts()]
    assert sum(counts) == TREES
    assert page.locator(".leaflet-tile").count() == 0  # no tile server in tests
    ready_ms = float(page.locator("[data-map]").get_attribute("data-map-ready-ms"))
    assert ready_ms > 0
    # Zooming in through the clusters ends with single trees and their popups.
    for _step in range(6):
        if page.locator(".map-point").count():
            break
        draws = page.locator("[data-map]").get_attribute("data-map-draws")
        page.locator(".map-cluster").first.click()
        page.wait_for_selector(f"[data-map]:not([data-map-draws='{draws}'])")
    point = page.locator(".map-point").first
    expect(point).to_be_visible()
    point.click()
    popup = page.locator(".leaflet-popup .map-popup")
    expect(popup).to_be_visible()
    link = popup.get_by_role("link")
    assert re.fullmatch(r"/baeume/L-\d{4}/", link.get_attribute("href"))
    assert page.problems.take() == []  # no CSP violation, no script error


def test_the_map_is_reached_with_the_keyboard(street_trees, open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/baeume/")
    _wait_for_the_map(page)
    page.locator(".map-cluster").first.focus()
    focused = page.evaluate("() => document.activeElement.classList.contains('map-cluster')")
    assert focused
    assert page.locator("[data-map]").get_attribute("role") == "region"
    assert page.locator("[data-map]").get_attribute("aria-label")


def test_the_tree_list_with_its_map_passes_axe_on_a_desktop_and_a_phone(street_trees,
                                                                        open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/baeume/")
    _wait_for_the_map(page)
    findings = findings_at_both_widths(page, "tree list", shot="tree-list")
    page.goto("/baeume/?strasse=Hammer&art=winterlinde&seite=2")
    _wait_for_the_map(page)
    findings += findings_at_both_widths(page, "tree list, filtered")
    page.goto("/baeume/L-0001/")
    findings += findings_at_both_widths(page, "tree page")
    assert not findings, "\n\n".join(findings)


def test_the_list_works_without_javascript(street_trees, open_page):
    page = open_page(viewport=PHONE, javascript=False)
    page.goto("/baeume/")
    expect(page.locator("#trees tbody tr")).to_have_count(50)
    page.fill("input[name=strasse]", "Hammer")
    with page.expect_navigation():
        page.locator("#tree-filter button[type=submit]").click()
    assert "strasse=Hammer" in page.url
    expect(page.locator("#trees tbody tr").first).to_be_visible()
    page.locator("#trees a").first.click()
    expect(page.locator("#report-damage")).to_have_attribute(
        "href", re.compile(r"/schaden-melden/\?kataster=trees&objekt=L-\d{4}"))
    assert page.problems.take() == []


def test_choosing_a_place_on_the_map_writes_lon_and_lat_into_the_form(street_trees, open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/schaden-melden/?kataster=trees")
    _wait_for_the_map(page)
    page.locator("[data-map]").scroll_into_view_if_needed()
    box = page.locator("[data-map]").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    lon = float(page.locator("input[name=lon]").input_value())
    lat = float(page.locator("input[name=lat]").input_value())
    assert 7.0 < lon < 7.06 and 51.09 < lat < 51.13
    expect(page.locator(".map-picked")).to_have_count(1)
    expect(page.locator("[data-map-status]")).not_to_be_empty()
    assert page.problems.take() == []


def _staff_logged_in(page, cadastres):
    log_in_as_inspector(page, cadastres)


def test_the_keepers_map_links_each_tree_to_its_office_page(street_trees, cadastres,
                                                           open_page):
    page = open_page(viewport=DESKTOP)
    _staff_logged_in(page, cadastres)
    page.goto("/verwaltung/kataster/trees/")
    _wait_for_the_map(page)
    for _step in range(6):
        if page.locator(".map-point").count():
            break
        draws = page.locator("[data-map]").get_attribute("data-map-draws")
        page.locator(".map-cluster").first.click()
        page.wait_for_selector(f"[data-map]:not([data-map-draws='{draws}'])")
    page.locator(".map-point").first.click()
    link = page.locator(".leaflet-popup .map-popup").get_by_role("link")
    assert re.fullmatch(r"/verwaltung/kataster/objekt/\d+/", link.get_attribute("href"))
    assert page.problems.take() == []


def test_choosing_an_area_on_the_map_writes_its_four_sides(street_trees, cadastres,
                                                          open_page):
    page = open_page(viewport=DESKTOP)
    _staff_logged_in(page, cadastres)
    page.goto("/verwaltung/kataster/trees/sonderkontrollen/")
    _wait_for_the_map(page)
    page.locator("[data-map]").scroll_into_view_if_needed()
    box = page.locator("[data-map]").bounding_box()
    # Two clicks on empty map (away from the trees' clusters in the middle).
    page.mouse.click(box["x"] + 12, box["y"] + box["height"] - 12)
    page.mouse.click(box["x"] + box["width"] - 12, box["y"] + 40)
    sides = {side: float(page.locator(f"input[name={side}]").input_value())
             for side in ("west", "south", "east", "north")}
    assert sides["west"] < sides["east"] and sides["south"] < sides["north"]
    expect(page.locator("path.map-area")).to_have_count(1)
    assert page.problems.take() == []
