"""The hand-over's test world: the town (sender) and the Kreis (destination), with a
small receiver registered for a test service only, and RSA keys made once per session
(3072-bit generation takes a second or more each)."""

import itertools

import pytest
from django.db import transaction

from rathaus.audit.models import AuditEntry
from rathaus.audit.services import record
from rathaus.authorities.tenancy import authority_context
from rathaus.handover import keys
from rathaus.handover.receivers import SubmissionRefused, receivers, submission_receiver

SERVICE = "test-antrag"
REFUSING_SERVICE = "test-abgelehnt"
RECEIVED_ACTION = "test.antrag_received"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                              "QUEUES": ["default"]}}

# What the test receiver was handed, per test (the registry lives for the session).
handed_over: list = []

if SERVICE not in receivers:
    @submission_receiver(SERVICE)
    def _receive_test_application(submission):
        """Leaves one audit entry per hand-over received: the result tests count."""
        handed_over.append(submission)
        record(RECEIVED_ACTION, data={"submission_id": str(submission.submission_id)})
        return f"TEST-{len(handed_over)}"

    @submission_receiver(REFUSING_SERVICE)
    def _refuse_after_writing(submission):
        record(RECEIVED_ACTION, data={"submission_id": str(submission.submission_id)})
        raise SubmissionRefused("Fahrzeug ist bereits zugelassen.")


@pytest.fixture(scope="session")
def _key_pool():
    return [keys.generate_private_key() for _ in range(4)]


@pytest.fixture(autouse=True)
def _keys_from_the_pool(monkeypatch, _key_pool):
    pool = itertools.cycle(_key_pool)
    monkeypatch.setattr(keys, "generate_private_key", lambda: next(pool))
    handed_over.clear()
    yield
    handed_over.clear()


@pytest.fixture
def sender(town):
    town.municipality_key = "05378020"
    town.save()
    return town


@pytest.fixture
def destination(district):
    district.municipality_key = "05378"
    district.save()
    return district


@pytest.fixture
def queued(settings):
    """Tasks stay in the database queue, for a test to run (or tamper) by hand."""
    settings.TASKS = DATABASE_TASKS


def results_in(authority) -> int:
    with authority_context(authority):
        return AuditEntry.objects.filter(action=RECEIVED_ACTION).count()


def in_transaction(function):
    with transaction.atomic():
        return function()
