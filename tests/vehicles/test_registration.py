"""Deciding a vehicle registration at the district: the plate assigned, the vehicle in the
register, the Zulassungsbescheid and the Gebührenbescheid with its GiroCode in the
district's eAkte and the mailbox; wrong codes, a vehicle registered meanwhile and a
plate taken meanwhile refused with the clerk's reason, the case still decidable; a
rejection frees the chosen plate."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.actions import DecisionRefused
from rathaus.cases.decisions import handler_for
from rathaus.cases.models import Case, CaseEvent, Task
from rathaus.cases.tasks import issue_decision
from rathaus.cases.workflow import take
from rathaus.mailbox.models import Message
from rathaus.records.models import Document
from rathaus.records.selectors import latest_version, read_content
from rathaus.vehicles.identifiers import parse_plate
from rathaus.vehicles.models import PlateEntry, RegisteredVehicle
from rathaus.vehicles.plates import reserve_plate
from rathaus.vehicles.vehicle_register import hash_code
from tests.dogs.conftest import girocodes, pdf_text, pdfa_identification
from tests.factories import DISTRICT_HOST, PASSWORD, current_totp

from .conftest import KREISKASSE_IBAN, NEW, USED, apply_for_registration

pytestmark = pytest.mark.django_db


def _approve(case, clerk) -> Case:
    """Approve as the office does: the workflow's action through its service."""
    take(case, "approve", actor=clerk)
    return Case.objects.get(pk=case.pk)


def _notices(case) -> dict[str, bytes]:
    return {d.title: read_content(latest_version(d))
            for d in Document.objects.filter(case_file=case.case_file, kind="notice")}


def _plate_entry(key: str) -> PlateEntry | None:
    return PlateEntry.objects.filter(key=key).first()


def test_approving_registers_the_vehicle_with_the_chosen_plate_and_delivers_both_notices(
        in_kreis, klara, citizen):
    case = apply_for_registration(citizen, plate="GL-BB 2026")
    case = _approve(case, klara[0])

    assert case.status == "approved"
    vehicle = RegisteredVehicle.objects.get(vin=NEW.vin)
    assert (vehicle.plate, vehicle.registration_reference) == ("GLBB2026", case.reference)
    entry = _plate_entry("GLBB2026")
    assert (entry.state, entry.holder_reference, entry.reserved_until) == (
        "assigned", case.reference, None)
    notices = _notices(case)
    assert set(notices) == {"Zulassungsbescheid GL-BB 2026", "Gebührenbescheid GL-BB 2026"}
    registration = pdf_text(notices["Zulassungsbescheid GL-BB 2026"])
    for text in ("Rheinwerk Kompakt E", NEW.vin, "GL-BB 2026", "Wunschkennzeichen", "§ 6",
                 "§ 8 FZV", "Zulassungsbescheinigung Teil I", "Plakettenträger",
                 "Rechtsbehelfsbelehrung", "Straßenverkehrsamt", "Bettina Beispiel",
                 "DE02 XXXX XXXX XXXX XX20 51"):
        assert text in registration, text
    fees = pdf_text(notices["Gebührenbescheid GL-BB 2026"])
    for text in ("27,90", "10,20", "2,60", "40,70", "GebOSt", "Kreiskasse"):
        assert text in fees, text
    assert all(pdfa_identification(pdf) == {"part": "2", "conformance": "B"}
               for pdf in notices.values())
    messages = Message.objects.filter(recipient=citizen, reference=case.reference)
    assert len(messages) == 2
    for message in messages:
        assert message.attachments.count() == 1
        assert message.receipts.count() >= 2
        assert message.authority == in_kreis


def test_the_girocode_carries_the_fees_and_the_districts_account(in_kreis, klara, citizen):
    chosen = _approve(apply_for_registration(citizen, plate="GL-BB 2026"), klara[0])
    (code,) = girocodes(_notices(chosen)["Gebührenbescheid GL-BB 2026"])
    assert code[:3] == ["BCD", "002", "2"]
    assert code[5:8] == ["Kreiskasse Rheinisch-Bergischer Kreis", KREISKASSE_IBAN, "EUR40.70"]
    assert code[10] == f"Zulassung GL-BB 2026 Az. {chosen.reference}"


