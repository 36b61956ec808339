"""The resident register in the office: the Bürgerbüro's staff search persons by name
(umlauts written out or not) and open a person's entry with the complete address
history; every opening is in the audit log; nobody else learns that the pages exist."""

from datetime import date

import pytest

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.residents.models import Dwelling, Person, Relationship, ResidenceKind, Sex
from rathaus.residents.services import (
    Newcomer,
    file_objection,
    move_within,
    register_move_in,
)
from tests.factories import (
    citizen_logged_in,
    make_authority,
    make_department,
    make_staff,
    office_client,
)

SEARCH = "/verwaltung/melderegister/"


def entry_url(person_id) -> str:
    return f"/verwaltung/melderegister/personen/{person_id}/"


def dwelling(street, number, key) -> Dwelling:
    return Dwelling.objects.get_or_create(
        street_key=key, house_number=number,
        defaults={"street": street, "postcode": "42799", "place": "Leichlingen"})[0]


def newcomer(family, given, born, relationship=Relationship.HEAD) -> Newcomer:
    return Newcomer(family_name=family, given_names=given, date_of_birth=born,
                    place_of_birth="Köln", sex=Sex.FEMALE, relationship=relationship)


@pytest.fixture
def buergerbuero(town):
    return make_department(town, slug="buergerbuero", name="Bürgerbüro")


@pytest.fixture
def clerk(town, buergerbuero):
    return make_staff(town, departments=[buergerbuero], email="melde@leichlingen.example")


@pytest.fixture
def clerk_client(clerk):
    return office_client(*clerk)


@pytest.fixture
def register(town, clerk):
    """Jürgen and Grete Müller at Marktstraße 17, moved to Brückenstraße 4 on 1 July
    2025; Hannah Weiß at Musterweg 2, who objected to address books."""
    staff = clerk[0]
    with authority_context(town):
        muellers = register_move_in(
            actor=staff, dwelling=dwelling("Marktstraße", "17", "01210"),
            moved_in=date(2019, 4, 1), kind=ResidenceKind.MAIN,
            household=[newcomer("Müller", "Jürgen", date(1970, 5, 6)),
                       newcomer("Müller", "Grete", date(1972, 8, 9), Relationship.SPOUSE)])
        move_within(actor=staff, household=muellers.household,
                    dwelling=dwelling("Brückenstraße", "4", "00340"),
                    moved_in=date(2025, 7, 1))
        weiss = register_move_in(
            actor=staff, dwelling=dwelling("Musterweg", "2", "01450"),
            moved_in=date(2020, 1, 1), kind=ResidenceKind.MAIN,
            household=[newcomer("Weiß", "Hannah Maria", date(1990, 2, 3))])
        hannah = weiss.started[0].person
        file_objection(actor=staff, person=hannah, objection="address_books",
                       filed_on=date(2024, 6, 1))
        juergen = Person.objects.get(given_names="Jürgen")
    return {"juergen": juergen, "hannah": hannah}


def names_found(response) -> list[str]:
    return [f"{p.family_name}, {p.given_names}" for p in response.context["found"].persons]


# --- Search ---------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Müller", "Mueller", "MUELLER", "müll", "MÜLLER"])
def test_search_finds_a_name_with_umlauts_however_it_is_typed(clerk_client, register, typed):
    response = clerk_client.get(SEARCH, {"family_name": typed})
    assert names_found(response) == ["Müller, Grete", "Müller, Jürgen"]


def test_search_finds_sharp_s_written_as_ss_and_a_second_given_name(clerk_client, register):
    response = clerk_client.get(SEARCH, {"family_name": "weiss", "given_names": "maria"})
    assert names_found(response) == ["Weiß, Hannah Maria"]


def test_search_by_given_name_and_date_of_birth_narrows_to_one(clerk_client, register):
    response = clerk_client.get(SEARCH, {"given_names": "Juergen",
                                         "date_of_birth": "06.05.1970"})
    assert names_found(response) == ["Müller, Jürgen"]
    page = response.content.decode()
    assert "Brückenstraße 4, 42799 Leichlingen" in page
    assert "Hauptwohnung" in page
    assert entry_url(register["juergen"].pk) in page


def test_search_does_not_find_a_name_that_only_contains_the_letters(clerk_client, register):
    assert names_found(clerk_client.get(SEARCH, {"family_name": "ller"})) == []


def test_empty_search_explains_and_lists_nobody(clerk_client, register):
    response = clerk_client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["found"].persons == []
    assert "Mueller" in response.content.decode()  # the explanation of the spelling
    assert "Jürgen" not in response.content.decode()


def test_a_date_of_birth_alone_is_not_a_search(clerk_client, register):
    response = clerk_client.get(SEARCH, {"date_of_birth": "06.05.1970"})
    assert response.context["form"].errors["family_name"]
    assert response.context["found"].persons == []


@pytest.mark.parametrize("query", [
    {"family_name": "M\x00ller"}, {"family_name": "M" * 5000},
    {"family_name": "M", "date_of_birth": "31.02.2020"}, {"given_names": "\U0001F600"},
    {"family_name": ["Müller", "Weiß"]}])
