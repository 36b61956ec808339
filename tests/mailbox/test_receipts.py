"""Signed receipts: three per delivery, verifiable by anyone with the published keys."""

import base64
import hashlib
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox.models import Attachment, Receipt, SigningKey
from rathaus.mailbox.services import open_message
from tests.factories import make_citizen

from .conftest import BODY, PDF, PDF_NAME, SUBJECT, deliver, logged_in, message_url

KEYS_URL = "/.well-known/rathaus/receipt-keys.json"
URL_WORDS = {"sent": "versand", "delivered": "eingang", "retrieved": "abholung"}


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _published_keys() -> dict:
    response = Client().get(KEYS_URL)
    assert response.status_code == 200
    return json.loads(response.content)


def _download(client, message, event) -> dict:
    response = client.get(f"{message_url(message)}nachweis/{URL_WORDS[event]}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def _verify_with_pynacl(document: dict, jwks: dict) -> None:
    """An implementation independent of Rathaus: PyNaCl and the JWK set only."""
    jwk = next(k for k in jwks["keys"] if k["kid"] == document["kid"])
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")
    signed = json.dumps(document["receipt"], sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False).encode("utf-8")
    VerifyKey(_unb64url(jwk["x"])).verify(signed, _unb64url(document["signature"]))


def _expected_content_hash() -> str:
    """The definition in docs/mailbox-keys.md, written out independently."""
    manifest = {"subject": SUBJECT, "body": BODY, "attachments": [{
        "filename": PDF_NAME, "media_type": "application/pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }]}
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_every_receipt_verifies_with_pynacl_and_the_published_key_set(town, citizen):
    message = deliver(town, citizen)
    client = logged_in(citizen)
    assert client.get(message_url(message)).status_code == 200
    jwks = _published_keys()
    for event in ("sent", "delivered", "retrieved"):
        document = _download(client, message, event)
        _verify_with_pynacl(document, jwks)
        receipt = document["receipt"]
        assert document["alg"] == "EdDSA" and receipt["kid"] == document["kid"]
        assert receipt["event"] == event
        assert receipt["message_id"] == str(message.pk)
        assert receipt["content_sha256"] == _expected_content_hash()
        assert receipt["authority"] == {"id": "leichlingen", "name": "Stadt Leichlingen"}
        assert receipt["time"].endswith("Z")


def test_a_tampered_receipt_fails_with_pynacl(town, citizen):
    message = deliver(town, citizen)
    document = _download(logged_in(citizen), message, "delivered")
    document["receipt"]["time"] = "2020-01-01T00:00:00Z"
    with pytest.raises(BadSignatureError):
        _verify_with_pynacl(document, _published_keys())


def test_key_set_is_public_cacheable_and_has_no_private_parts(town, district, citizen):
    deliver(town, citizen)
    deliver(district, citizen)
    response = Client().get(KEYS_URL)
    assert response["Content-Type"] == "application/jwk-set+json"
    assert "max-age" in response["Cache-Control"] and "public" in response["Cache-Control"]
    keys = json.loads(response.content)["keys"]
    assert len(keys) == 2
    assert all(set(k) == {"kty", "crv", "x", "kid", "use", "alg"} for k in keys)


def test_retired_signing_keys_stay_published_so_old_receipts_verify(town, citizen):
    old = deliver(town, citizen)
    call_command("rotate_mailbox_keys", "--signing-key", stdout=io.StringIO())
    new = deliver(town, citizen)
    client = logged_in(citizen)
    old_receipt = _download(client, old, "sent")
    new_receipt = _download(client, new, "sent")
    assert old_receipt["kid"] != new_receipt["kid"]
    jwks = _published_keys()
    _verify_with_pynacl(old_receipt, jwks)
    _verify_with_pynacl(new_receipt, jwks)
    assert SigningKey.all_authorities.filter(is_active=True).count() == 1


def test_delivery_writes_sent_and_delivered_and_only_the_recipients_first_open_retrieved(
    town, citizen
):
    message = deliver(town, citizen)
    events = lambda: list(  # noqa: E731
        Receipt.all_authorities.filter(message=message).values_list("event", flat=True)
    )
    assert events() == ["sent", "delivered"]

    other = make_citizen("olaf@example.org")
    assert logged_in(other).get(message_url(message)).status_code == 404
    assert events() == ["sent", "delivered"]

    client = logged_in(citizen)
    assert client.get(f"{message_url(message)}nachweis/abholung/").status_code == 404
    assert client.get(message_url(message)).status_code == 200
    message.refresh_from_db()
    first_retrieved_at = message.first_retrieved_at
    assert first_retrieved_at is not None
    assert client.get(message_url(message)).status_code == 200
    message.refresh_from_db()
    assert message.first_retrieved_at == first_retrieved_at
    assert events() == ["sent", "delivered", "retrieved"]
    retrieved = Receipt.all_authorities.get(message=message, event="retrieved")
    assert retrieved.created_at == first_retrieved_at


def test_downloading_an_attachment_first_also_counts_as_retrieval(town, citizen):
    message = deliver(town, citizen)
    attachment = Attachment.all_authorities.get(message=message)
    client = logged_in(citizen)
    assert client.get(f"{message_url(message)}anhang/{attachment.pk}/").status_code == 200
    assert Receipt.all_authorities.filter(message=message, event="retrieved").exists()


def test_receipts_page_offers_every_receipt_for_download(town, citizen):
    message = deliver(town, citizen)
    html = logged_in(citizen).get(message_url(message)).text
    for word in URL_WORDS.values():
        assert f'href="{message_url(message)}nachweis/{word}/"' in html
    assert f'href="{KEYS_URL}"' in html


# --- the verify_receipt command ----------------------------------------------------------

@pytest.fixture
def receipt_file(town, citizen, tmp_path):
    message = deliver(town, citizen)
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(_download(logged_in(citizen), message, "sent")))
    return path


def _tamper(path, **changes):
    document = json.loads(path.read_text())
    document["receipt"].update(changes)
    path.write_text(json.dumps(document))


def test_verify_receipt_accepts_a_genuine_receipt_and_shows_its_content(receipt_file):
    out = io.StringIO()
    call_command("verify_receipt", str(receipt_file), stdout=out)
    assert "Valid receipt" in out.getvalue()
    assert "Stadt Leichlingen" in out.getvalue()
    assert _expected_content_hash() in out.getvalue()


@pytest.mark.parametrize("change", [
    {"event": "retrieved"},
    {"time": "2020-01-01T00:00:00Z"},
    {"content_sha256": "0" * 64},
    {"authority": {"id": "rbk", "name": "Rheinisch-Bergischer Kreis"}},
])
def test_verify_receipt_rejects_a_tampered_receipt(receipt_file, change):
    _tamper(receipt_file, **change)
    with pytest.raises(CommandError, match="INVALID"):
        call_command("verify_receipt", str(receipt_file), stdout=io.StringIO())


def test_verify_receipt_rejects_a_receipt_of_an_unknown_key(receipt_file):
    document = json.loads(receipt_file.read_text())
    document["kid"] = document["receipt"]["kid"] = "unbekannt"
    receipt_file.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="no published key"):
        call_command("verify_receipt", str(receipt_file))


def test_rathaus_verify_receipt_works_offline_with_a_saved_key_set(receipt_file, tmp_path):
    """The command line as a citizen or a court would use it: a separate process, no
    access to the instance's data, only the receipt and the saved JWK set."""
    jwks = tmp_path / "receipt-keys.json"
    jwks.write_text(json.dumps(_published_keys()))
    command = [sys.executable, "-m", "rathaus", "verify-receipt", str(receipt_file),
               "--jwks", str(jwks)]
    genuine = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert genuine.returncode == 0, genuine.stderr
    assert "Valid receipt" in genuine.stdout

    _tamper(receipt_file, event="delivered")
    tampered = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert tampered.returncode != 0
    assert "INVALID" in tampered.stderr


@pytest.mark.django_db(transaction=True)
def test_verify_receipt_fetches_the_key_set_from_a_url(town, citizen, live_server, tmp_path):
    message = deliver(town, citizen)
    with authority_context(town):
        open_message(user=citizen, message_id=message.pk)
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(_download(logged_in(citizen), message, "retrieved")))
    out = io.StringIO()
    call_command("verify_receipt", str(path), "--jwks", f"{live_server.url}{KEYS_URL}",
                 stdout=out)
    assert "Valid receipt" in out.getvalue() and "retrieved" in out.getvalue()
