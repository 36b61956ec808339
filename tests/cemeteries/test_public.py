"""The public grave search (/grabsuche/): the full last name and a second detail, names
compared whatever their case and umlaut spelling, only the year of death shown, and
the page linked from the home page where the town keeps cemeteries."""

from django.test import Client
from django.urls import resolve

from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries.public import find_graves, normalised
from tests.factories import TOWN_HOST

URL = "/grabsuche/"


def _search(**query) -> str:
    response = Client(HTTP_HOST=TOWN_HOST).get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_names_are_compared_in_one_spelling():
    assert normalised("  Pützhofen ") == normalised("PUETZHOFEN") == "puetzhofen"
    assert normalised("Straßburger") == normalised("Strassburger")
    assert normalised("René  Müller") == "rene mueller"
    assert normalised("Putzhofen") != normalised("Pützhofen")


def test_the_empty_page_asks_for_a_name(town):
    page = _search()
    assert 'name="nachname"' in page and 'name="vorname"' in page
    assert 'name="sterbejahr"' in page
    assert "Kortenbach" not in page


def test_a_visible_grave_is_found_by_its_full_name_with_the_year_only(demo_cemeteries):
    page = _search(nachname="Kortenbach", vorname="Wilhelm")
    assert "Wilhelm Kortenbach" in page
    assert "Friedhof Leichlingen-Mitte" in page and "FH-01-B-01-01" in page
    assert "openstreetmap.org/?mlat=51." in page  # the field's place, with a dot
    with authority_context(demo_cemeteries["department"].authority):
        (found,) = find_graves(last_name="Kortenbach", first_name="Wilhelm")
    assert str(found.year_of_death) in page
    assert found.year_of_death < 2000
    # never the day of death or birth
    assert f".{found.year_of_death}" not in page


def test_case_and_umlaut_spelling_do_not_matter(demo_cemeteries):
    assert "Elisabeth Pützhofen" in _search(nachname="PUETZHOFEN", vorname="elisabeth")
    assert "Elisabeth Pützhofen" in _search(nachname="pützhofen", vorname="Elisabeth")


def test_parts_of_names_find_nothing(demo_cemeteries):
    for last in ("Kortenb", "Korten", "ortenbach", "Kortenbach*", "%ortenbach", "K_rtenbach"):
        page = _search(nachname=last, vorname="Wilhelm")
        assert "Wilhelm Kortenbach" not in page
        assert "Wir haben kein Grab gefunden" in page or "We have found no grave" in page
    assert "Wilhelm Kortenbach" not in _search(nachname="Kortenbach", vorname="Wil")


def test_the_year_of_death_alone_is_a_second_detail(demo_cemeteries):
    with authority_context(demo_cemeteries["department"].authority):
        (found,) = find_graves(last_name="Halfmann", first_name="Gertrud")
    assert "Gertrud Halfmann" in _search(nachname="Halfmann", sterbejahr=found.year_of_death)
    assert "Gertrud Halfmann" not in _search(nachname="Halfmann",
                                             sterbejahr=found.year_of_death - 1)


def test_a_last_name_alone_is_not_searched(demo_cemeteries):
    page = _search(nachname="Kortenbach")
    assert "Wilhelm Kortenbach" not in page
    assert "kein Grab gefunden" not in page and "no grave" not in page
    assert 'kern-form-input--error' in page or "kern-alert--danger" in page or "error" in page


def test_a_year_in_the_future_is_refused_with_a_message(demo_cemeteries):
    page = _search(nachname="Kortenbach", sterbejahr=2999)
    assert "Wilhelm Kortenbach" not in page
    assert "error" in page


def test_the_search_is_rate_limited_like_other_public_lookups(town):
    assert resolve(URL).func.rate_limit == "lookup"


def test_the_home_page_links_the_search_once_the_town_keeps_cemeteries(demo_cemeteries):
    page = Client(HTTP_HOST=TOWN_HOST).get("/").content.decode()
    assert f'href="{URL}"' in page
    assert 'href="/baeume/"' not in page  # trees and playgrounds only when kept


def test_without_cemeteries_the_home_page_has_no_grave_search(town):
    page = Client(HTTP_HOST=TOWN_HOST).get("/").content.decode()
    assert URL not in page
