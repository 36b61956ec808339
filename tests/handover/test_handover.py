"""The encrypted hand-over between two authorities of one instance: what arrives is
what was sent, nothing is believed that was changed on the way, and nothing is lost or
received twice."""

import base64
import hashlib
import json
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from django_tasks_db.models import DBTaskResult
from joserfc import jwe as rfc_jwe
from joserfc.jwk import RSAKey
from jwcrypto import jwk

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.handover import jose, keys, selectors
from rathaus.handover.models import HandoverKey, StatusEvent, Submission
from rathaus.handover.receivers import receivers
from rathaus.handover.receiving import StatusEventsRefused, open_submission
from rathaus.handover.services import accept_submission, send_status, send_submission
from rathaus.handover.tasks import receive_status, receive_submission
from tests.handover.conftest import REFUSING_SERVICE, SERVICE, handed_over, results_in

DATA = {"fahrzeug": {"fin": "WVWZZZ1JZXW000001", "evb": "A1B2C3D"},
        "halter": {"name": "Bettina Beispiel", "ort": "Leichlingen"}}
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8
ATTACHMENTS = [("Zulassungsbescheinigung-II.pdf", "application/pdf", PDF),
               ("Notiz.txt", "text/plain", "Ümlaute bleiben.".encode())]


def send(sender, destination, *, service=SERVICE, data=DATA, attachments=ATTACHMENTS):
    with authority_context(sender):
        return send_submission(destination=destination, service_id=service, data=data,
                               attachments=attachments, reference="LE-2026-0001")


def incoming(destination, submission_id) -> list[Submission]:
    with authority_context(destination):
        return list(Submission.objects.filter(direction=Submission.Direction.INCOMING,
                                              submission_id=submission_id)
                    .order_by("created_at"))


def run_receiving(destination, row: Submission) -> str:
    with authority_context(destination):
        return open_submission(str(row.pk))


def change(destination, row: Submission, **fields) -> None:
    with authority_context(destination):
        Submission.objects.filter(pk=row.pk).update(**fields)


def flip_one_byte(token: str, part: int) -> str:
    """The same compact JWE with one character of one part changed."""
    pieces = token.split(".")
    middle = len(pieces[part]) // 2
    replacement = "A" if pieces[part][middle] != "A" else "B"
    pieces[part] = pieces[part][:middle] + replacement + pieces[part][middle + 1:]
    return ".".join(pieces)


# --- the round trip ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_destination_receives_exactly_what_the_sender_sent(sender, destination):
    sent = send(sender, destination)

    (arrived,) = handed_over
    assert arrived.data == DATA
    assert [(a.filename, a.media_type, a.content) for a in arrived.attachments] == ATTACHMENTS
    assert arrived.sender["slug"] == "leichlingen"
    assert arrived.sender["municipality_key"] == "05378020"
    assert arrived.reference == "LE-2026-0001"
    (row,) = incoming(destination, sent.submission_id)
    assert row.state == Submission.State.RECEIVED
    assert row.result_reference == "TEST-1"
    assert results_in(destination) == 1


@pytest.mark.django_db
def test_the_sender_keeps_the_metadata_but_never_the_content(sender, destination):
    sent = send(sender, destination)

    with authority_context(sender):
        stored = Submission.objects.get(pk=sent.pk)
    assert stored.direction == Submission.Direction.OUTGOING
    assert stored.data_jwe == "" and stored.attachment_jwes == []
    kept = json.dumps(stored.metadata)
    assert "Bettina" not in kept and "WVWZZZ" not in kept
    assert "Zulassungsbescheinigung" not in kept  # file names travel encrypted
    assert stored.metadata["destination"] == {"slug": "rbk", "municipality_key": "05378"}
    assert stored.metadata["service_id"] == SERVICE


@pytest.mark.django_db
def test_every_part_is_a_compact_jwe_to_the_destinations_current_key(sender, destination):
    sent = send(sender, destination)

    (row,) = incoming(destination, sent.submission_id)
    with authority_context(destination):
        kid = HandoverKey.objects.get(is_active=True).kid
    for token in [row.data_jwe, *row.attachment_jwes]:
        header = json.loads(keys_b64(token.split(".")[0]))
        assert header["alg"] == "RSA-OAEP-256" and header["enc"] == "A256GCM"
        assert header["kid"] == kid
        assert len(token.split(".")) == 5


