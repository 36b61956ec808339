"""The office's search page over the eAkte: found documents link to their file, the
words found are marked, pages of twenty, and nothing of other departments' files."""

import pytest
from django.urls import reverse

from rathaus.records.search import PAGE_SIZE
from rathaus.records.services import add_document, add_file_plan_entry, open_case_file
from tests.factories import make_citizen, make_department, make_staff, office_client

URL = "/verwaltung/akten/suche/"


@pytest.fixture
def steueramt(town):
    return make_department(town, slug="steueramt", name="Steueramt")


@pytest.fixture
def tax_file(in_town, steueramt):
    add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10,
                        department=steueramt)
    return open_case_file(plan_code="32.41.01", title="Hundesteuer Bello")


def _letter(case_file, text, title="Schreiben"):
    add_document(case_file=case_file, title=title, kind="correspondence",
                 content=text.encode(), media_type="text/plain", filename="brief.txt")


@pytest.fixture
def clerk(town, steueramt):
    return office_client(*make_staff(town, departments=[steueramt]))


def test_the_url_is_the_search_page():
    assert reverse("office:search_files") == URL


def test_the_page_without_a_query_shows_the_form(clerk, tax_file):
    response = clerk.get(URL)
    assert response.status_code == 200
    assert b'name="q"' in response.content and b'role="search"' in response.content


def test_a_found_document_links_to_its_file_with_the_words_marked(clerk, tax_file):
    _letter(tax_file, "Die Hunde von <b>Frau</b> Beispiel", title="Anmeldung Bello")
    response = clerk.get(URL, {"q": "Hund"})
    page = response.content.decode()
    assert reverse("office:case_file", args=[tax_file.uuid]) in page
    assert "Anmeldung Bello" in page and tax_file.aktenzeichen in page
    assert "<mark>Hunde</mark> von &lt;b&gt;Frau&lt;/b&gt;" in page


def test_a_clerk_of_another_department_finds_nothing_of_the_file(town, tax_file):
    _letter(tax_file, "Hundesteuer Bello", title="Steuerakte")
    other = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    client = office_client(*make_staff(town, departments=[other],
                                       email="otto@leichlingen.example"))
    response = client.get(URL, {"q": "Hundesteuer"})
    assert response.status_code == 200
    assert b"Steuerakte" not in response.content
    assert str(tax_file.uuid).encode() not in response.content


def test_results_come_in_pages_with_links_between_them(clerk, tax_file):
    for number in range(PAGE_SIZE + 1):
        _letter(tax_file, "Rundschreiben", title=f"Rundschreiben {number}")
    first = clerk.get(URL, {"q": "Rundschreiben"}).content.decode()
    assert first.count('class="files-search__hit"') == PAGE_SIZE
    assert 'rel="next" href="?q=Rundschreiben&amp;page=2"' in first
    second = clerk.get(URL, {"q": "Rundschreiben", "page": "2"}).content.decode()
    assert second.count('class="files-search__hit"') == 1 and 'rel="prev"' in second
    for page in ("abc", "-1", "99999999999"):
        assert clerk.get(URL, {"q": "Rundschreiben", "page": page}).status_code == 200


def test_a_query_too_long_is_told_not_searched(clerk, tax_file):
    response = clerk.get(URL, {"q": "Hund " * 100})
    assert response.status_code == 200
    assert b"kern-error" in response.content
    assert b"files-search__hit" not in response.content


def test_citizens_are_sent_to_the_staff_login(town, tax_file):
    from tests.factories import citizen_logged_in

    response = citizen_logged_in(make_citizen("anna@example.org")).get(URL, {"q": "Hund"})
    assert response.status_code == 302
    assert "/verwaltung/anmelden/" in response["Location"]


def test_staff_find_the_search_in_the_navigation(clerk, tax_file):
    assert f'href="{URL}"'.encode() in clerk.get("/verwaltung/").content
    assert f'href="{URL}" aria-current="page"'.encode() in clerk.get(URL).content
