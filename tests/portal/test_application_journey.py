import io

from pypdf import PdfReader

from rathaus.audit.verification import verify_all
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case, Task
from rathaus.forms.models import Draft
from rathaus.records.models import Document
from tests.factories import (
    DOG,
    HOLDER,
    PAYMENT_SEPA,
    PAYMENT_TRANSFER,
    SMALL_DOG,
    pdf_upload,
    send_step,
    start_application,
)


def test_service_page_says_what_is_needed(dog_service, client):
    page = client.get("/leistungen/hundeanmeldung/")
    assert page.status_code == 200
    assert "Sachkunde" in page.text and "LHundG" in page.text
    assert "/konto/anmelden/?next=/leistungen/hundeanmeldung/" in page.text


def test_holder_step_is_prefilled_from_the_account(dog_service, citizen, citizen_client):
    citizen.profile.street = "Musterweg"
    citizen.profile.save()
    draft_id = start_application(citizen_client)
    page = citizen_client.get(f"/antraege/{draft_id}/schritt/1/")
    assert 'value="Musterweg"' in page.text and 'value="Bettina"' in page.text


def test_citizen_sends_a_small_dog_and_gets_case_receipt_and_one_task(
    dog_service, citizen_client, town
):
    draft_id = start_application(citizen_client)
    assert send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER).status_code == 302
    assert send_step(citizen_client, draft_id=draft_id, number=2, data=SMALL_DOG).status_code == 302
    assert send_step(citizen_client, draft_id=draft_id, number=3,
                     data={"is_large": "no"}).status_code == 302
    response = send_step(citizen_client, draft_id=draft_id, number=4, data=PAYMENT_TRANSFER)
    assert response["Location"] == f"/antraege/{draft_id}/pruefen/"
    summary = citizen_client.get(response["Location"])
    assert "276098100123456" in summary.text and "Dackel" in summary.text

    response = citizen_client.post(f"/antraege/{draft_id}/absenden/")
    assert response.status_code == 302
    with authority_context(town):
        case = Case.objects.get()
        assert case.reference.startswith("21.33.01-")
        assert [t.department.slug for t in Task.objects.filter(case=case)] == ["steueramt"]
        kinds = sorted(Document.objects.filter(case_file=case.case_file)
                       .values_list("kind", flat=True))
        assert kinds == ["application", "receipt"]
    page = citizen_client.get(response["Location"])
    assert case.reference in page.text
    # The confirmation says what happens next and how long it usually takes.
    assert "Wie es weitergeht" in page.text and "In der Regel zwei Wochen" in page.text
    assert "Wie es weitergeht" not in citizen_client.get(f"/vorgaenge/{case.pk}/").text

    receipt = citizen_client.get(f"/vorgaenge/{case.pk}/eingangsbestaetigung/")
    assert receipt["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(receipt.streaming_content)))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert case.reference in text and case.answers_sha256 in text.replace("\n", "")
    assert verify_all()[1] == []


def test_large_dog_goes_to_the_ordnungsamt_too_with_its_uploads(
    dog_service, citizen_client, town
):
    draft_id = start_application(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER)
    send_step(citizen_client, draft_id=draft_id, number=2, data=DOG)
    # The steps already reached are links in the progress bar; later ones are not.
    progress = citizen_client.get(f"/antraege/{draft_id}/schritt/3/").text.split(
        'class="progress__steps"', 1)[1].split("</ol>", 1)[0]
    for reached in (1, 2):
        assert f'href="/antraege/{draft_id}/schritt/{reached}/"' in progress
    assert "schritt/3/" not in progress and "schritt/4/" not in progress
    response = send_step(citizen_client, draft_id=draft_id, number=3, data={
        "is_large": "yes", "proof_of_expertise": pdf_upload("sachkunde.pdf")})
    assert response.status_code == 302
    send_step(citizen_client, draft_id=draft_id, number=4, data=PAYMENT_SEPA)
    # The summary says which proof is still to come and links to its step.
    summary = citizen_client.get(f"/antraege/{draft_id}/pruefen/").text
    assert "Noch nicht hochgeladene Nachweise" in summary
    hint = summary.split("Noch nicht hochgeladene Nachweise", 1)[1].split("</ul>", 1)[0]
    assert "Nachweis der Haftpflichtversicherung" in hint
    assert "Nachweis der Sachkunde" not in hint  # that one is there
    assert f"/antraege/{draft_id}/schritt/3/" in hint
    citizen_client.post(f"/antraege/{draft_id}/absenden/")
    with authority_context(town):
        case = Case.objects.get()
        assert sorted(t.department.slug for t in case.tasks.all()) == ["ordnungsamt", "steueramt"]
        uploads = Document.objects.filter(case_file=case.case_file, kind="upload")
        assert [d.title for d in uploads] == ["Nachweis der Sachkunde"]
        assert case.answers["dog_category"] == "normal"
        assert case.answers["iban"] == "DE02120300000000202051"


def test_listed_breed_is_recognised_and_needs_the_ordnungsamt(dog_service, citizen_client, town):
    draft_id = start_application(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER)
    send_step(citizen_client, draft_id=draft_id, number=2, data={**DOG, "breed": "rottweiler"})
    page = citizen_client.get(f"/antraege/{draft_id}/schritt/3/")
    assert 'name="permit"' in page.text
    send_step(citizen_client, draft_id=draft_id, number=3, data={"is_large": "no"})
    send_step(citizen_client, draft_id=draft_id, number=4, data=PAYMENT_TRANSFER)
    citizen_client.post(f"/antraege/{draft_id}/absenden/")
    with authority_context(town):
        case = Case.objects.get()
        assert case.answers["dog_category"] == "section_10"
        assert case.tasks.filter(department__slug="ordnungsamt").exists()


def test_double_submit_creates_one_application(dog_service, citizen_client, town):
    draft_id = start_application(citizen_client)
    for number, data in enumerate([HOLDER, SMALL_DOG, {"is_large": "no"}, PAYMENT_TRANSFER], 1):
        send_step(citizen_client, draft_id=draft_id, number=number, data=data)
    first = citizen_client.post(f"/antraege/{draft_id}/absenden/")
    second = citizen_client.post(f"/antraege/{draft_id}/absenden/")
    assert first["Location"] == second["Location"]
    with authority_context(town):
        assert Case.objects.count() == 1


def test_back_keeps_what_was_typed_and_drafts_resume_from_my_account(
    dog_service, citizen_client, town
):
    draft_id = start_application(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER)
    response = send_step(citizen_client, draft_id=draft_id, number=2,
                         data={**DOG, "microchip": "123", "back": "1"})
    assert response["Location"] == f"/antraege/{draft_id}/schritt/1/"
    page = citizen_client.get(f"/antraege/{draft_id}/schritt/2/")
    assert 'value="Bello"' in page.text
    with authority_context(town):
        assert "microchip" not in Draft.objects.get().answers  # invalid value not kept
    overview = citizen_client.get("/konto/")
    assert f"/antraege/{draft_id}/" in overview.text


def test_wrong_values_get_german_messages_and_nothing_is_sent(dog_service, citizen_client):
    draft_id = start_application(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=1, data=HOLDER)
    bad = {**DOG, "microchip": "27609810012345", "taken_in": "01.01.2099",
           "dog_birth_date": "31.02.2022", "dog_name": "", "sex": "unknown"}
    page = send_step(citizen_client, draft_id=draft_id, number=2, data=bad)
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) == {"microchip", "taken_in", "dog_birth_date", "dog_name", "sex"}
    assert "15 Ziffern" in page.text
    assert "Zukunft" in page.text
    response = send_step(citizen_client, draft_id=draft_id, number=4, data=PAYMENT_SEPA)
    assert response.status_code == 404, "later steps cannot be skipped to"


