"""Bestattung anmelden: the definition, the Friedhofsverwaltung's booking page and the
decision. Approving a booked burial issues one fee notice whose GiroCode carries the
burial fee plus the right of use of the bylaw; a rejection gives the grave back; an
approval without a booking, or with one the bylaw no longer allows, is refused; only the
deciding department books."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.actions import DecisionRefused
from rathaus.cases.decisions import handler_for
from rathaus.cases.models import Case
from rathaus.cases.submission import submit_application
from rathaus.cases.workflow import take, workflow_named
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.cemeteries import burial_service, services
from rathaus.cemeteries.models import Burial, Grave, GraveKind, RightOfUse
from rathaus.forms.services import fill_in, save_step, start_draft
from rathaus.mailbox.models import Message
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.payments.demo import create_demo_payment_account
from rathaus.records.models import Document
from rathaus.records.selectors import latest_version, read_content
from rathaus.records.uploads import CheckedUpload
from tests.dogs.conftest import girocodes, pdf_text, pdfa_identification
from tests.factories import blank_pdf, make_department, make_staff, office_client

from .conftest import BYLAW, HOLDER

pytestmark = pytest.mark.django_db

SERVICE = "bestattung"


def _in_a_week(hour=11) -> datetime:
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def burial_pages(*, kind="urn", grave_kind=GraveKind.URN_CHOICE, existing: str = "",
                 right: str = "", holder_is="liable", consent=True) -> list[dict]:
    """The four steps as a browser posts them: Heinrich Beispiel, died last week, to be
    buried in a new grave of `grave_kind` (or the `existing` grave), Margarete Beispiel
    liable for the fees."""
    wished = _in_a_week()
    grave = ({"grave_choice": "existing", "existing_grave_number": existing,
              "existing_right_number": right} if existing else
             {"grave_choice": "new", "grave_kind": str(grave_kind)})
    holder = {} if existing else {"holder_is": holder_is, **(
        {"consent_grave_search": "on"} if consent else {})}
    if holder_is == "other" and not existing:
        holder |= {"holder_name": "Paul Beispiel", "holder_street": "Talweg 9",
                   "holder_postcode": "42799", "holder_city": "Leichlingen"}
    return [
        {"deceased_first_name": "Heinrich", "deceased_last_name": "Beispiel",
         "deceased_date_of_birth": "01.05.1940",
         "deceased_date_of_death": (timezone.localdate() - timedelta(days=5)).strftime(
             "%d.%m.%Y"),
         "deceased_street": "Am Hang 3", "deceased_postcode": "42799",
         "deceased_city": "Leichlingen"},
        {},
        {"burial_kind": kind, "cemetery": "FH-01", **grave,
         "wished_date": wished.strftime("%d.%m.%Y"), "wished_time": "11:00"},
        {"liable_name": HOLDER.name, "liable_street": HOLDER.street,
         "liable_postcode": HOLDER.postcode, "liable_city": HOLDER.city, **holder},
    ]


def apply_for_burial(applicant, **wishes) -> Case:
    """Fill in and send Bestattung anmelden through the services, with the Sterbeurkunde."""
    service = definition(SERVICE)
    draft = fill_in(draft=start_draft(user=applicant, definition=service),
                    definition=service, pages=burial_pages(**wishes))
    save_step(draft=draft, definition=service, step_index=1, cleaned={
        "death_certificate": CheckedUpload(content=blank_pdf(), media_type="application/pdf",
                                           filename="sterbeurkunde.pdf")})
    return submit_application(user=applicant, draft_id=draft.pk, definition=service)


@pytest.fixture
def burial_town(town, cemetery_world):
    """The town with its Friedhofsverwaltung offering Bestattung anmelden, its account
    and notice settings, active for the test."""
    with authority_context(town):
        create_demo_payment_account()
        create_demo_notice_settings()
        offer_service(definition=definition(SERVICE))
        yield cemetery_world


def _approve(case, clerk) -> Case:
    take(case, "approve", actor=clerk)
    return Case.objects.get(pk=case.pk)


def _notices(case) -> dict[str, bytes]:
    return {d.title: read_content(latest_version(d))
            for d in Document.objects.filter(case_file=case.case_file, kind="notice")}


def _book(case, world, grave=None, *, extension_years=0):
    grave = grave or world["graves"][GraveKind.URN_CHOICE][0]
    return burial_service.book(actor=world["clerk"], case=case, grave=grave,
                               buried_at=_in_a_week(), extension_years=extension_years)


# --- The definition and the workflow ----------------------------------------------------

def test_the_definition_loads_with_its_workflow_and_firm_access():
    service = definition(SERVICE)
    assert service.department == "friedhofsverwaltung"
    assert service.workflow_name == "burial_booking"
    assert [step.id for step in service.steps] == ["deceased", "certificate", "burial", "fees"]
    assert service.fields["death_certificate"].required
    assert {o.value for o in service.fields["grave_kind"].options} == set(GraveKind.values)
    table = workflow_named("burial_booking")
    with translation.override("de"):
        assert str(table.action("approve").label) == \
            "Bestattung bestätigen und Gebührenbescheid erteilen"
        assert str(table.action("reject").label) == "Bestattung ablehnen"
    assert handler_for(SERVICE).prepare is not None


# --- Deciding -----------------------------------------------------------------------------

def test_approving_a_booked_urn_burial_issues_one_fee_notice_with_the_bylaws_amount(
        burial_town, citizen):
    world = burial_town
    case = apply_for_burial(citizen)
    grave = world["graves"][GraveKind.URN_CHOICE][0]
    _book(case, world, grave)

    case = _approve(case, world["clerk"])

    assert case.status == "approved"
    bylaw = BYLAW[GraveKind.URN_CHOICE]
    amount = bylaw["burial_fee_urn"] + bylaw["right_fee"]  # 320 + 1,100
    notices = _notices(case)
    assert list(notices) == ["Gebührenbescheid Bestattung Grab A-4-1"]
    pdf = notices["Gebührenbescheid Bestattung Grab A-4-1"]
    assert pdfa_identification(pdf) == {"part": "2", "conformance": "B"}
    codes = girocodes(pdf)
    assert len(codes) == 1
    assert codes[0][0] == "BCD" and Decimal(codes[0][7].removeprefix("EUR")) == amount
    text = pdf_text(pdf)
    for expected in ("Margarete Beispiel", "Heinrich Beispiel", "A-4-1", "1.420,00",
                     "Rechtsbehelfsbelehrung", "Friedhofsverwaltung"):
        assert expected in text, expected
    burial = Burial.objects.get(case_reference=case.reference)
    assert burial.state == Burial.State.CONFIRMED
    right = RightOfUse.objects.get(grave=grave)
    assert (right.holder_name, right.consent_grave_search, right.consent_during_rest) == (
        HOLDER.name, True, False)
    assert right.holder == citizen or right.holder is None
    assert Grave.objects.get(pk=grave.pk).state == Grave.State.OCCUPIED
    (message,) = Message.objects.filter(recipient=citizen, reference=case.reference)
    assert message.attachments.count() == 1


def test_a_repeated_decision_issues_no_second_notice(burial_town, citizen):
    world = burial_town
    case = apply_for_burial(citizen)
    _book(case, world)
    case = _approve(case, world["clerk"])
    handler_for(SERVICE).decide(case)
    assert len(_notices(case)) == 1
    assert Message.objects.filter(reference=case.reference).count() == 1


def test_the_holder_named_apart_gets_the_right_of_use(burial_town, citizen):
    world = burial_town
    case = apply_for_burial(citizen, holder_is="other", consent=False)
    grave = world["graves"][GraveKind.URN_CHOICE][0]
    _book(case, world, grave)
    _approve(case, world["clerk"])
    right = RightOfUse.objects.get(grave=grave)
    assert (right.holder_name, right.holder_city, right.consent_grave_search) == (
        "Paul Beispiel", "Leichlingen", False)
    assert right.holder is None


def test_approving_without_a_booking_is_refused_and_the_case_stays_open(
        burial_town, citizen):
    world = burial_town
    case = apply_for_burial(citizen)
    with pytest.raises(DecisionRefused) as refused, translation.override("en"):
        take(case, "approve", actor=world["clerk"])
    assert "Book them on the booking page" in refused.value.message
    assert Case.objects.get(pk=case.pk).status == "submitted"
    with translation.override("en"):
        preview = dict(handler_for(SERVICE).preview(case))
    assert "Cannot be approved yet" in preview


def test_rejecting_gives_the_grave_back(burial_town, citizen):
    world = burial_town
    case = apply_for_burial(citizen)
    grave = world["graves"][GraveKind.URN_CHOICE][0]
    _book(case, world, grave)
    assert Grave.objects.get(pk=grave.pk).state == Grave.State.RESERVED

    take(case, "reject", actor=world["clerk"], text="Die Sterbeurkunde fehlt.")

    assert Grave.objects.get(pk=grave.pk).state == Grave.State.FREE
    assert Burial.objects.get(case_reference=case.reference).state == Burial.State.CANCELLED
    assert list(_notices(case)) == ["Ablehnungsbescheid"]


def test_an_existing_grave_needs_its_right_extended_to_cover_the_rest_period(
        burial_town, citizen):
    world = burial_town
    grave = world["graves"][GraveKind.URN_CHOICE][1]
    right = services.grant_right(actor=world["clerk"], grave=grave, holder=HOLDER,
                                 starts_on=date(2010, 1, 1))  # ends 2035: too soon
    case = apply_for_burial(citizen, existing=grave.asset.number, right=right.number)

    with pytest.raises(services.Refused) as refused, translation.override("en"):
        _book(case, world, grave)
    assert "Extend the right of use by at least" in refused.value.message

    _book(case, world, grave, extension_years=12)
    case = _approve(case, world["clerk"])
    bylaw = BYLAW[GraveKind.URN_CHOICE]
    amount = bylaw["burial_fee_urn"] + 12 * bylaw["extension_fee_per_year"]  # 320 + 528
    (pdf,) = _notices(case).values()
    assert Decimal(girocodes(pdf)[0][7].removeprefix("EUR")) == amount
    assert RightOfUse.objects.get(pk=right.pk).ends_on == date(2047, 1, 1)


def test_a_booking_the_bylaw_no_longer_allows_is_refused_at_approval(burial_town, citizen):
    world = burial_town
    case = apply_for_burial(citizen)
    grave = world["graves"][GraveKind.URN_CHOICE][0]
    _book(case, world, grave)
    # The grave is closed meanwhile (a subsidence): the booking cannot be carried out.
    Grave.objects.filter(pk=grave.pk).update(state=Grave.State.CLOSED)
    with pytest.raises(DecisionRefused) as refused, translation.override("en"):
        take(case, "approve", actor=world["clerk"])
    assert "is closed" in refused.value.message


# --- The booking page -------------------------------------------------------------------

def _page(case) -> str:
    return f"/verwaltung/friedhof/buchung/{case.pk}/"


def test_the_booking_page_checks_then_books_and_the_case_page_links_to_it(
        burial_town, citizen, town):
    world = burial_town
    case = apply_for_burial(citizen)
    client = office_client(world["clerk"], world["device"])

    response = client.get(f"/verwaltung/vorgaenge/{case.pk}/")
    assert _page(case) in response.content.decode()

    response = client.get(_page(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A-4-1" in page and "A-4-2" in page  # the field's free urn graves of choice
    assert "A-1-1" not in page  # a row grave is not of the wished type
    wished = _in_a_week()
    data = {"field": str(world["field"].pk), "grave": "A-4-1",
            "day": wished.strftime("%d.%m.%Y"), "time": "11:00"}

    response = client.post(_page(case), data | {"action": "check"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1.420,00" in page or "1420,00" in page
    assert not Burial.objects.filter(case_reference=case.reference).exists()

    response = client.post(_page(case), data | {"action": "book"})
    assert response.status_code == 302
    burial = Burial.objects.get(case_reference=case.reference)
    assert (burial.grave.asset.number, timezone.localtime(burial.buried_at).hour) == (
        "A-4-1", 11)


def test_the_booking_page_says_in_german_what_is_wrong(burial_town, citizen):
    world = burial_town
    case = apply_for_burial(citizen, kind="coffin", grave_kind=GraveKind.URN_CHOICE)
    client = office_client(world["clerk"], world["device"])
    client.cookies["django_language"] = "de"
    wished = _in_a_week()

    response = client.post(_page(case), {
        "action": "book", "field": str(world["field"].pk), "grave": "A-4-1",
        "day": wished.strftime("%d.%m.%Y"), "time": "11:00"})
    assert response.status_code == 200
    assert not Burial.objects.filter(case_reference=case.reference).exists()

    response = client.post(_page(case), {
        "action": "check", "field": str(world["field"].pk), "grave": "Z-9",
        "day": "31.02.2027", "time": "25:00"})
    assert response.status_code == 200
    assert "Februar" in response.content.decode()


def test_only_the_deciding_department_sees_the_booking_page(burial_town, citizen, town):
    world = burial_town
    case = apply_for_burial(citizen)
    elsewhere = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    other, device = make_staff(town, departments=[elsewhere], email="o@leichlingen.example")

    client = office_client(other, device)
    assert client.get(_page(case)).status_code == 404
    assert client.post(_page(case), {"action": "book"}).status_code == 404
    assert Client().get(_page(case)).status_code == 302  # to the office's login
    with pytest.raises(NotPermitted):
        burial_service.book(actor=other, case=case,
                            grave=world["graves"][GraveKind.URN_CHOICE][0],
                            buried_at=_in_a_week())
    assert not Burial.objects.filter(case_reference=case.reference).exists()


def test_the_booking_page_books_an_existing_grave_with_the_extension_it_needs(
        burial_town, citizen):
    world = burial_town
    grave = world["graves"][GraveKind.URN_CHOICE][1]
    right = services.grant_right(actor=world["clerk"], grave=grave, holder=HOLDER,
                                 starts_on=date(2010, 1, 1))
    case = apply_for_burial(citizen, existing=grave.asset.number, right="NR-1999-00001")
    client = office_client(world["clerk"], world["device"])
    client.cookies["django_language"] = "en"
    page = client.get(_page(case)).content.decode()
    assert f'value="{grave.asset.number}"' in page  # the grave the application names
    data = {"grave_number": grave.asset.number, "day": _in_a_week().strftime("%d.%m.%Y"),
            "time": "11:00"}

    page = client.post(_page(case), data | {"action": "check"}).content.decode()
    assert "Extend the right of use by at least 12 years" in page

    page = client.post(_page(case), data | {"action": "check",
                                            "extension_years": "12"}).content.decode()
    assert "528,00" in page or "528.00" in page  # 12 years at 44 euros
    assert right.number in page and "NR-1999-00001" in page  # the certificates differ

    response = client.post(_page(case), data | {"action": "book", "extension_years": "12"})
    assert response.status_code == 302
    assert Burial.objects.get(case_reference=case.reference).extension_years == 12