def keys_b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- the independent check -------------------------------------------------------------------

@pytest.mark.django_db
def test_another_jose_library_decrypts_the_stored_hand_over_to_the_same_content(
        sender, destination):
    sent = send(sender, destination)
    (row,) = incoming(destination, sent.submission_id)
    with authority_context(destination):
        kid = HandoverKey.objects.get(is_active=True).kid
        exported = keys.private_key(kid).export_to_pem(private_key=True, password=None)
    private = RSAKey.import_key(exported)

    def opened(token: str) -> bytes:
        return rfc_jwe.decrypt_compact(token, private,
                                       algorithms=["RSA-OAEP-256", "A256GCM"]).plaintext

    document = json.loads(opened(row.data_jwe))
    assert document["data"] == DATA
    assert [a["filename"] for a in document["attachments"]] == [a[0] for a in ATTACHMENTS]
    assert [opened(token) for token in row.attachment_jwes] == [a[2] for a in ATTACHMENTS]
    content = row.metadata["content"]
    assert hashlib.sha256(opened(row.data_jwe)).hexdigest() == content["data"]["sha256"]
    assert [a["sha256"] for a in content["attachments"]] == [
        hashlib.sha256(a[2]).hexdigest() for a in ATTACHMENTS]


# --- refusals ------------------------------------------------------------------------------

def _queued_hand_over(sender, destination) -> Submission:
    sent = send(sender, destination)
    (row,) = incoming(destination, sent.submission_id)
    assert row.state == Submission.State.QUEUED
    return row


def _refused(destination, row, failure) -> None:
    assert run_receiving(destination, row) == Submission.State.FAILED
    with authority_context(destination):
        stored = Submission.objects.get(pk=row.pk)
        logged = AuditEntry.objects.filter(action="handover.failed").count()
    assert stored.failure == failure
    assert stored.failure_detail
    assert logged == 1
    assert handed_over == [] and results_in(destination) == 0
    with authority_context(destination):
        assert selectors.failed_submissions() == [stored]


@pytest.mark.django_db
@pytest.mark.parametrize("part", [1, 2, 3, 4])  # encrypted key, IV, ciphertext, tag
def test_a_ciphertext_changed_by_one_byte_is_refused(sender, destination, queued, part):
    row = _queued_hand_over(sender, destination)
    change(destination, row, data_jwe=flip_one_byte(row.data_jwe, part))

    _refused(destination, row, Submission.Failure.UNDECRYPTABLE)


@pytest.mark.django_db
def test_a_changed_attachment_is_refused(sender, destination, queued):
    row = _queued_hand_over(sender, destination)
    tokens = [row.attachment_jwes[0], flip_one_byte(row.attachment_jwes[1], 3)]
    change(destination, row, attachment_jwes=tokens)

    _refused(destination, row, Submission.Failure.UNDECRYPTABLE)


@pytest.mark.django_db
def test_a_hand_over_encrypted_to_another_authoritys_key_is_refused(
        sender, destination, queued):
    with authority_context(sender):
        own_kid = keys.active_key().kid  # the town's key, not the Kreis's
    row = _queued_hand_over(sender, destination)
    with authority_context(sender):
        public = keys.public_key(HandoverKey.objects.get(kid=own_kid))
    forged = jose.encrypt(b"{}", key=public, kid=own_kid, media_type="application/json")
    change(destination, row, data_jwe=forged)

    _refused(destination, row, Submission.Failure.UNKNOWN_KEY)


@pytest.mark.django_db
def test_a_part_naming_the_destinations_kid_but_encrypted_to_another_key_is_refused(
        sender, destination, queued):
    row = _queued_hand_over(sender, destination)
    kid = json.loads(keys_b64(row.data_jwe.split(".")[0]))["kid"]
    with authority_context(sender):
        other = keys.public_key(keys.active_key())
    forged = jose.encrypt(b"{}", key=other, kid=kid, media_type="application/json")
    change(destination, row, data_jwe=forged)

    _refused(destination, row, Submission.Failure.UNDECRYPTABLE)