def test_iban_checksum_is_checked(dog_service, citizen_client):
    draft_id = start_application(citizen_client)
    for number, data in enumerate([HOLDER, SMALL_DOG, {"is_large": "no"}], 1):
        send_step(citizen_client, draft_id=draft_id, number=number, data=data)
    page = send_step(citizen_client, draft_id=draft_id, number=4,
                     data={**PAYMENT_SEPA, "iban": "DE03120300000000202051"})
    assert page.status_code == 200
    assert "iban" in page.context["form"].errors
    page = send_step(citizen_client, draft_id=draft_id, number=4, data={"payment_method": "sepa"})
    assert {"iban", "account_holder", "sepa_consent"} <= set(page.context["form"].errors)


def test_another_citizen_cannot_open_the_draft_or_case(dog_service, citizen_client, town):
    from django.test import Client

    from tests.factories import PASSWORD, make_citizen

    draft_id = start_application(citizen_client)
    other = make_citizen("other@example.org")
    intruder = Client()
    intruder.post("/konto/anmelden/", {"username": other.email, "password": PASSWORD})
    for url in (f"/antraege/{draft_id}/schritt/1/", f"/antraege/{draft_id}/pruefen/"):
        assert intruder.get(url).status_code == 404
    assert intruder.post(f"/antraege/{draft_id}/absenden/").status_code == 404
    for number, data in enumerate([HOLDER, SMALL_DOG, {"is_large": "no"}, PAYMENT_TRANSFER], 1):
        send_step(citizen_client, draft_id=draft_id, number=number, data=data)
    citizen_client.post(f"/antraege/{draft_id}/absenden/")
    with authority_context(town):
        case = Case.objects.get()
    assert intruder.get(f"/vorgaenge/{case.pk}/").status_code == 404
    assert intruder.get(f"/vorgaenge/{case.pk}/eingangsbestaetigung/").status_code == 404


def test_service_needing_a_stronger_login_cannot_be_started(dog_service, citizen_client, town):
    from rathaus.catalog import registry
    from rathaus.catalog.definitions import ServiceDefinition

    original = registry.definition("hundeanmeldung")
    stronger = ServiceDefinition(**{**original.__dict__, "minimum_login_level": "hoch"})
    registry._definitions["hundeanmeldung"] = stronger
    try:
        response = citizen_client.post("/leistungen/hundeanmeldung/beantragen/")
        assert response.status_code == 403
        assert "Online-Ausweis" in response.text or "online ID card" in response.text
        with authority_context(town):
            assert not Draft.objects.exists()
    finally:
        registry._definitions["hundeanmeldung"] = original
