"""A district's service applied for in a town's portal: the application goes over,
encrypted, and becomes a case in the district's basket; the town keeps only its status,
and the status comes back."""

import json

import pytest
from django.core import serializers
from django.test import Client

from rathaus.accounts.login_levels import LoginLevel
from rathaus.accounts.models import User
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import TenantScopedModel, authority_context
from rathaus.cases.actions import request_information
from rathaus.cases.forwarding import forward_application
from rathaus.cases.models import Case, CaseEvent, ForwardedApplication
from rathaus.cases.submission_steps import SubmissionRefused
from rathaus.catalog.registry import definition
from rathaus.catalog.services import offer_service
from rathaus.forms.services import start_draft
from rathaus.handover.models import Submission
from rathaus.vehicles.models import PlateEntry, RegisteredVehicle
from rathaus.vehicles.vehicle_register import hash_code
from tests.factories import departments_of, make_department, make_staff
from tests.identity.saml_helpers import log_in

SERVICE = "fahrzeugzulassung"
VIN = "WVWZZZ1JZXW000001"
PAGES = [
    {"continue": ""},  # the applicant: everything from the ID card
    {"registration_kind": "new", "vin": VIN, "certificate_number": "AB1234567",
     "certificate_code": "K7M2P9Q4R8T3"},
    {"evb": "A1B2C3D"},
    {"plate_choice": "chosen", "plate": "GL-RH 2026"},
    {"account_holder": "Anna Testfrau", "iban": "DE02120300000000202051",
     "sepa_consent": "on"},
]
CONTENT = [VIN, "A1B2C3D", "K7M2P9Q4R8T3", "DE02120300000000202051", "RH2026", "RH 2026"]


@pytest.fixture
def kreis(district, town):
    district.kind, district.municipality_key = Authority.Kind.DISTRICT, "05378"
    district.name_in_sentence = "der Rheinisch-Bergische Kreis"
    district.save()
    town.parent, town.municipality_key, town.city = district, "05378020", "Leichlingen"
    town.save()
    make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    with authority_context(district):
        offer_service(definition=definition(SERVICE))
        RegisteredVehicle.objects.create(
            vin=VIN, make="Volkswagen", model="ID.3", certificate_number="AB1234567",
            certificate_code_hash=hash_code("K7M2P9Q4R8T3"))
    with authority_context(town):  # the town offers it without the department
        offer_service(definition=definition(SERVICE))
    return district


@pytest.fixture
def applicant_client(kreis):
    client = Client()
    log_in(client, person="anna")
    return client


def apply(client) -> str:
    response = client.post(f"/leistungen/{SERVICE}/beantragen/")
    assert response.status_code == 302, response.content[:300]
    draft_url = response["Location"].rsplit("schritt/", 1)[0]
    for number, page in enumerate(PAGES, start=1):
        response = client.post(f"{draft_url}schritt/{number}/", page)
        assert response.status_code == 302, _errors(response)
    return client.post(f"{draft_url}absenden/")


def kreis_case(kreis) -> Case:
    with authority_context(kreis):
        return Case.objects.select_related("applicant").get(service_id=SERVICE)


@pytest.mark.django_db
def test_the_towns_service_page_names_the_district_and_the_encrypted_way(kreis):
    page = Client().get(f"/leistungen/{SERVICE}/").content.decode()
    assert ("Zuständig ist der Rheinisch-Bergische Kreis. Ihr Antrag geht verschlüsselt "
            "dorthin.") in page


@pytest.mark.django_db
def test_a_town_whose_district_is_elsewhere_links_there_instead_of_a_form(kreis, town):
    town.parent, town.parent_name = None, "Kreis Mettmann"
    town.parent_url = "https://www.kreis-mettmann.example/kfz"
    town.save()
    page = Client().get(f"/leistungen/{SERVICE}/").content.decode()
    assert "https://www.kreis-mettmann.example/kfz" in page
    assert "beantragen/" not in page


@pytest.mark.django_db
def test_the_application_becomes_a_case_in_the_districts_basket(applicant_client, kreis,
                                                                   town):
    response = apply(applicant_client)
    case = kreis_case(kreis)
    assert case.answers["vin"] == VIN and case.answers["plate"] == "GL-RH 2026"
    assert case.applicant.first_name == "Anna" and case.handover_submission_id
    with authority_context(kreis):
        assert case.tasks.get().department.slug == "strassenverkehrsamt"
        assert case.case_file.documents.filter(kind="receipt").exists()
        assert PlateEntry.objects.get(key="GLRH2026").holder_reference == case.reference
    with authority_context(town):
        forwarded = ForwardedApplication.objects.get()
    assert response["Location"] == f"/vorgaenge/weitergeleitet/{forwarded.pk}/?neu=1"
    page = applicant_client.get(response["Location"]).content.decode()
    assert "Eingegangen" in page and case.reference in page
    assert f'href="http://rbk.localhost:8000/vorgaenge/{case.pk}/"' in page


@pytest.mark.django_db
def test_the_town_keeps_no_content_of_the_application(applicant_client, kreis, town):
    apply(applicant_client)
    kept = []
    for model in _tenant_models():
        with authority_context(town):
            kept += json.loads(serializers.serialize("json", model.objects.all()))
    text = json.dumps(kept, ensure_ascii=False)
    assert not [value for value in CONTENT if value in text]
    with authority_context(kreis):  # while the district has it
        assert VIN in json.dumps(Case.objects.get().answers)


def _tenant_models():
    from django.apps import apps

    return [m for m in apps.get_models()
            if issubclass(m, TenantScopedModel) and not m._meta.proxy]


