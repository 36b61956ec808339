"""From the application to the notice in the mailbox, through the office."""

import io

from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from rathaus.audit.models import AccessLogEntry
from rathaus.audit.verification import verify_all
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.dogs.dog_registration import assessment_for
from rathaus.dogs.models import Dog
from rathaus.mailbox.models import Message
from rathaus.notices.formats import euro
from rathaus.records.models import Document
from tests.factories import (
    PASSWORD,
    PAYMENT_SEPA,
    approve_in_the_office,
    departments_of,
    make_staff,
    office_client,
    pdf_upload,
    send_application,
)


def test_large_dog_through_both_departments_and_four_eyes_to_the_notice(
    dog_town, citizen, citizen_client, smtp_inbox
):
    case_id = send_application(citizen_client, safety={"is_large": "yes"},
                               payment=PAYMENT_SEPA)
    departments = departments_of(dog_town)
    clerk, clerk_device = make_staff(dog_town, departments=[departments["steueramt"]],
                                     email="max@x.example")
    second, second_device = make_staff(dog_town, departments=[departments["steueramt"]],
                                       email="erika@x.example")
    order, order_device = make_staff(dog_town, departments=[departments["ordnungsamt"]],
                                     email="otto@x.example")

    office = office_client(clerk, clerk_device)
    basket = office.get("/verwaltung/").text
    assert f"/verwaltung/vorgaenge/{case_id}/" in basket
    page = office.get(f"/verwaltung/vorgaenge/{case_id}/")
    assert page.status_code == 200 and "Bello" in page.text
    assert AccessLogEntry.all_authorities.filter(staff=clerk, citizen=citizen).exists()

    # The Ordnungsamt has not finished: approving is refused.
    office.post(f"/verwaltung/vorgaenge/{case_id}/schritt/approve/")
    with authority_context(dog_town):
        assert Case.objects.get(pk=case_id).status == "submitted"

    # Ask for the insurance proof; the citizen answers with a file.
    office.post(f"/verwaltung/vorgaenge/{case_id}/schritt/request_information/",
                {"text": "Bitte reichen Sie den Versicherungsnachweis nach."})
    with authority_context(dog_town):
        assert Case.objects.get(pk=case_id).status == "waiting"
        assert Message.objects.filter(recipient=citizen).count() == 1
    page = citizen_client.get(f"/vorgaenge/{case_id}/")
    assert "Versicherungsnachweis" in page.text and 'name="files"' in page.text
    response = citizen_client.post(f"/vorgaenge/{case_id}/", {
        "text": "Anbei der Nachweis.", "files": pdf_upload("versicherung.pdf")})
    assert response.status_code == 302
    with authority_context(dog_town):
        assert Case.objects.get(pk=case_id).status == "in_review"

    ordnungsamt = office_client(order, order_device)
    ordnungsamt.post(f"/verwaltung/vorgaenge/{case_id}/schritt/complete_task/",
                     {"text": "Sachkunde und Versicherung geprüft."})

    office.post(f"/verwaltung/vorgaenge/{case_id}/schritt/approve/")
    with authority_context(dog_town):
        assert Case.objects.get(pk=case_id).status == "awaiting_confirmation"
    # The same clerk cannot confirm their own proposal.
    office.post(f"/verwaltung/vorgaenge/{case_id}/schritt/confirm/")
    with authority_context(dog_town):
        assert Case.objects.get(pk=case_id).status == "awaiting_confirmation"

    # The second clerk sees what the notice will set before confirming it.
    confirming = office_client(second, second_device)
    page = confirming.get(f"/verwaltung/vorgaenge/{case_id}/").content.decode()
    assert "If approved today, the notice says" in page or "Bei Genehmigung heute" in page
    with authority_context(dog_town):
        expected = assessment_for(Case.objects.get(pk=case_id), on=timezone.localdate())
    assert euro(expected.amount) in page
    assert euro(expected.payments[0].amount) in page

    confirming.post(f"/verwaltung/vorgaenge/{case_id}/schritt/confirm/")
    with authority_context(dog_town):
        case = Case.objects.get(pk=case_id)
        assert case.status == "approved"
        dog = Dog.objects.get(case=case)
        assert dog.tax_tag_number == 1 and dog.name == "Bello"
        notice = Document.objects.get(case_file=case.case_file, kind="notice")
        message = Message.objects.filter(recipient=citizen).order_by("-created_at").first()
        assert message.attachments.count() == 1
    assert notice.title.startswith("Steuerbescheid")
    assert verify_all()[1] == []


def test_staff_of_another_department_cannot_open_the_case(dog_town, citizen_client):
    case_id = send_application(citizen_client)
    departments = departments_of(dog_town)
    staff, device = make_staff(dog_town, departments=[departments["ordnungsamt"]],
                               email="otto@x.example")
    response = office_client(staff, device).get(f"/verwaltung/vorgaenge/{case_id}/")
    assert response.status_code == 404, "a small dog gives the Ordnungsamt no task"