@pytest.mark.django_db
def test_content_that_does_not_match_its_hash_is_refused(sender, destination, queued):
    row = _queued_hand_over(sender, destination)
    document = dict(row.metadata)
    document["content"] = {**document["content"],
                           "data": {**document["content"]["data"], "sha256": "0" * 64}}
    change(destination, row, metadata=document)

    _refused(destination, row, Submission.Failure.HASH_MISMATCH)


@pytest.mark.django_db
def test_a_hand_over_for_a_service_nobody_receives_is_refused(sender, destination, queued):
    row = _queued_hand_over(sender, destination)
    change(destination, row, service_id="unbekannt")

    _refused(destination, row, Submission.Failure.UNKNOWN_SERVICE)


@pytest.mark.django_db
def test_a_receivers_refusal_leaves_nothing_of_its_work(sender, destination, queued):
    sent = send(sender, destination, service=REFUSING_SERVICE)
    (row,) = incoming(destination, sent.submission_id)

    assert run_receiving(destination, row) == Submission.State.FAILED
    with authority_context(destination):
        stored = Submission.objects.get(pk=row.pk)
    assert stored.failure == Submission.Failure.REFUSED
    assert stored.failure_detail == "Fahrzeug ist bereits zugelassen."
    assert results_in(destination) == 0


@pytest.mark.django_db
def test_a_replayed_submission_is_stored_and_refused_and_the_first_stays(
        sender, destination, queued):
    row = _queued_hand_over(sender, destination)
    assert run_receiving(destination, row) == Submission.State.RECEIVED
    with authority_context(destination):
        replay = accept_submission(metadata_document=row.metadata, data_jwe=row.data_jwe,
                                   attachment_jwes=row.attachment_jwes)

    assert run_receiving(destination, replay) == Submission.State.FAILED
    first, second = incoming(destination, row.submission_id)
    assert first.state == Submission.State.RECEIVED
    assert second.failure == Submission.Failure.REPLAY
    assert results_in(destination) == 1 and len(handed_over) == 1


@pytest.mark.django_db
def test_a_hand_over_is_stored_and_queued_in_the_senders_transaction(
        sender, destination, queued):
    row = _queued_hand_over(sender, destination)

    (task,) = DBTaskResult.objects.filter(task_path=f"{receive_submission.module_path}")
    assert task.args_kwargs["kwargs"] == {"authority_id": destination.pk,
                                          "submission_pk": str(row.pk)}


@pytest.mark.django_db
def test_running_the_receiving_task_twice_gives_one_result(sender, destination, queued):
    row = _queued_hand_over(sender, destination)

    for _run in range(2):
        receive_submission.call(authority_id=destination.pk, submission_pk=str(row.pk))
    assert results_in(destination) == 1 and len(handed_over) == 1
    (stored,) = incoming(destination, row.submission_id)
    assert stored.state == Submission.State.RECEIVED


@pytest.mark.django_db
def test_a_hand_over_meant_for_another_authority_is_refused(sender, destination, queued):
    row = _queued_hand_over(sender, destination)
    document = {**row.metadata, "destination": {"slug": "andere", "municipality_key": ""}}
    change(destination, row, metadata=document)

    _refused(destination, row, Submission.Failure.WRONG_DESTINATION)


# --- keys ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_private_key_is_stored_only_wrapped_by_the_master_key(destination):
    with authority_context(destination):
        row = keys.active_key()
        der = keys.private_key(row.kid).export_to_pem(private_key=True, password=None)
    plain = serialization.load_pem_private_key(der, password=None).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    assert plain not in bytes(row.wrapped_private_key)
    assert row.public_jwk["n"] and "d" not in row.public_jwk


@pytest.mark.django_db
def test_a_hand_over_encrypted_before_a_key_rotation_still_opens(sender, destination, queued):
    row = _queued_hand_over(sender, destination)
    with authority_context(destination):
        old_kid = keys.active_key().kid
        new_kid = keys.rotate_key().kid
    assert new_kid != old_kid

    assert run_receiving(destination, row) == Submission.State.RECEIVED
    sent = send(sender, destination)
    (later,) = incoming(destination, sent.submission_id)
    assert json.loads(keys_b64(later.data_jwe.split(".")[0]))["kid"] == new_kid