def test_odd_search_input_is_answered_without_an_error_page(clerk_client, register, query):
    assert clerk_client.get(SEARCH, query).status_code == 200


def test_wildcards_typed_into_the_search_are_letters(clerk_client, register):
    assert names_found(clerk_client.get(SEARCH, {"family_name": "%"})) == []
    assert names_found(clerk_client.get(SEARCH, {"family_name": "M_ller"})) == []


def test_search_shows_fifty_and_says_there_are_more(clerk_client, clerk, town):
    with authority_context(town):
        register_move_in(
            actor=clerk[0], dwelling=dwelling("Marktstraße", "1", "01210"),
            moved_in=date(2020, 1, 1), kind=ResidenceKind.MAIN,
            household=[newcomer("Schmitz", f"Kind{i:02}", date(2000, 1, 1),
                                Relationship.CHILD if i else Relationship.HEAD)
                       for i in range(51)])
    response = clerk_client.get(SEARCH, {"family_name": "Schmitz"})
    assert len(response.context["found"].persons) == 50
    assert response.context["found"].more
    assert "Mehr als 50 Personen" in response.content.decode()


def test_only_the_registration_office_sees_the_register_in_the_navigation(
        clerk_client, town):
    other, device = make_staff(town, departments=[
        make_department(town, slug="steueramt", name="Steueramt")], email="s@x.example")
    assert SEARCH in clerk_client.get("/verwaltung/").content.decode()
    assert SEARCH not in office_client(other, device).get("/verwaltung/").content.decode()


# --- A person's entry -----------------------------------------------------------------------

def test_entry_keeps_the_old_and_the_new_address_after_a_move_within(clerk_client, register):
    response = clerk_client.get(entry_url(register["juergen"].pk))
    assert response.status_code == 200
    entry = response.context["entry"]
    assert [(str(r.dwelling.street), r.moved_in, r.moved_out) for r in entry.history] == [
        ("Brückenstraße", date(2025, 7, 1), None),
        ("Marktstraße", date(2019, 4, 1), date(2025, 7, 1)),
    ]
    page = response.content.decode()
    assert page.index("Brückenstraße 4") < page.index("Marktstraße 17")
    assert "01.07.2025" in page and "01.04.2019" in page


def test_entry_links_the_members_of_the_household(clerk_client, register):
    with authority_context(register["juergen"].authority):
        grete = Person.objects.get(given_names="Grete")
    page = clerk_client.get(entry_url(register["juergen"].pk)).content.decode()
    assert entry_url(grete.pk) in page
    assert "Ehegattin oder Ehegatte" in page


def test_entry_explains_each_objection(clerk_client, register):
    page = clerk_client.get(entry_url(register["hannah"].pk)).content.decode()
    assert "Adressbuchverlage" in page
    assert "01.06.2024" in page


def test_opening_an_entry_is_recorded_with_who_looked(clerk_client, clerk, register, town):
    hannah = register["hannah"]
    clerk_client.get(entry_url(hannah.pk))
    clerk_client.get(SEARCH, {"family_name": "Weiß"})  # a search opens nobody's entry
    with authority_context(town):
        viewed = list(AuditEntry.objects.filter(action="residents.person_viewed"))
    assert [(e.actor_id, e.object_type, e.object_id) for e in viewed] == [
        (clerk[0].pk, "residents.person", str(hannah.pk))]


# --- Nobody else ----------------------------------------------------------------------------

def test_other_staff_get_not_found_for_both_pages(town, register):
    other, device = make_staff(town, departments=[
        make_department(town, slug="steueramt", name="Steueramt")], email="s@x.example")
    client = office_client(other, device)
    assert client.get(SEARCH, {"family_name": "Müller"}).status_code == 404
    assert client.get(SEARCH).status_code == 404
    assert client.get(entry_url(register["juergen"].pk)).status_code == 404
    with authority_context(town):
        assert not AuditEntry.objects.filter(action="residents.person_viewed").exists()


def test_citizens_and_anonymous_visitors_are_sent_to_the_office_login(citizen, register):
    from django.test import Client

    for client in (citizen_logged_in(citizen), Client()):
        for path in (SEARCH + "?family_name=M%C3%BCller", entry_url(register["juergen"].pk)):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith("/verwaltung/anmelden/")


def test_a_person_of_another_authority_is_not_found(clerk_client, register, db):
    district = make_authority("rbk", name="Rheinisch-Bergischer Kreis", host="rbk.localhost")
    with authority_context(district):
        stranger = Person.objects.create(
            family_name="Müller", given_names="Klara", date_of_birth=date(1980, 1, 1),
            place_of_birth="Bonn", sex=Sex.FEMALE)
    assert clerk_client.get(entry_url(stranger.pk)).status_code == 404
    assert "Klara" not in names_found(clerk_client.get(SEARCH, {"family_name": "Müller"}))


def test_an_unknown_person_is_not_found(clerk_client, register):
    assert clerk_client.get(entry_url(999_999)).status_code == 404
