import warnings

from django.core.cache.backends.base import CacheKeyWarning
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.models import Service


def _service(authority, slug, title, **fields):
    with authority_context(authority):
        return Service.objects.create(slug=slug, title=title, **fields)


def test_home_lists_the_authoritys_services_and_searches_them(town, district):
    _service(town, "hund", "Hund anmelden", keywords="Hundesteuer Hundemarke")
    _service(town, "umzug", "Wohnsitz anmelden", summary="Nach einem Umzug")
    _service(district, "kfz", "Fahrzeug zulassen")
    client = Client()
    page = client.get("/").text
    assert "Hund anmelden" in page and "Wohnsitz anmelden" in page
    assert "Fahrzeug zulassen" not in page

    found = client.get("/", {"q": "hundesteuer"}).context["services"]
    assert [service.title for service in found] == ["Hund anmelden"]


def test_search_without_results_says_so_and_offers_contact(town):
    _service(town, "hund", "Hund anmelden")
    response = Client().get("/", {"q": "Baugenehmigung"})
    assert response.status_code == 200
    assert list(response.context["services"]) == []
    assert town.email in response.text


def test_home_without_services_shows_the_honest_empty_state(town):
    response = Client().get("/")
    assert response.context["services"].count() == 0
    assert town.email in response.text


def test_legal_pages_are_linked_from_every_page(town):
    client = Client()
    for path in ("/", "/konto/anmelden/", "/verwaltung/anmelden/", "/impressum/"):
        html = client.get(path).text
        for link in ("/impressum/", "/datenschutz/", "/barrierefreiheit/"):
            assert f'href="{link}"' in html, (path, link)


def test_language_switch_to_english_and_back(town):
    client = Client()
    assert 'lang="de"' in client.get("/").text
    response = client.get("/sprache/en/", {"next": "/impressum/"})
    assert response["Location"] == "/impressum/"
    assert 'lang="en"' in client.get("/").text
    client.get("/sprache/de/", {"next": "/"})
    assert 'lang="de"' in client.get("/").text
    # Unknown languages and foreign redirect targets are refused.
    assert client.get("/sprache/xx/").status_code == 404
    assert client.get("/sprache/en/", {"next": "https://evil.example/"})["Location"] == "/"


def test_language_switch_with_a_next_that_is_no_path_goes_home(town):
    # Found by the hostile-input crawl: a bare word was taken for a view name (500).
    for target in ("🐕", "impressum", "home"):
        response = Client().get("/sprache/en/", {"next": target})
        assert response.status_code == 302 and response["Location"] == "/"


def test_any_query_string_gives_a_cache_key_every_cache_backend_takes(town):
    # Found by the hostile-input crawl: the query string went into the key as it came.
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        for query in ({"q": "x" * 300}, {"q": "a\x01b c"}):
            assert Client().get("/", query).status_code == 200


def test_anonymous_home_is_cached_until_a_service_changes(town):
    client = Client()
    assert client.get("/").context is not None  # rendered
    assert client.get("/").context is None  # served from the cache
    _service(town, "hund", "Hund anmelden")
    page = client.get("/")
    assert page.context is not None and "Hund anmelden" in page.text


def test_logged_in_pages_are_never_cached(town, citizen):
    from tests.factories import PASSWORD

    client = Client()
    client.post("/konto/anmelden/", {"username": citizen.email, "password": PASSWORD})
    client.get("/")
    page = client.get("/")
    assert page.context is not None
    assert "/konto/abmelden/" in page.text


def _search_hint(html: str) -> str:
    start = html.index('id="service-query-hint">') + len('id="service-query-hint">')
    return html[start:html.index("</div>", start)]


def test_search_hint_names_only_what_the_authority_offers_and_each_example_finds_it(town):
    _service(town, "hund", "Hund anmelden", keywords="Hundesteuer Hundemarke")
    _service(town, "wohnsitz", "Wohnsitz anmelden", summary="Nach einem Umzug")
    client = Client()
    hint = _search_hint(client.get("/").text)
    assert hint == "Zum Beispiel: Hundesteuer oder Wohnsitz anmelden"
    for example in ("Hundesteuer", "Wohnsitz anmelden"):
        assert list(client.get("/", {"q": example}).context["services"]), example


def test_search_hint_with_one_service_gives_its_keyword_and_title(dog_service):
    hint = _search_hint(Client().get("/").text)
    assert hint == "Zum Beispiel: Hundesteuer oder Hund anmelden"
    assert "Umzug" not in hint


def test_search_hint_in_english_names_the_english_titles(dog_service):
    client = Client()
    client.get("/sprache/en/")
    hint = _search_hint(client.get("/").text)
    assert hint == "For example: Register a dog"
    assert list(client.get("/", {"q": "Register a dog"}).context["services"])


def test_a_portal_without_services_gives_no_examples_but_says_why(town, district):
    _service(town, "hund", "Hund anmelden", keywords="Hundesteuer")
    page = Client(HTTP_HOST="rbk.localhost").get("/").text
    hint = _search_hint(page)
    assert "Zum Beispiel" not in hint and "Hundesteuer" not in hint
    assert hint == ("Hier gibt es noch keine Online-Dienstleistungen, darum findet die "
                    "Suche noch nichts.")


def test_a_withdrawn_service_is_no_example(town):
    _service(town, "hund", "Hund anmelden", keywords="Hundesteuer", is_published=False)
    _service(town, "wohnsitz", "Wohnsitz anmelden", keywords="Umzug")
    assert _search_hint(Client().get("/").text) == "Zum Beispiel: Umzug oder Wohnsitz anmelden"


def test_the_authoritys_phone_is_a_tel_link_and_its_address_a_mailto_link(town):
    town.phone = "02175 992-0"
    town.save()
    client = Client()
    for path in ("/impressum/", "/barrierefreiheit/", "/?q=einhorn"):
        page = client.get(path).text
        assert '<a class="kern-link" href="tel:+4921759920">02175 992-0</a>' in page, path
        assert f'href="mailto:{town.email}"' in page, path


def test_phone_numbers_become_global_tel_uris():
    from rathaus.portal.templatetags.contact_links import tel_uri

    assert tel_uri("02175 992-0") == "tel:+4921759920"
    assert tel_uri("+49 2202 13-0") == "tel:+492202130"
    assert tel_uri("0049 (0)2202 130") == "tel:+492202130"
    assert tel_uri("+49 (0) 2175 992-0") == "tel:+4921759920"
