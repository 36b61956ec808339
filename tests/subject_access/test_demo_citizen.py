"""The issue's "Done when" for Art. 15 on the demo itself: after `rathaus setup` the demo
citizen has a decided dog registration, and the copy of her data holds it, its notice,
the messages with their receipts and the access log."""

import hashlib
import io
import json
import zipfile

import pytest

from rathaus.accounts.models import User
from rathaus.audit.models import AccessLogEntry
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.demo import data
from rathaus.demo.loader import load_demo
from rathaus.dogs.models import Dog
from rathaus.mailbox import receipts
from rathaus.mailbox.models import Message, SigningKey
from rathaus.mailbox.services import attachment_content
from rathaus.records.models import DocumentVersion
from rathaus.subject_access.models import CopyRequest
from rathaus.subject_access.services import request_copy


def _what_she_has(citizen) -> dict:
    return {"cases": Case.objects.filter(applicant=citizen).count(),
            "dogs": Dog.objects.count(),
            "messages": Message.objects.filter(recipient=citizen).count(),
            "access": AccessLogEntry.objects.filter(citizen=citizen).count()}


def _zip_of(copy: CopyRequest) -> zipfile.ZipFile:
    message = copy.delivered_message
    attachment = message.attachments.get()
    delivered = attachment_content(user=copy.citizen, message_id=message.pk,
                                   attachment_id=attachment.pk)
    return zipfile.ZipFile(io.BytesIO(delivered.content))


def _public_key(kid: str) -> bytes:
    return bytes(SigningKey.objects.get(kid=kid).public_key)


@pytest.mark.django_db
def test_the_demo_citizens_copy_holds_her_dog_its_notice_the_messages_and_the_access_log():
    load_demo()
    town = Authority.objects.get(slug=data.AUTHORITIES[0]["slug"])
    bettina = User.objects.get(email=data.CITIZENS[0]["email"])
    with authority_context(town):
        before = _what_she_has(bettina)
    assert load_demo() is None  # `rathaus setup` a second time adds nothing
    with authority_context(town):
        assert _what_she_has(bettina) == before
        [case] = Case.objects.filter(applicant=bettina)
        assert case.status == Case.Status.APPROVED
        notice = DocumentVersion.objects.get(document__case_file=case.case_file,
                                             document__kind="notice")

        copy = request_copy(citizen=bettina)
        copy.refresh_from_db()
        assert copy.status == CopyRequest.Status.PRODUCED
        archive = _zip_of(copy)

        def read_json(name):
            return json.loads(archive.read(name))

        # The dog registration, decided, with the notice itself in its file.
        [application] = read_json("antraege.json")["antraege"]
        assert application["aktenzeichen"] == case.reference
        assert application["angaben"]["dog_name"] == data.CITIZEN_DOG["dog_name"]
        assert application["status"] == "Genehmigt"
        [notice_file] = [v["datei"] for d in application["akte"]["dokumente"]
                         for v in d["versionen"] if v["sha256"] == notice.sha256]
        assert hashlib.sha256(archive.read(notice_file)).hexdigest() == notice.sha256
        [dog] = read_json("register/hunde.json")["daten"]
        assert dog["name"] == data.CITIZEN_DOG["dog_name"]
        assert dog["aktenzeichen_der_anmeldung"] == case.reference

        # The notice's message with the notice attached and its signed receipts (sent
        # and delivered: she has not opened it yet).
        [message] = [m for m in read_json("postfach.json")
                     if m["aktenzeichen"] == case.reference]
        assert [a["sha256"] for a in message["anhaenge"]] == [notice.sha256]
        events = set()
        for receipt in message["quittungen"]:
            claims = receipts.verify(json.loads(archive.read(receipt["datei"])),
                                     public_key_for=_public_key)
            assert claims["message_id"] == message["kennung"]
            events.add(claims["event"])
        assert events == {"sent", "delivered"}

        # The clerk who opened her case, as the office logs it.
        [access] = read_json("zugriffsprotokoll.json")
        assert access["mitarbeiterin_oder_mitarbeiter"] == "Max Mustermann"
        assert access["was"] == f"Vorgang {case.reference}"
