"""Drafts and their uploads do not linger: sent ones give their copies up, unsent ones
expire."""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.forms.housekeeping import expire_drafts
from rathaus.forms.models import Draft, DraftUpload
from rathaus.records.models import Document
from tests.factories import DOG, HOLDER, PAYMENT_SEPA, pdf_upload, send_step, start_application


def _draft_with_proof(client) -> str:
    draft_id = start_application(client)
    send_step(client, draft_id=draft_id, number=1, data=HOLDER)
    send_step(client, draft_id=draft_id, number=2, data=DOG)
    send_step(client, draft_id=draft_id, number=3,
              data={"is_large": "yes", "proof_of_expertise": pdf_upload("sachkunde.pdf")})
    return draft_id


def _stored(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def test_sent_application_keeps_the_proof_in_the_file_only(
    dog_service, citizen_client, town, django_capture_on_commit_callbacks
):
    draft_id = _draft_with_proof(citizen_client)
    send_step(citizen_client, draft_id=draft_id, number=4, data=PAYMENT_SEPA)
    with authority_context(town):
        copy = _stored(DraftUpload.objects.get(draft_id=draft_id).storage_name)
    assert copy.exists()
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(f"/antraege/{draft_id}/absenden/")
    with authority_context(town):
        assert not DraftUpload.objects.filter(draft_id=draft_id).exists()
        assert Document.objects.filter(kind="upload", title="Nachweis der Sachkunde").exists()
    assert not copy.exists()


def test_unsent_drafts_expire_with_their_uploads(
    dog_service, citizen_client, town, django_capture_on_commit_callbacks
):
    old_id = _draft_with_proof(citizen_client)
    recent_id = start_application(citizen_client)
    with authority_context(town):
        copy = _stored(DraftUpload.objects.get(draft_id=old_id).storage_name)
        long_ago = timezone.now() - datetime.timedelta(days=settings.RATHAUS_DRAFT_DAYS + 1)
        Draft.objects.filter(pk=old_id).update(updated_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_drafts() == 1
    with authority_context(town):
        assert [str(pk) for pk in Draft.objects.values_list("pk", flat=True)] == [recent_id]
        assert not DraftUpload.objects.exists()
        entry = AuditEntry.objects.get(action="application.draft_expired")
        assert entry.data["uploads"] == 1
    assert not copy.exists()
    # The page of an expired draft is simply gone.
    assert citizen_client.get(f"/antraege/{old_id}/schritt/1/").status_code == 404
