"""The council's structure kept by the Sitzungsdienst (rathaus.council.structure)."""

from datetime import date

import pytest

from rathaus.accounts.permissions import NotPermitted
from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.council import structure
from rathaus.council.errors import CouncilError
from rathaus.council.models import Membership, Organization, Person
from tests.factories import make_citizen, make_department, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(council_world):
    with authority_context(council_world.authority):
        yield council_world


def test_a_body_is_created_changed_and_deleted_as_a_mark(w):
    body = structure.save_organization(actor=w.clerk, values={
        "name": "Bezirksvertretung Witzhelden", "kind": Organization.Kind.DISTRICT})
    assert structure.save_organization(actor=w.clerk, values={
        "name": "Bezirksvertretung Witzhelden", "kind": Organization.Kind.DISTRICT}) == body
    before = body.modified_at
    body = structure.save_organization(actor=w.clerk, organization=body,
                                       values={"short_name": "BV W"})
    assert body.short_name == "BV W" and body.modified_at > before
    structure.delete_organization(actor=w.clerk, organization=body)
    body.refresh_from_db()
    assert body.deleted


def test_a_body_with_meetings_ahead_is_not_deleted(w):
    with pytest.raises(CouncilError):
        structure.delete_organization(actor=w.clerk, organization=w.committee)


def test_a_person_and_memberships_without_personal_data_in_the_log(w):
    person = structure.save_person(actor=w.clerk, values={
        "given_name": "Paula", "family_name": "Pohl", "party": "Bürgerliste"})
    group = Organization.objects.get(short_name="BL")
    membership = structure.save_membership(actor=w.clerk, values={
        "person": person, "organization": w.council, "role": "Mitglied",
        "voting_right": True, "start_date": date(2025, 11, 1), "on_behalf_of": group})
    with pytest.raises(CouncilError):
        structure.save_membership(actor=w.clerk, values={
            "person": person, "organization": w.council, "start_date": date(2026, 1, 1),
            "on_behalf_of": w.committee})
    structure.delete_person(actor=w.clerk, person=person)
    person.refresh_from_db()
    membership.refresh_from_db()
    assert person.deleted and membership.deleted
    logged = " ".join(str(e.data) for e in AuditEntry.objects.filter(
        action__startswith="council."))
    assert "Paula" not in logged and "Pohl" not in logged


def test_the_reading_room_account_is_a_citizen_account(w):
    with pytest.raises(CouncilError):
        structure.link_account(actor=w.clerk, person=w.kurt, email="nobody@example.org")
    with pytest.raises(CouncilError):  # a staff account is no councillor's account
        structure.link_account(actor=w.clerk, person=w.kurt, email=w.clerk.email)
    with pytest.raises(CouncilError):  # Clara's account opens Clara's reading room
        structure.link_account(actor=w.clerk, person=w.kurt, email=w.councillor.email)
    citizen = make_citizen("kurt.komitee@example.org")
    linked = structure.link_account(actor=w.clerk, person=w.kurt,
                                    email="Kurt.Komitee@example.org ")
    assert linked.user == citizen
    assert Person.objects.get(pk=w.kurt.pk).user == citizen


def test_a_term_and_a_place(w):
    term = structure.save_term(actor=w.clerk, values={
        "name": "Wahlperiode 2030–2035", "start_date": date(2030, 11, 1)})
    with pytest.raises(CouncilError):
        structure.save_term(actor=w.clerk, values={
            "name": "Falsch", "start_date": date(2030, 11, 1), "end_date": date(2030, 1, 1)})
    place = structure.save_location(actor=w.clerk, values={"description": "Bürgerhaus"})
    structure.delete_term(actor=w.clerk, term=term)
    structure.delete_location(actor=w.clerk, location=place)
    term.refresh_from_db()
    place.refresh_from_db()
    assert term.deleted and place.deleted


def test_staff_of_another_department_are_refused(w):
    other, _device = make_staff(w.authority, departments=[
        make_department(w.authority, slug="kaemmerei", name="Kämmerei")],
        email="k@leichlingen.example")
    with pytest.raises(NotPermitted):
        structure.save_person(actor=other, values={"given_name": "A", "family_name": "B"})
    with pytest.raises(NotPermitted):
        structure.delete_membership(actor=other, membership=Membership.objects.first())