def test_without_a_chosen_plate_a_free_one_is_drawn_and_only_the_registration_costs(
        in_kreis, klara, citizen):
    case = _approve(apply_for_registration(citizen), klara[0])
    entry = PlateEntry.objects.get(holder_reference=case.reference)
    plate = parse_plate(entry.key.removeprefix("GL"), sign="GL")  # a valid plate
    assert entry.state == "assigned"
    assert RegisteredVehicle.objects.get(vin=NEW.vin).plate == plate.key
    notices = _notices(case)
    registration = pdf_text(notices[f"Zulassungsbescheid {plate}"])
    assert "zugeteiltes Kennzeichen" in registration
    (code,) = girocodes(notices[f"Gebührenbescheid {plate}"])
    assert code[7] == "EUR27.90"


def test_a_repeated_run_of_the_decision_draws_and_issues_nothing_new(in_kreis, klara, citizen):
    case = _approve(apply_for_registration(citizen), klara[0])
    issue_decision.call(authority_id=in_kreis.pk, case_id=str(case.pk))
    assert PlateEntry.objects.filter(holder_reference=case.reference).count() == 1
    assert Document.objects.filter(case_file=case.case_file, kind="notice").count() == 2
    assert Message.objects.filter(recipient=citizen).count() == 2


def test_a_used_vehicle_is_registered_again_with_its_three_codes(in_kreis, klara, citizen):
    case = _approve(apply_for_registration(citizen, vehicle=USED), klara[0])
    used = RegisteredVehicle.objects.get(vin=USED.vin)
    assert used.registration_reference == case.reference
    assert used.plate not in ("", "GLRB104")
    (registration,) = [pdf for title, pdf in _notices(case).items()
                       if title.startswith("Zulassungsbescheid")]
    assert "Zulassung eines gebrauchten Fahrzeugs" in pdf_text(registration)


def test_the_tax_data_go_into_the_eakte_for_the_hauptzollamt(in_kreis, klara, citizen):
    case = _approve(apply_for_registration(citizen, plate="GL-BB 2026"), klara[0])
    report = Document.objects.get(case_file=case.case_file, kind="correspondence")
    data = json.loads(read_content(latest_version(report)))
    assert data["vehicle"] == {"vin": NEW.vin, "make": NEW.make, "model": NEW.model,
                               "plate": "GL-BB 2026"}
    assert data["sepa_mandate"]["iban"] == "DE02120300000000202051"


def test_the_preview_names_vehicle_plate_and_fees(in_kreis, citizen):
    case = apply_for_registration(citizen, plate="GL-BB 2026")
    rows = dict(handler_for("fahrzeugzulassung").preview(case))
    assert rows["Fahrzeug"] == f"{NEW.make} {NEW.model} ({NEW.vin})"
    assert rows["Kennzeichen"] == "GL-BB 2026 (Wunschkennzeichen)"
    assert rows["Gebühren insgesamt"].startswith("40,70")


# --- refusals: the clerk reads why, the case stays decidable -------------------------------

def _refused(case, clerk) -> str:
    with pytest.raises(DecisionRefused) as refusal:
        take(case, "approve", actor=clerk)
    case.refresh_from_db()
    assert case.status == "submitted"
    assert not Document.objects.filter(case_file=case.case_file, kind="notice").exists()
    return refusal.value.message


def _new_certificate_since(vehicle) -> None:
    """The register's codes changed after the application came in (a new certificate was
    issued): the codes the application carries no longer match."""
    RegisteredVehicle.objects.filter(vin=vehicle.vin).update(
        certificate_code_hash=hash_code("NEUERCODE123"))


def test_wrong_security_codes_are_refused_at_approval(in_kreis, klara, citizen):
    case = apply_for_registration(citizen)
    _new_certificate_since(NEW)
    assert "Sicherheitscodes" in _refused(case, klara[0])
    assert RegisteredVehicle.objects.get(vin=NEW.vin).plate == ""
    take(case, "reject", actor=klara[0], text="Die Sicherheitscodes passen nicht.")
    assert Case.objects.get(pk=case.pk).status == "rejected"


def test_a_vehicle_registered_by_another_application_meanwhile_is_refused(
        in_kreis, klara, citizen):
    first = apply_for_registration(citizen)
    second = apply_for_registration(citizen, plate="GL-BB 2026")
    _approve(first, klara[0])
    message = _refused(second, klara[0])
    assert "durch einen anderen Antrag zugelassen" in message
    assert _plate_entry("GLBB2026").holder_reference == second.reference  # still held


