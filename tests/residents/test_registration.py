"""Deciding a registration of residence: the register, the Meldebestätigung in the eAkte
and the mailbox, the Rückmeldung to the previous authority, the late note, refusal."""

import datetime
import io
import json

import pytest
from django.utils import timezone
from pypdf import PdfReader

from rathaus.audit.verification import verify_all
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.actions import OpenTasksRemain, propose_decision
from rathaus.cases.decisions import handler_for
from rathaus.cases.models import Case, CaseEvent, Task
from rathaus.mailbox.models import Message
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.records.models import Document
from rathaus.records.selectors import latest_version, read_content
from rathaus.residents.models import Objection, Person, Street
from rathaus.residents.selectors import address_history, current_address
from rathaus.residents.services import Newcomer, register_move_in
from tests.factories import (
    LANDLORD_BY_LINK,
    OWNER_MOVING_IN,
    apply_for_moving_house,
    make_authority,
    make_department,
    make_staff,
    offer_moving_house,
)

pytestmark = pytest.mark.django_db

REPORT = "Rückmeldung an die bisherige Meldebehörde"


@pytest.fixture
def moving_town(town):
    offer_moving_house(town)
    with authority_context(town):
        create_demo_notice_settings()
    return town


@pytest.fixture
def clerk(moving_town):
    with authority_context(moving_town):
        from rathaus.authorities.models import Department

        office = Department.objects.get(slug="buergerbuero")
    return make_staff(moving_town, departments=[office], email="melde@leichlingen.example")[0]


def _approve(case, clerk):
    propose_decision(case=case, staff=clerk, decision="approve")
    return Case.objects.get(pk=case.pk)


def _text(document) -> str:
    pdf = read_content(latest_version(document))
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_registering_enters_the_household_and_delivers_the_certificate(
        moving_town, clerk, citizen):
    with authority_context(moving_town):
        case = _approve(apply_for_moving_house(citizen, landlord=OWNER_MOVING_IN), clerk)
        assert case.status == "approved"
        bettina = Person.objects.get(given_names="Bettina")
        jan = Person.objects.get(given_names="Jan")
        for person in (bettina, jan):
            assert str(current_address(person)) == "Marktstraße 17, 42799 Leichlingen"
        assert bettina.membership.household == jan.membership.household
        assert set(Objection.objects.values_list("kind", flat=True)) == {"elections"}
        certificate = Document.objects.get(case_file=case.case_file, kind="notice")
        text = _text(certificate)
        message = Message.objects.get(recipient=citizen)
        assert message.attachments.count() == 1
        assert message.receipts.count() >= 2
        report = Document.objects.get(case_file=case.case_file, title=REPORT)
        report_data = json.loads(read_content(latest_version(report)))
    assert certificate.title == "Meldebestätigung"
    assert "Bettina" in text and "Weber" in text and "Marktstraße 17" in text
    assert "gebührenfrei" in text
    assert report_data["previous_address"] == "Domstraße 5, 50667 Köln"
    assert [p["given_names"] for p in report_data["persons"]] == ["Bettina", "Jan"]


def test_a_move_within_the_town_keeps_the_old_address_in_the_history(
        moving_town, clerk, citizen):
    with authority_context(moving_town):
        Street.objects.create(key="00340", name="Brückenstraße", postcode="42799",
                              place="Leichlingen", district="Leichlingen-Mitte")
        from rathaus.residents.directory import dwelling_at, street_named

        old = dwelling_at(street=street_named("Brückenstraße"), house_number="4")
        register_move_in(actor=clerk, dwelling=old, moved_in=datetime.date(2020, 1, 1),
                         kind="main", household=[
                             Newcomer(family_name="Beispiel", given_names="Bettina",
                                      date_of_birth=datetime.date(1985, 3, 2),
                                      place_of_birth="Köln", sex="w"),
                             Newcomer(family_name="Weber", given_names="Jan",
                                      date_of_birth=datetime.date(1983, 7, 9),
                                      place_of_birth="Solingen", sex="m",
                                      relationship="spouse")])
        case = apply_for_moving_house(citizen, landlord=OWNER_MOVING_IN, within=True)
        _approve(case, clerk)
        bettina = Person.objects.get(given_names="Bettina")
        history = [(str(r.dwelling), r.moved_out is None) for r in address_history(bettina)]
        assert Person.objects.filter(given_names="Bettina").count() == 1
        assert not Document.objects.filter(title=REPORT).exists()
    assert history == [("Brückenstraße 4, 42799 Leichlingen", False),
                       ("Marktstraße 17, 42799 Leichlingen", True)]