@pytest.mark.django_db
def test_a_new_authoritys_key_has_3072_bits_and_a_thumbprint_kid(destination):
    with authority_context(destination):
        row = keys.active_key()
    public = jwk.JWK(**row.public_jwk)
    assert public.thumbprint() == row.kid
    assert public.get_op_key("encrypt").key_size == 3072


# --- status events ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_sender_learns_that_its_hand_over_arrived(sender, destination):
    sent = send(sender, destination)

    with authority_context(sender):
        events = selectors.status_events(submission_id=sent.submission_id)
    assert [e.status for e in events] == ["received"]


@pytest.mark.django_db
def test_status_events_flow_back_encrypted_to_the_senders_key(sender, destination):
    sent = send(sender, destination)
    with authority_context(destination):
        send_status(submission_id=sent.submission_id, status="in_progress")
        send_status(submission_id=sent.submission_id, status="approved",
                    text="Kennzeichen GL-AB 123 zugeteilt.")

    with authority_context(sender):
        events = selectors.status_events(submission_id=sent.submission_id)
        sender_kid = HandoverKey.objects.get(is_active=True).kid
        tokens = list(StatusEvent.objects.values_list("jwe", flat=True))
    assert [e.status for e in events] == ["received", "in_progress", "approved"]
    assert events[-1].text == "Kennzeichen GL-AB 123 zugeteilt."
    assert str(events[-1].label) in ("Approved", "Genehmigt")
    for token in tokens:
        assert "Kennzeichen" not in token
        assert json.loads(keys_b64(token.split(".")[0]))["kid"] == sender_kid


@pytest.mark.django_db
def test_another_authority_sees_none_of_the_senders_status_events(sender, destination):
    sent = send(sender, destination)

    with authority_context(destination):
        assert selectors.status_events(submission_id=sent.submission_id) == []
    with authority_context(sender):
        assert selectors.status_events(submission_id=uuid.uuid4()) == []


@pytest.mark.django_db
def test_two_workers_receiving_the_same_submission_at_once_give_one_result(
        sender, destination, queued, monkeypatch):
    """The second worker's replay check ran before the first committed; the unique index
    on received submission ids refuses it, and its receiver's work goes with it."""
    first = _queued_hand_over(sender, destination)
    with authority_context(destination):
        second = accept_submission(metadata_document=first.metadata, data_jwe=first.data_jwe,
                                   attachment_jwes=first.attachment_jwes)
    original = receivers[SERVICE]

    def meanwhile_the_other_worker_commits(submission):
        Submission.objects.filter(pk=first.pk).update(state=Submission.State.RECEIVED)
        return original(submission)

    monkeypatch.setitem(receivers._entries, SERVICE, meanwhile_the_other_worker_commits)

    assert run_receiving(destination, second) == Submission.State.FAILED
    with authority_context(destination):
        assert Submission.objects.get(pk=second.pk).failure == Submission.Failure.REPLAY
    assert results_in(destination) == 0


@pytest.mark.django_db
def test_a_changed_status_event_is_not_believed_and_its_task_fails_for_staff(
        sender, destination, queued):
    sent = send(sender, destination)
    run_receiving(destination, incoming(destination, sent.submission_id)[0])
    with authority_context(sender):
        for event in StatusEvent.objects.all():
            StatusEvent.objects.filter(pk=event.pk).update(jwe=flip_one_byte(event.jwe, 3))

    with pytest.raises(StatusEventsRefused, match="undecryptable"):
        receive_status.call(authority_id=sender.pk)
    with authority_context(sender):
        assert selectors.status_events(submission_id=sent.submission_id) == []
        (event,) = StatusEvent.objects.all()
        assert event.opened_at is None and "undecryptable" in event.failure

    # It is not tried again with every later event: those are opened.
    with authority_context(destination):
        send_status(submission_id=sent.submission_id, status="in_progress")
    receive_status.call(authority_id=sender.pk)
    with authority_context(sender):
        assert [e.status for e in selectors.status_events(
            submission_id=sent.submission_id)] == ["in_progress"]


