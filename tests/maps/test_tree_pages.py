"""The public tree list beside the map, and a tree's public page: only public facts,
paged, filtered without JavaScript."""

import pytest
from django.test import Client

from rathaus.assets import map_points
from rathaus.assets.kinds import KINDS
from rathaus.assets.models import Asset
from rathaus.authorities.tenancy import authority_context

pytestmark = pytest.mark.skipif("tree" not in KINDS, reason="the trees app registers the kind")


@pytest.fixture
def street_trees(cadastres, town):
    with authority_context(town):
        rows = []
        for i in range(120):
            species, street = (("winterlinde", "Am Hammer") if i % 2 else
                               ("spitzahorn", "Brückenstraße"))
            rows.append(Asset(cadastre=cadastres["trees"], kind="tree", number=f"L-{i:04d}",
                              type=species, lon=7.01 + i * 0.0001, lat=51.1,
                              attributes={"planting_year": 1990 + i % 20, "street": street,
                                          "height": 12.5, "trunk_circumference": 180,
                                          "traffic_expectation": "high"}))
        for row in rows:
            map_points.place(row)
        Asset.objects.bulk_create(rows)
        Asset.objects.filter(number="L-0003").update(status=Asset.Status.REMOVED)
        Asset.objects.filter(number="L-0005").update(status=Asset.Status.CLOSED)
    return rows


def _numbers(response) -> list[str]:
    import re

    return re.findall(r'data-number="([^"]+)"', response.content.decode())


def test_the_list_shows_fifty_trees_a_page_with_the_map_above(street_trees):
    response = Client().get("/baeume/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-map-points="/karten/trees.json"' in html
    assert 'data-map-detail="/baeume/{number}/"' in html
    assert html.index("data-map-points") < html.index('id="trees"')
    assert "ADR 0038" not in html  # the include's comment stays in the template
    assert "<h1 class=\"kern-heading-large\">Bäume der Stadt</h1>" in html
    assert _numbers(response) == [f"L-{i:04d}" for i in range(52) if i != 3][:50]
    assert "seite=2" in html
    page3 = Client().get("/baeume/", {"seite": "3"})
    assert len(_numbers(page3)) == 119 - 100
    # A page beyond the last shows the last; nonsense shows the first.
    assert _numbers(Client().get("/baeume/", {"seite": "99"})) == _numbers(page3)
    assert _numbers(Client().get("/baeume/", {"seite": "x"}))[0] == "L-0000"


def test_the_list_filters_by_street_and_species_with_a_plain_get_form(street_trees):
    response = Client().get("/baeume/", {"strasse": "hammer", "art": "winterlinde"})
    numbers = _numbers(response)
    assert numbers and all(int(n[2:]) % 2 == 1 for n in numbers)
    assert "L-0003" not in numbers
    html = response.content.decode()
    assert "strasse=hammer" in html and "art=winterlinde" in html  # the next page keeps them
    assert _numbers(Client().get("/baeume/", {"strasse": "Brücken", "art": "spitzahorn"}))
    assert _numbers(Client().get("/baeume/", {"strasse": "Nirgendwo"})) == []


def test_an_unknown_species_is_a_form_error_not_a_500(street_trees):
    response = Client().get("/baeume/", {"art": "<script>"})
    assert response.status_code == 200
    assert "kern-form-input--error" in response.content.decode()


def test_a_tree_page_shows_only_public_facts_and_the_damage_link(street_trees):
    response = Client().get("/baeume/L-0001/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Am Hammer" in html and "1991" in html and "Winterlinde" in html
    assert "Tilia cordata" in html and ("12.5" in html or "12,5" in html)
    assert 'href="/schaden-melden/?kataster=trees&amp;objekt=L-0001">Schaden melden</a>' in html
    assert "180" not in html  # the trunk circumference is not public
    assert "high" not in html


def test_removed_and_unknown_trees_have_no_page(street_trees):
    assert Client().get("/baeume/L-0003/").status_code == 404
    assert Client().get("/baeume/X-1/").status_code == 404
    assert Client().get("/baeume/L-0005/").status_code == 200  # closed, still public