@pytest.mark.django_db
def test_sending_twice_sends_once(applicant_client, kreis, town):
    apply(applicant_client)
    with authority_context(town):
        forwarded = ForwardedApplication.objects.get()
        draft_id = forwarded.draft_id
    again = applicant_client.post(f"/antraege/{draft_id}/absenden/")
    assert again["Location"].startswith(f"/vorgaenge/weitergeleitet/{forwarded.pk}/")
    with authority_context(kreis):
        assert Case.objects.count() == 1


@pytest.mark.django_db
def test_the_districts_question_shows_in_the_towns_portal(applicant_client, kreis, town):
    apply(applicant_client)
    case = kreis_case(kreis)
    clerk, _device = make_staff(kreis, departments=departments_of(kreis).values(),
                                email="klara@rbk.example")
    with authority_context(kreis):
        request_information(case=case, staff=clerk, text="Bitte senden Sie die HU-Bescheinigung.")
    with authority_context(town):
        forwarded = ForwardedApplication.objects.get()
    page = applicant_client.get(f"/vorgaenge/weitergeleitet/{forwarded.pk}/").content.decode()
    assert "In Bearbeitung" in page and "Rückfrage" in page
    assert "HU-Bescheinigung" not in page  # the question itself stays at the district


@pytest.mark.django_db
def test_a_citizen_without_an_id_card_login_is_asked_to_log_in_with_it(kreis, town, citizen):
    with authority_context(town):
        draft = start_draft(user=citizen, definition=definition(SERVICE))
        draft.answers = kreis_answers()
        draft.save()
        with pytest.raises(SubmissionRefused, match="Online-Ausweis"):
            forward_application(user=citizen, draft_id=draft.pk,
                                definition=definition(SERVICE), destination=kreis,
                                login_level="hoch")
        assert not ForwardedApplication.objects.exists()


@pytest.mark.django_db
def test_a_hand_over_below_the_services_login_level_fails_for_staff(applicant_client, kreis,
                                                                    town):
    user = User.objects.get(first_name="Anna")
    with authority_context(town):
        draft = start_draft(user=user, definition=definition(SERVICE))
        draft.answers = kreis_answers()
        draft.save()
        forward_application(user=user, draft_id=draft.pk, definition=definition(SERVICE),
                            destination=kreis, login_level=LoginLevel.SUBSTANZIELL)
    with authority_context(kreis):
        failed = Submission.objects.get(direction=Submission.Direction.INCOMING)
        assert failed.state == Submission.State.FAILED
        assert "login level" in failed.failure_detail
        assert not Case.objects.exists()
        assert not CaseEvent.objects.exists()


def kreis_answers() -> dict:
    return {"first_name": "Anna", "last_name": "Testfrau", "date_of_birth": "1985-03-14",
            "street": "Brückenstraße", "house_number": "12", "postcode": "42799",
            "city": "Leichlingen", "registration_kind": "new", "vin": VIN,
            "certificate_number": "AB1234567", "certificate_code": "K7M2P9Q4R8T3",
            "evb": "A1B2C3D", "plate_choice": "assigned", "account_holder": "Anna Testfrau",
            "iban": "DE02120300000000202051", "sepa_consent": True}


def _errors(response) -> str:
    import re

    summary = re.search(r'data-error-summary>(.*?)</div>\s*</div>', response.content.decode(),
                        re.S)
    return re.sub(r"<[^>]+>|\s+", " ", summary.group(1)) if summary else \
        re.sub(r"<[^>]+>|\s+", " ", response.content.decode())[:2500]


@pytest.mark.django_db
def test_another_jose_library_opens_the_stored_hand_over_to_the_districts_application(
        applicant_client, kreis):
    from joserfc import jwe as rfc_jwe
    from joserfc.jwk import RSAKey

    from rathaus.handover import keys
    from rathaus.handover.models import HandoverKey

    apply(applicant_client)
    case = kreis_case(kreis)
    with authority_context(kreis):
        stored = Submission.objects.get(direction=Submission.Direction.INCOMING)
        kid = HandoverKey.objects.get(is_active=True).kid
        pem = keys.private_key(kid).export_to_pem(private_key=True, password=None)
    opened = rfc_jwe.decrypt_compact(stored.data_jwe, RSAKey.import_key(pem),
                                     algorithms=["RSA-OAEP-256", "A256GCM"]).plaintext
    sent = json.loads(opened)["data"]
    assert sent["answers"] == case.answers
    assert sent["applicant"]["login_level"] == "hoch"


@pytest.mark.django_db
def test_a_repeated_run_of_the_decision_tells_the_town_once(applicant_client, kreis, town):
    """A worker killed after the decision committed runs it again: the notice is there,
    and no second "approved" goes back."""
    from rathaus.cases.tasks import issue_decision
    from rathaus.cases.workflow import take
    from rathaus.handover.models import StatusEvent
    from rathaus.notices.demo import create_demo_notice_settings
    from rathaus.payments.models import PaymentAccount
    from tests.vehicles.conftest import KREISKASSE_IBAN

    apply(applicant_client)
    case = kreis_case(kreis)
    clerk, _device = make_staff(kreis, departments=departments_of(kreis).values(),
                                email="klara@rbk.example")
    with authority_context(kreis):
        create_demo_notice_settings()
        PaymentAccount.objects.create(account_holder="Kreiskasse", iban=KREISKASSE_IBAN,
                                      bic="COLSDE33XXX", bank_name="Kreissparkasse Köln")
        take(case, "approve", actor=clerk)  # the decision runs at once in tests
    issue_decision.call(authority_id=kreis.pk, case_id=str(case.pk))
    with authority_context(town):
        statuses = list(StatusEvent.objects.order_by("created_at").values_list(
            "status", flat=True))
    assert statuses.count("approved") == 1, statuses
