"""The hand-over's HTTP interface: the published keys, and the door for hand-overs from
another instance, which stores and queues them exactly like one from this instance."""

import datetime
import json
import uuid
from types import SimpleNamespace

import pytest
from django.test import Client
from jwcrypto import jwk

from rathaus.authorities.tenancy import authority_context
from rathaus.handover import jose, keys, metadata
from rathaus.handover.models import HandoverKey, Submission
from tests.handover.conftest import SERVICE, handed_over, results_in

URL = "/uebergabe/rbk/einreichungen/"
DATA = {"fahrzeug": {"fin": "WVWZZZ1JZXW000001"}}
# A sender on another instance, known here only by what its metadata says.
REMOTE = SimpleNamespace(slug="burscheid", name="Stadt Burscheid", municipality_key="05378004")


def client() -> Client:
    return Client(HTTP_HOST="rbk.localhost", enforce_csrf_checks=True)


def remote_hand_over(destination, *, data=DATA, attachments=()) -> dict:
    """What another instance would POST: encrypted with the keys it fetched."""
    response = client().get("/uebergabe/rbk/jwks.json")
    published = response.json()["keys"][0]
    public = jwk.JWK(**published)
    plaintext = metadata.content_document(data=data, attachments=list(attachments))
    document = metadata.build(
        submission_id=uuid.uuid4(), service_id=SERVICE, reference="BU-1", sender=REMOTE,
        destination=destination, data_plaintext=plaintext, attachments=list(attachments),
        created_at=datetime.datetime.now(datetime.UTC))
    return {
        "metadata": document,
        "data": jose.encrypt(plaintext, key=public, kid=published["kid"],
                             media_type="application/json"),
        "attachments": [jose.encrypt(content, key=public, kid=published["kid"],
                                     media_type=media_type)
                        for _name, media_type, content in attachments],
    }


def post(body, **extra):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client().post(URL, raw, content_type=extra.pop("content_type", "application/json"),
                         **extra)


@pytest.mark.django_db
def test_the_key_set_publishes_only_public_encryption_keys(destination):
    response = client().get("/.well-known/rathaus/handover-keys.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    (key,) = response.json()["keys"]
    assert key["use"] == "enc" and key["alg"] == "RSA-OAEP-256" and key["kty"] == "RSA"
    assert set(key) == {"kty", "n", "e", "kid", "use", "alg"}
    with authority_context(destination):
        assert key["kid"] == HandoverKey.objects.get(is_active=True).kid


@pytest.mark.django_db
def test_the_key_set_has_a_stable_address_per_authority(destination):
    by_slug = client().get("/uebergabe/rbk/jwks.json").json()
    well_known = client().get("/.well-known/rathaus/handover-keys.json").json()

    assert by_slug == well_known
    assert client().get("/uebergabe/leichlingen/jwks.json").status_code == 404


@pytest.mark.django_db
def test_a_rotated_key_stays_published_after_the_active_one(destination):
    first = client().get("/uebergabe/rbk/jwks.json").json()["keys"][0]["kid"]
    with authority_context(destination):
        new = keys.rotate_key().kid

    kids = [k["kid"] for k in client().get("/uebergabe/rbk/jwks.json").json()["keys"]]
    assert kids == [new, first]


@pytest.mark.django_db
def test_a_hand_over_from_another_instance_is_accepted_and_received(destination):
    attachment = ("Versicherung.pdf", "application/pdf", b"%PDF-1.7 eVB")
    body = remote_hand_over(destination, attachments=[attachment])

    response = post(body)

    assert response.status_code == 202
    assert response.json()["submission_id"] == body["metadata"]["submission_id"]
    (arrived,) = handed_over
    assert arrived.data == DATA and arrived.sender["slug"] == "burscheid"
    assert [(a.filename, a.media_type, a.content) for a in arrived.attachments] == [attachment]
    with authority_context(destination):
        row = Submission.objects.get(submission_id=body["metadata"]["submission_id"])
    assert row.state == Submission.State.RECEIVED and row.counterpart_slug == "burscheid"
    assert results_in(destination) == 1


@pytest.mark.django_db
def test_a_tampered_hand_over_over_http_is_stored_as_failed(destination):
    body = remote_hand_over(destination)
    pieces = body["data"].split(".")
    pieces[3] = ("A" if pieces[3][0] != "A" else "B") + pieces[3][1:]
    body["data"] = ".".join(pieces)

    assert post(body).status_code == 202
    with authority_context(destination):
        row = Submission.objects.get(submission_id=body["metadata"]["submission_id"])
    assert row.state == Submission.State.FAILED
    assert row.failure == Submission.Failure.UNDECRYPTABLE
    assert handed_over == []


@pytest.mark.django_db
@pytest.mark.parametrize("junk", [
    "kein json",
    "[]",
    "{\"metadata\": {}}",
    json.dumps({"metadata": {"version": 1}, "data": "a.b.c.d.e", "attachments": []}),
    json.dumps({"metadata": {}, "data": "nur-ein-teil", "attachments": []}),
    json.dumps({"metadata": {}, "data": "a.b.c.d.e", "attachments": "x"}),
    "[" * 5000 + "]" * 5000,
])
def test_junk_is_refused_with_a_problem_document(destination, junk):
    response = post(junk)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] and problem["detail"]
    with authority_context(destination):
        assert not Submission.objects.exists()


@pytest.mark.django_db
def test_metadata_naming_more_attachments_than_sent_is_refused(destination):
    body = remote_hand_over(destination, attachments=[("a.txt", "text/plain", b"a")])
    body["attachments"] = []

    response = post(body)

    assert response.status_code == 400
    assert "attachments" in response.json()["detail"]


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_refused_as_unsupported(destination):
    response = post("a=b", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_hand_over_larger_than_the_limit_is_refused_unread(destination, settings):
    settings.RATHAUS_HANDOVER_MAX_BYTES = 1000
    body = remote_hand_over(destination, data={"text": "x" * 2000})

    response = post(body)

    assert response.status_code == 413
    assert response.json()["status"] == 413


@pytest.mark.django_db
def test_the_door_answers_only_on_its_authoritys_host(destination, sender):
    body = remote_hand_over(destination)

    response = Client(HTTP_HOST="leichlingen.localhost").post(
        URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_sender_that_knocks_too_often_is_told_to_wait(destination, settings, rate_clock):
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "handover": {"client": "2/m"}}
    answers = [post("kein json").status_code for _ in range(3)]

    assert answers == [400, 400, 429]
