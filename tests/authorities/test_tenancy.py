import pytest
from django.test import Client

from rathaus.authorities.models import Department
from rathaus.authorities.selectors import authority_for_host
from rathaus.authorities.tenancy import NoActiveAuthority, WrongAuthority, authority_context
from tests.factories import make_department


def test_each_authority_reads_only_its_own_departments(town, district):
    make_department(town, slug="steueramt", name="Steueramt")
    make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")

    with authority_context(town):
        assert [d.name for d in Department.objects.all()] == ["Steueramt"]
        assert not Department.objects.filter(slug="strassenverkehrsamt").exists()
    with authority_context(district):
        assert [d.name for d in Department.objects.all()] == ["Straßenverkehrsamt"]


def test_another_authoritys_row_cannot_be_fetched_by_its_id(town, district):
    foreign = make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    with authority_context(town), pytest.raises(Department.DoesNotExist):
        Department.objects.get(pk=foreign.pk)


def test_reading_without_an_active_authority_fails_loudly(town):
    make_department(town, slug="steueramt", name="Steueramt")
    with pytest.raises(NoActiveAuthority):
        list(Department.objects.all())


def test_a_row_cannot_be_saved_into_another_authority(town, district):
    foreign = make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    foreign.name = "Übernommen"
    with authority_context(town), pytest.raises(WrongAuthority):
        foreign.save()


def test_new_rows_belong_to_the_active_authority(town):
    with authority_context(town):
        department = Department.objects.create(slug="ordnungsamt", name="Ordnungsamt")
    assert department.authority == town


def test_host_name_selects_the_authority(town, district):
    assert authority_for_host("rbk.localhost:8000") == district
    assert authority_for_host("LEICHLINGEN.localhost") == town
    # Unknown host names are served by the default authority.
    assert authority_for_host("127.0.0.1:8000") == town


def test_the_only_authority_is_served_without_a_default(db):
    from tests.factories import make_authority

    only = make_authority("solo", name="Gemeinde Solo", host="solo.localhost")
    assert authority_for_host("127.0.0.1") == only


def test_pages_show_the_authority_of_the_host(town, district):
    client = Client()
    assert "Rheinisch-Bergischer Kreis" in client.get("/", HTTP_HOST="rbk.localhost").text
    assert "Stadt Leichlingen" in client.get("/", HTTP_HOST="leichlingen.localhost").text


def test_without_any_authority_the_portal_explains_the_setup(db):
    response = Client().get("/")
    assert response.status_code == 503
    assert "rathaus setup" in response.text