def test_a_chosen_plate_taken_meanwhile_is_refused(in_kreis, klara, citizen):
    case = apply_for_registration(citizen, plate="GL-BB 2026")
    PlateEntry.objects.filter(key="GLBB2026").delete()
    reserve_plate(parse_plate("GL-BB 2026", sign="GL"), reference="36.20.01-2026-999")
    assert "GL-BB 2026" in _refused(case, klara[0])
    assert RegisteredVehicle.objects.get(vin=NEW.vin).plate == ""


def test_a_refusal_in_the_task_puts_the_case_back_in_review_with_the_reason(
        in_kreis, klara, citizen, settings):
    """Approved while all was well; before the worker ran, another application took
    the vehicle: the decision is not carried out, the task does not fail, and the
    clerk finds the case in review with the reason."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    case = _approve(apply_for_registration(citizen, plate="GL-BB 2026"), klara[0])
    RegisteredVehicle.objects.filter(vin=NEW.vin).update(
        plate="GLXY1", registered_at=timezone.now(), registration_reference="anderer")
    issue_decision.call(authority_id=in_kreis.pk, case_id=str(case.pk))

    case.refresh_from_db()
    assert (case.status, case.decision, case.decided_at) == ("in_review", "", None)
    note = CaseEvent.objects.filter(case=case, kind="note").latest("at")
    assert note.internal and "Die Genehmigung konnte nicht ausgeführt werden" in note.text
    assert "durch einen anderen Antrag zugelassen" in note.text
    assert Task.objects.get(case=case).status == "open"
    assert not Document.objects.filter(case_file=case.case_file, kind="notice").exists()
    assert RegisteredVehicle.objects.get(vin=NEW.vin).plate == "GLXY1"
    assert _plate_entry("GLBB2026").state == "reserved"  # nothing of the decision stays


def test_the_office_shows_the_refusal_in_german(kreis, in_kreis, klara, citizen):
    with authority_context(kreis):
        case = apply_for_registration(citizen)
        _new_certificate_since(NEW)
    staff, device = klara
    client = Client(HTTP_HOST=DISTRICT_HOST)
    assert client.post("/verwaltung/anmelden/", {
        "username": staff.email, "password": PASSWORD,
        "otp_token": current_totp(device)}).status_code == 302
    response = client.post(f"/verwaltung/vorgaenge/{case.pk}/schritt/approve/", follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert any("Sicherheitscodes" in m and "passen nicht" in m for m in said), said
    with authority_context(kreis):
        assert Case.objects.get(pk=case.pk).status == "submitted"


# --- rejection ---------------------------------------------------------------------------

def test_rejecting_frees_the_chosen_plate_and_delivers_the_rejection(in_kreis, klara, citizen):
    case = apply_for_registration(citizen, plate="GL-BB 2026")
    assert _plate_entry("GLBB2026").holder_reference == case.reference  # since arrival
    take(case, "reject", actor=klara[0], text="Die eVB-Nummer ist nicht gültig.")
    assert _plate_entry("GLBB2026") is None
    assert set(_notices(case)) == {"Ablehnungsbescheid"}
    assert RegisteredVehicle.objects.get(vin=NEW.vin).plate == ""
    (message,) = Message.objects.filter(recipient=citizen)
    assert message.attachments.count() == 1


def test_a_chosen_plate_not_reserved_yet_is_assigned_at_approval(in_kreis, klara, citizen):
    """An application whose plate was not reserved when it arrived (reserved in the
    town's portal before the hand-over and run out, say) gets it if it is free."""
    case = apply_for_registration(citizen, plate="GL-BB 2026")
    PlateEntry.objects.filter(key="GLBB2026").delete()
    _approve(case, klara[0])
    entry = _plate_entry("GLBB2026")
    assert (entry.state, entry.holder_reference) == ("assigned", case.reference)


def test_the_security_codes_appear_in_no_receipt_or_summary(in_kreis, citizen):
    """Like a PIN: the receipt goes into the file and the mailbox, the summary is shown
    on screens; neither holds a code in full."""
    from rathaus.catalog.registry import definition
    from rathaus.forms.engine import summary_rows

    case = apply_for_registration(citizen, vehicle=USED)
    (receipt,) = Document.objects.filter(case_file=case.case_file, kind="receipt")
    text = pdf_text(read_content(latest_version(receipt)))
    shown = " ".join(value for _, rows in summary_rows(definition("fahrzeugzulassung"),
                                                       case.answers, {}) for _, value in rows)
    for code in (USED.certificate_code, USED.part_one_code, USED.seal_code):
        assert code not in text and code not in shown
    assert f"verdeckt, endet auf {USED.certificate_code[-2:]}" in text