@pytest.mark.django_db
def test_status_events_arriving_together_are_opened_by_one_task(sender, destination, queued):
    """A burst of events (a district receiving many hand-overs) queues one task for the
    sender, which opens them all; an event arriving after it started queues the next."""
    sent = [send(sender, destination) for _ in range(3)]
    for row in sent:
        run_receiving(destination, incoming(destination, row.submission_id)[0])
    waiting = DBTaskResult.objects.filter(task_path=receive_status.module_path,
                                          status="READY")
    (task,) = waiting
    assert task.args_kwargs == {"args": [], "kwargs": {"authority_id": sender.pk}}

    receive_status.call(authority_id=sender.pk)
    task.delete()
    with authority_context(sender):
        assert StatusEvent.objects.filter(opened_at__isnull=True).count() == 0
        for row in sent:
            assert [e.status for e in selectors.status_events(
                submission_id=row.submission_id)] == ["received"]
    with authority_context(destination):
        send_status(submission_id=sent[0].submission_id, status="in_progress")
    assert waiting.count() == 1


@pytest.mark.django_db
def test_a_receiver_that_crashes_leaves_the_hand_over_waiting_for_a_retry(
        sender, destination, queued, monkeypatch):
    row = _queued_hand_over(sender, destination)
    original = receivers[SERVICE]

    def crashes_half_way(submission):
        original(submission)
        raise ConnectionError("the register went away")

    monkeypatch.setitem(receivers._entries, SERVICE, crashes_half_way)
    with pytest.raises(ConnectionError):
        receive_submission.call(authority_id=destination.pk, submission_pk=str(row.pk))
    (waiting,) = incoming(destination, row.submission_id)
    assert waiting.state == Submission.State.QUEUED and results_in(destination) == 0

    monkeypatch.setitem(receivers._entries, SERVICE, original)
    receive_submission.call(authority_id=destination.pk, submission_pk=str(row.pk))
    (received,) = incoming(destination, row.submission_id)
    assert received.state == Submission.State.RECEIVED and results_in(destination) == 1


@pytest.mark.django_db
def test_only_a_hand_over_sent_on_this_instance_is_prepared_before_receiving(
        sender, destination, queued, monkeypatch):
    """Anyone can encrypt to the public key: a stranger's hand-over must not use up what
    a preparation sets aside (an Aktenzeichen) before it is believed."""
    from rathaus.handover.receivers import preparations

    prepared = []
    monkeypatch.setitem(preparations._entries, SERVICE, prepared.append)
    local = _queued_hand_over(sender, destination)
    with authority_context(destination):  # the same content, as if over HTTP
        stranger = accept_submission(
            metadata_document={**local.metadata, "submission_id": str(uuid.uuid4())},
            data_jwe=local.data_jwe, attachment_jwes=local.attachment_jwes)

    assert run_receiving(destination, local) == Submission.State.RECEIVED
    assert prepared == [local.submission_id]
    run_receiving(destination, stranger)
    assert prepared == [local.submission_id]


@pytest.mark.django_db
def test_more_waiting_events_than_a_batch_queue_the_next_task(
        sender, destination, queued, monkeypatch):
    from rathaus.handover import receiving

    monkeypatch.setattr(receiving, "STATUS_BATCH", 2)
    sent = [send(sender, destination) for _ in range(3)]
    for row in sent:
        run_receiving(destination, incoming(destination, row.submission_id)[0])
    DBTaskResult.objects.filter(task_path=receive_status.module_path).delete()

    receive_status.call(authority_id=sender.pk)
    with authority_context(sender):
        assert StatusEvent.objects.filter(opened_at__isnull=True).count() == 1
    (next_task,) = DBTaskResult.objects.filter(task_path=receive_status.module_path,
                                               status="READY")
    receive_status.call(**next_task.args_kwargs["kwargs"])
    with authority_context(sender):
        assert StatusEvent.objects.filter(opened_at__isnull=True).count() == 0
