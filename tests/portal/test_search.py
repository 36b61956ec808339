"""The home page's search uses the finder: best first, in the citizen's own words, and a
clear answer for any input. With htmx, suggestions appear under the field as links."""

from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.models import Service

HTMX = {"HTTP_HX_REQUEST": "true"}


def _services(town):
    with authority_context(town):
        Service.objects.create(slug="hund-ab", title="Hund abmelden")
        Service.objects.create(slug="hund-an", title="Hund anmelden",
                               keywords="Hundesteuer Hundeanmeldung")
        Service.objects.create(slug="perso", title="Personalausweis beantragen")


def test_the_results_come_best_first_in_the_citizens_words(town):
    _services(town)
    client = Client()
    found = client.get("/", {"q": "Hund anmelden"}).context["services"]
    assert [service.slug for service in found][0] == "hund-an"
    assert [s.slug for s in client.get("/", {"q": "Perso"}).context["services"]] == ["perso"]
    page = client.get("/", {"q": "Hundeanmeldng"}).text
    assert "Hund anmelden" in page and "Personalausweis" not in page


def test_any_input_gives_a_clear_page_never_an_error(town):
    _services(town)
    client = Client()
    for query in ("x" * 200, "ü" * 250, "der die das", "?!%*\"'<>", "a\x00b", "🐕 🐕",
                  '" OR 1=1 --', "Hund" * 60):
        response = client.get("/", {"q": query})
        assert response.status_code == 200, query
        assert response.context["services"] == [], query
        assert "Zu Ihrer Suche haben wir keine Dienstleistung gefunden" in response.text, query
    # Search syntax of the databases is just words here.
    found = client.get("/", {"q": 'NEAR(hund*) AND "perso'}).context["services"]
    assert {service.slug for service in found} == {"hund-ab", "hund-an", "perso"}


def test_without_a_query_every_service_is_listed(town):
    _services(town)
    assert Client().get("/").context["services"].count() == 3


def test_the_search_field_asks_for_suggestions_with_htmx_and_works_without(town):
    _services(town)
    page = Client().get("/").text
    assert 'hx-get="/suche/vorschlaege/"' in page
    assert 'id="search-suggestions" aria-live="polite"' in page
    assert '<form method="get" action="/" role="search">' in page


def test_suggestions_are_a_fragment_of_links_for_htmx(town):
    _services(town)
    response = Client().get("/suche/vorschlaege/", {"q": "Hundean"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert '<a class="kern-link" href="/leistungen/hund-an/">Hund anmelden</a>' in response.text
    assert "2 Vorschläge:" in response.text
    assert "HX-Request" in response["Vary"]


def test_suggestions_for_nothing_or_for_no_service_say_so_briefly(town):
    _services(town)
    client = Client()
    assert client.get("/suche/vorschlaege/", {"q": "  "}, **HTMX).text.strip() == ""
    empty = client.get("/suche/vorschlaege/", {"q": "Zahnarzt"}, **HTMX).text
    assert "<a " not in empty and "Noch kein Vorschlag" in empty
    for query in ("x" * 300, "der die", "\x00", "%%%"):
        assert client.get("/suche/vorschlaege/", {"q": query}, **HTMX).status_code == 200


def test_without_htmx_the_suggestions_url_leads_to_the_results_page(town):
    _services(town)
    client = Client()
    response = client.get("/suche/vorschlaege/", {"q": " Hund anmelden "})
    assert response.status_code == 302
    assert response["Location"] == "/?q=Hund+anmelden"
    assert "HX-Request" in response["Vary"]
    assert client.get("/suche/vorschlaege/")["Location"] == "/"
    assert client.post("/suche/vorschlaege/", {"q": "Hund"}, **HTMX).status_code == 405