def test_rejection_needs_a_reason_and_reaches_the_mailbox(dog_town, citizen, citizen_client):
    case_id = send_application(citizen_client)
    departments = departments_of(dog_town)
    clerk, device = make_staff(dog_town, departments=[departments["steueramt"]],
                               email="max@x.example")
    second, second_device = make_staff(dog_town, departments=[departments["steueramt"]],
                                       email="e@x.example")
    office = office_client(clerk, device)
    office.post(f"/verwaltung/vorgaenge/{case_id}/schritt/reject/", {"text": ""})
    with authority_context(dog_town):
        assert Case.objects.get(pk=case_id).status == "submitted"
    office.post(f"/verwaltung/vorgaenge/{case_id}/schritt/reject/",
                {"text": "Der Hund ist bereits angemeldet."})
    office_client(second, second_device).post(f"/verwaltung/vorgaenge/{case_id}/schritt/confirm/")
    from rathaus.records.selectors import latest_version, read_content

    with authority_context(dog_town):
        case = Case.objects.get(pk=case_id)
        assert case.status == "rejected"
        message = Message.objects.get(recipient=citizen)
        assert [a.media_type for a in message.attachments.all()] == ["application/pdf"]
        assert not Dog.objects.exists()
        notice = Document.objects.get(case_file=case.case_file, kind="notice")
        assert notice.title == "Ablehnungsbescheid"
        pdf = read_content(latest_version(notice))
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert case.reference in text
    assert "lehnen wir ab" in text and "Der Hund ist bereits angemeldet." in text
    assert "Rechtsbehelfsbelehrung" in text and "Verwaltungsgericht" in text
    assert "fristgerecht zu zahlen" not in text  # a rejection charges nothing


def test_notice_pdf_names_the_file_reference(dog_town, citizen_client):
    case_id = send_application(citizen_client)
    approve_in_the_office(dog_town, case_id)
    from rathaus.records.selectors import latest_version, read_content

    with authority_context(dog_town):
        case = Case.objects.get(pk=case_id)
        notice = Document.objects.get(case_file=case.case_file, kind="notice")
        pdf = read_content(latest_version(notice))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert case.reference in text and "Hundesteuer" in text


def _approved_dog(dog_town, citizen_client):
    case_id = send_application(citizen_client)
    approve_in_the_office(dog_town, case_id)
    with authority_context(dog_town):
        return Dog.objects.get()


def test_citizen_deregisters_the_dog_and_gets_a_change_notice(
    dog_town, citizen, citizen_client
):
    from django.utils import timezone

    dog = _approved_dog(dog_town, citizen_client)
    overview = citizen_client.get("/konto/")
    assert f"/hunde/{dog.pk}/abmelden/" in overview.text
    today = timezone.localdate()
    bad = citizen_client.post(f"/hunde/{dog.pk}/abmelden/",
                              {"given_up_on": "01.01.2099", "reason": "died"})
    assert bad.status_code == 200 and "given_up_on" in bad.context["form"].errors
    response = citizen_client.post(f"/hunde/{dog.pk}/abmelden/",
                                   {"given_up_on": today.strftime("%d.%m.%Y"), "reason": "died"})
    assert response["Location"] == f"/hunde/{dog.pk}/abmelden/pruefen/"
    response = citizen_client.post(f"/hunde/{dog.pk}/abmelden/pruefen/")
    assert response["Location"] == f"/hunde/{dog.pk}/abmelden/bestaetigung/"
    with authority_context(dog_town):
        dog.refresh_from_db()
        assert dog.given_up_on == today
        notices = Document.objects.filter(case_file=dog.case.case_file, kind="notice")
        assert sorted(d.title.split()[0] for d in notices) == ["Steuerbescheid",
                                                               "Änderungsbescheid"]
        assert Message.objects.filter(recipient=citizen).count() == 2
    # Twice is not possible, and nobody else can deregister the dog.
    again = citizen_client.post(f"/hunde/{dog.pk}/abmelden/pruefen/")
    assert again["Location"] == f"/hunde/{dog.pk}/abmelden/bestaetigung/"
    from tests.factories import make_citizen

    other = make_citizen("other@example.org")
    intruder = Client()
    intruder.post("/konto/anmelden/", {"username": other.email, "password": PASSWORD})
    assert intruder.get(f"/hunde/{dog.pk}/abmelden/").status_code == 404


def test_notice_message_says_what_to_pay_and_where(dog_town, citizen, citizen_client):
    from rathaus.mailbox.services import open_message

    _approved_dog(dog_town, citizen_client)
    with authority_context(dog_town):
        message = Message.objects.filter(recipient=citizen).order_by("-created_at").first()
        opened = open_message(user=citizen, message_id=message.pk)
    assert "fällig am" in opened.body and "IBAN" in opened.body
    assert "Verwendungszweck: Hundesteuer" in opened.body
