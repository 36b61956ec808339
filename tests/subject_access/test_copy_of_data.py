"""The citizen's copy of their data (Art. 15 DSGVO, issue 17 point 6): asked for in
"Mein Konto", made by the worker, delivered as a ZIP to the mailbox. It holds the dog
registration, the notice, the messages with their receipts and the access log, and
nothing of another citizen."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from rathaus.audit.models import AuditEntry
from rathaus.audit.services import record_access
from rathaus.authorities.tenancy import authority_context
from rathaus.background.failures import failed_tasks, retry
from rathaus.cases.models import Case
from rathaus.cases.submission import submit_application
from rathaus.cases.workflow import take
from rathaus.catalog import registry
from rathaus.forms.services import fill_in, start_draft
from rathaus.mailbox import receipts
from rathaus.mailbox.models import Message, SigningKey
from rathaus.mailbox.services import attachment_content, open_message
from rathaus.records.models import DocumentVersion
from rathaus.subject_access.models import CopyRequest
from rathaus.subject_access.services import request_copy
from tests.factories import DOG, DOG_SERVICE, HOLDER, PAYMENT_TRANSFER, citizen_logged_in

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

NEIGHBOUR_HOLDER = {**HOLDER, "first_name": "Norbert", "last_name": "Nachbarsohn",
                    "date_of_birth": "03.07.1971", "street": "Quellenweg", "house_number": "9"}
NEIGHBOUR_DOG = {**DOG, "dog_name": "Rexonius", "microchip": "276 098 100 999 888",
                 "colour": "gescheckt"}


def _approved_dog(citizen, people, *, holder=HOLDER, dog=DOG):
    """A dog registration of `citizen`, approved with four eyes: the decision puts the
    dog into the register and delivers the tax notice to the mailbox."""
    service = registry.definition(DOG_SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                    pages=[holder, dog, {"is_large": "no"}, PAYMENT_TRANSFER])
    case = submit_application(user=citizen, draft_id=draft.pk, definition=service)
    take(case, "approve", actor=people.decider)
    take(Case.objects.get(pk=case.pk), "confirm", actor=people.second)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def two_citizens(people, dog_town):
    """Bettina (the owner) and her neighbour, each with an approved dog, the notice in
    their mailbox (opened, so all three receipts exist) and a clerk's look at their case
    in the access log."""
    with authority_context(dog_town):
        cases = {}
        for who, holder, dog in (("owner", HOLDER, DOG),
                                 ("other_citizen", NEIGHBOUR_HOLDER, NEIGHBOUR_DOG)):
            citizen = getattr(people, who)
            case = _approved_dog(citizen, people, holder=holder, dog=dog)
            for message in Message.objects.filter(recipient=citizen):
                open_message(user=citizen, message_id=message.pk)
            record_access(staff=people.decider, citizen=citizen,
                          what=f"Vorgang {case.reference}", target=case)
            cases[who] = case
        yield cases


def _zip_of(copy_request: CopyRequest) -> zipfile.ZipFile:
    """The ZIP as the citizen downloads it from the mailbox."""
    message = copy_request.delivered_message
    attachment = message.attachments.get()
    delivered = attachment_content(user=copy_request.citizen, message_id=message.pk,
                                   attachment_id=attachment.pk)
    assert delivered.media_type == "application/zip"
    return zipfile.ZipFile(io.BytesIO(delivered.content))


def _json(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_copy_holds_the_dog_registration_notice_messages_receipts_and_access_log(
        two_citizens, people, dog_town):
    owner, case = people.owner, two_citizens["owner"]
    with authority_context(dog_town):
        copy = request_copy(citizen=owner)
        copy.refresh_from_db()
        assert copy.status == CopyRequest.Status.PRODUCED
        archive = _zip_of(copy)
        names = set(archive.namelist())
        assert {"LIESMICH.txt", "konto.json", "antraege.json", "postfach.json",
                "zugriffsprotokoll.json", "pruefprotokoll.json",
                "register/hunde.json"} <= names

        # The dog registration: the application with its answers and its history.
        [application] = _json(archive, "antraege.json")["antraege"]
        assert application["aktenzeichen"] == case.reference
        assert application["angaben"]["dog_name"] == "Bello"
        assert application["status"] == "Genehmigt"
        assert any(line["ereignis"] == "Antrag eingegangen" for line in application["verlauf"])
        # Every document of the file, the notice among them, byte for byte.
        versions = DocumentVersion.objects.filter(document__case_file=case.case_file)
        listed = {v["sha256"]: v["datei"] for d in application["akte"]["dokumente"]
                  for v in d["versionen"]}
        assert set(listed) == {v.sha256 for v in versions}
        notice = versions.get(document__kind="notice")
        assert _sha256(archive.read(listed[notice.sha256])) == notice.sha256

        # The register: the dog with its tax tag and its tax.
        [dog] = _json(archive, "register/hunde.json")["daten"]
        assert dog["name"] == "Bello"
        assert dog["steuermarke"] == case.dog.tax_tag_number
        assert dog["hundesteuer"] and dog["aktenzeichen_der_anmeldung"] == case.reference

        # The notice's message, decrypted, with its attachment and three signed receipts.
        [message] = [m for m in _json(archive, "postfach.json")
                     if m["aktenzeichen"] == case.reference]
        [attachment] = message["anhaenge"]
        assert attachment["sha256"] == notice.sha256
        assert _sha256(archive.read(attachment["datei"])) == notice.sha256
        assert len(message["quittungen"]) == 3
        for receipt in message["quittungen"]:
            claims = receipts.verify(json.loads(archive.read(receipt["datei"])),
                                     public_key_for=_public_key)
            assert claims["message_id"] == message["kennung"]
            assert claims["content_sha256"] == message["inhalt_sha256"]

        # Who looked at her data.
        [access] = _json(archive, "zugriffsprotokoll.json")
        assert access["mitarbeiterin_oder_mitarbeiter"] == people.decider.full_name
        assert access["was"] == f"Vorgang {case.reference}"

        readme = archive.read("LIESMICH.txt").decode()
        assert "Art. 15" in readme and case.reference in readme
        assert "Aufbewahrt 10 Jahre nach Abschluss der Akte" in readme
        account = _json(archive, "konto.json")
        assert account["konto"]["e_mail"] == owner.email


def test_nothing_of_another_citizen_is_in_the_copy(two_citizens, people, dog_town):
    """Every file of the owner's ZIP is searched for the neighbour's names, address,
    e-mail, dog, file reference, case, messages and every hash of their documents."""
    neighbour, their_case = people.other_citizen, two_citizens["other_citizen"]
    with authority_context(dog_town):
        their_messages = list(Message.objects.filter(recipient=neighbour))
        markers = {
            "Norbert", "Nachbarsohn", "Quellenweg", neighbour.email, "Rexonius",
            "276098100999888", "gescheckt", their_case.reference, str(their_case.pk),
            *(v.sha256 for v in DocumentVersion.objects.filter(
                document__case_file=their_case.case_file)),
            *(str(m.pk) for m in their_messages), *(m.content_sha256 for m in their_messages),
            *(a.sha256 for m in their_messages for a in m.attachments.all()),
        }
        copy = request_copy(citizen=people.owner)
        copy.refresh_from_db()
        archive = _zip_of(copy)
    found = [(name, marker) for name in archive.namelist()
             for marker in markers
             if marker.encode() in archive.read(name) or marker in name]
    assert not found
    # The check can fail: the neighbour's own copy has each of those.
    with authority_context(dog_town):
        their_copy = request_copy(citizen=neighbour)
        their_copy.refresh_from_db()
        theirs = _zip_of(their_copy)
    everything = b"".join(theirs.read(name) for name in theirs.namelist())
    assert all(marker.encode() in everything for marker in
               (their_case.reference, "Rexonius", neighbour.email, "Nachbarsohn"))


def test_the_request_is_in_the_audit_log_and_the_copy_in_the_mailbox(
        two_citizens, people, dog_town):
    with authority_context(dog_town):
        copy = request_copy(citizen=people.owner)
        requested = AuditEntry.objects.get(action="subject_access.requested")
        assert requested.actor == people.owner
        assert requested.object_id == str(copy.pk)
        produced = AuditEntry.objects.get(action="subject_access.produced")
        copy.refresh_from_db()
        assert produced.data["sha256"] == copy.summary["sha256"]
        assert copy.delivered_message.recipient == people.owner


def test_a_second_request_while_one_is_prepared_creates_nothing_new(
        two_citizens, people, dog_town, settings):
    settings.TASKS = DATABASE_TASKS  # the worker has not picked it up yet
    with authority_context(dog_town):
        first = request_copy(citizen=people.owner)
        second = request_copy(citizen=people.owner)
        assert second.pk == first.pk
        assert CopyRequest.objects.filter(citizen=people.owner).count() == 1
        assert DBTaskResult.objects.filter(
            task_path="rathaus.subject_access.tasks.produce_copy").count() == 1
        assert AuditEntry.objects.filter(action="subject_access.requested").count() == 1
        # The neighbour's own request is their own.
        assert request_copy(citizen=people.other_citizen).pk != first.pk


def test_the_page_requests_once_and_shows_only_the_citizens_own_requests(
        two_citizens, people, dog_town):
    owner_client = citizen_logged_in(people.owner)
    response = owner_client.post("/konto/meine-daten/")
    assert response.status_code == 302 and response["Location"] == "/konto/meine-daten/"
    with authority_context(dog_town):
        copy = CopyRequest.objects.get(citizen=people.owner)
    page = owner_client.get("/konto/meine-daten/").content.decode()
    assert f"/konto/postfach/{copy.delivered_message_id}/" in page
    # "Mein Konto" has the section with the button and the list.
    overview = owner_client.get("/konto/").content.decode()
    assert 'action="/konto/meine-daten/"' in overview
    assert f"/konto/postfach/{copy.delivered_message_id}/" in overview

    neighbour_client = citizen_logged_in(people.other_citizen)
    assert str(copy.delivered_message_id) not in neighbour_client.get(
        "/konto/meine-daten/").content.decode()
    assert neighbour_client.get(f"/konto/postfach/{copy.delivered_message_id}/").status_code == 404
    with authority_context(dog_town):
        attachment = copy.delivered_message.attachments.get()
    assert neighbour_client.get(
        f"/konto/postfach/{copy.delivered_message_id}/anhang/{attachment.pk}/").status_code == 404


def test_staff_cannot_ask_for_a_citizens_copy(people, dog_town):
    from rathaus.accounts.permissions import NotPermitted

    with authority_context(dog_town), pytest.raises(NotPermitted):
        request_copy(citizen=people.decider)


# The worker closes connections between tasks, as a separate process would.
@pytest.mark.django_db(transaction=True)
def test_a_changed_document_stops_the_copy_until_it_is_restored(
        people, dog_town, settings):
    with authority_context(dog_town):
        case = _approved_dog(people.owner, people)
        notice = DocumentVersion.objects.get(document__case_file=case.case_file,
                                             document__kind="notice")
    path = default_storage.path(notice.storage_name)
    with open(path, "rb") as stored:
        original = stored.read()
    with open(path, "ab") as stored:
        stored.write(b"changed")
    settings.TASKS = DATABASE_TASKS
    with authority_context(dog_town):
        copy = request_copy(citizen=people.owner)
    call_command("db_worker", "--batch", "--interval", "0")
    with authority_context(dog_town):
        copy.refresh_from_db()
        assert copy.status == CopyRequest.Status.FAILED
        assert copy.failure == "ContentIntegrityError" and copy.delivered_message is None
        assert AuditEntry.objects.filter(action="subject_access.failed").exists()
        [failed] = failed_tasks(authority=dog_town)
        assert "Art. 15" in failed.label
        with open(path, "wb") as stored:
            stored.write(original)
        assert retry(task_id=failed.id, authority=dog_town, actor=people.team_lead)
    call_command("db_worker", "--batch", "--interval", "0")
    with authority_context(dog_town):
        copy.refresh_from_db()
        assert copy.status == CopyRequest.Status.PRODUCED


def _public_key(kid: str) -> bytes:
    return bytes(SigningKey.objects.get(kid=kid).public_key)
