"""Pages for someone logged in are kept in no cache (OWASP ASVS 8.2.1, issue 11)."""

import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from tests.factories import citizen_logged_in, departments_of, make_case, make_staff, office_client

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_a_citizens_pages_are_kept_in_no_cache(dog_town, citizen):
    with authority_context(dog_town):
        case = make_case(citizen)
    client = citizen_logged_in(citizen)
    for path in ("/", "/konto/", "/konto/daten/", "/konto/zugriffe/", "/konto/postfach/",
                 f"/vorgaenge/{case.pk}/", "/impressum/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), (path, response.get("Cache-Control"))


def test_the_office_pages_are_kept_in_no_cache(dog_town, citizen):
    with authority_context(dog_town):
        case = make_case(citizen)
    staff, device = make_staff(dog_town, departments=[departments_of(dog_town)["steueramt"]])
    office = office_client(staff, device)
    for path in ("/verwaltung/", f"/verwaltung/vorgaenge/{case.pk}/"):
        response = office.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), (path, response.get("Cache-Control"))


def test_an_explicit_cache_control_of_a_view_is_kept_for_someone_logged_in(town, citizen):
    response = citizen_logged_in(citizen).get("/.well-known/rathaus/receipt-keys.json")
    assert response["Cache-Control"] == "public, max-age=300"


def test_anonymous_public_pages_keep_their_caching(town):
    client = Client()
    for path in ("/", "/impressum/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), path
    assert client.get("/").context is None  # the anonymous home page still comes from the cache