def test_the_previous_town_on_the_instance_gets_the_report_in_its_basket(
        moving_town, clerk, citizen):
    burscheid = make_authority("koeln", name="Stadt Köln", host="koeln.localhost")
    office = make_department(burscheid, slug="buergerbuero", name="Bürgerbüro")
    old_clerk = make_staff(burscheid, departments=[office], email="melde@burscheid.example")[0]
    with authority_context(burscheid):
        Street.objects.create(key="00800", name="Domstraße", postcode="50667", place="Köln",
                              district="Mitte")
        from rathaus.residents.directory import dwelling_at, street_named

        register_move_in(actor=old_clerk, dwelling=dwelling_at(
            street=street_named("Domstraße"), house_number="5"),
            moved_in=datetime.date(2015, 5, 1), kind="main", household=[
                Newcomer(family_name="Beispiel", given_names="Bettina",
                         date_of_birth=datetime.date(1985, 3, 2), place_of_birth="Köln",
                         sex="w")])
    with authority_context(moving_town):
        case = _approve(apply_for_moving_house(citizen, landlord=OWNER_MOVING_IN), clerk)
        assert not Document.objects.filter(title=REPORT).exists()
    with authority_context(burscheid):
        bettina = Person.objects.get(given_names="Bettina")
        assert current_address(bettina) is None
        task = Task.objects.get(department=office)
    assert task.case is None and case.reference == task.reference
    assert verify_all()[1] == [], "each town's entries on its own audit chain"
    assert "Rückmeldung" in task.title and "Bettina Beispiel" in task.title


def test_a_late_registration_is_accepted_with_a_note_for_the_clerk(moving_town, clerk, citizen):
    moved_in = timezone.localdate() - datetime.timedelta(days=30)
    with authority_context(moving_town):
        case = apply_for_moving_house(citizen, landlord=OWNER_MOVING_IN, move_in=moved_in)
        note = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.NOTE)
        preview = dict(handler_for("wohnsitzanmeldung").preview(case))
    assert "16 Tage" in note.text and note.internal
    assert any("16" in str(value) and "§ 17" in str(value) for value in preview.values())


def test_the_clerk_cannot_register_before_the_landlord_confirmed(moving_town, clerk, citizen):
    with authority_context(moving_town):
        case = apply_for_moving_house(citizen, landlord=LANDLORD_BY_LINK)
        with pytest.raises(OpenTasksRemain):
            propose_decision(case=case, staff=clerk, decision="approve")
        assert not Person.objects.exists()


def test_a_refused_registration_changes_nothing_in_the_register(moving_town, clerk, citizen):
    with authority_context(moving_town):
        case = apply_for_moving_house(citizen, landlord=OWNER_MOVING_IN)
        propose_decision(case=case, staff=clerk, decision="reject",
                         reason="Die Wohnung gibt es nicht.")
        assert not Person.objects.exists()
        notice = Document.objects.get(case_file=case.case_file, kind="notice")
    assert notice.title == "Ablehnungsbescheid"


def test_nobody_else_reaches_a_move(moving_town, clerk, citizen):
    """Another citizen and staff of another department get "not found" for the case;
    the Bürgerbüro's clerk opens it."""
    from django.urls import reverse

    from tests.factories import citizen_logged_in, make_citizen, office_client

    with authority_context(moving_town):
        case = apply_for_moving_house(citizen, landlord=LANDLORD_BY_LINK)
    tax_office = make_department(moving_town, slug="steueramt", name="Steueramt")
    other_staff, other_device = make_staff(moving_town, departments=[tax_office],
                                           email="steuer@leichlingen.example")
    office_url = f"/verwaltung/vorgaenge/{case.pk}/"
    portal_url = reverse("portal:case", kwargs={"case_id": case.pk})
    host = {"HTTP_HOST": "leichlingen.localhost"}
    assert citizen_logged_in(make_citizen("nachbarin@example.org")).get(
        portal_url, **host).status_code == 404
    assert office_client(other_staff, other_device).get(office_url, **host).status_code == 404
    assert citizen_logged_in(citizen).get(portal_url, **host).status_code == 200
    clerks_device = clerk.totpdevice_set.first()
    assert office_client(clerk, clerks_device).get(office_url, **host).status_code == 200
