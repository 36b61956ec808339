"""Producing the copy in the worker: the ZIP is written into a temporary file, then
delivered to the citizen's mailbox in one transaction with the request's new status
and its audit entry. A run after the copy was delivered does nothing; a failed run
marks the request (in a transaction of its own) and fails the task, which the failed
background work page shows to staff and sends off again."""

import hashlib
import tempfile

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from rathaus.audit.services import record
from rathaus.authorities.links import portal_url
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context, current_authority
from rathaus.mailbox.services import NewAttachment, deliver_message

from .archive import Contents, write_copy
from .models import CopyRequest

ZIP_MEDIA_TYPE = "application/zip"


@task()
def produce_copy(*, authority_id: int, request_id: str) -> None:
    authority = Authority.objects.get(pk=authority_id)
    # The copy speaks the authority's language, whichever page queued it.
    with authority_context(authority), translation.override(settings.LANGUAGE_CODE):
        request = CopyRequest.objects.select_related("citizen").get(pk=request_id)
        if request.status == CopyRequest.Status.PRODUCED:
            return
        try:
            with tempfile.TemporaryFile() as spool:
                contents = write_copy(
                    citizen=request.citizen, into=spool,
                    earlier_copies=_earlier_copies(request),
                    request_ids=[str(pk) for pk in CopyRequest.objects.filter(
                        citizen=request.citizen).values_list("pk", flat=True)])
                spool.seek(0)
                # The mailbox seals a file in one piece (AES-GCM): here the ZIP is in
                # memory once (docs/decisions/0035).
                _deliver(request_id, content=spool.read(), contents=contents)
        except Exception as error:
            _note_failure(request_id, error)
            raise


def _earlier_copies(request: CopyRequest) -> set:
    return set(CopyRequest.objects.filter(citizen=request.citizen)
               .exclude(delivered_message=None).values_list("delivered_message_id", flat=True))


@transaction.atomic
def _deliver(request_id: str, *, content: bytes, contents: Contents) -> None:
    request = (CopyRequest.objects.select_for_update(of=("self",)).select_related("citizen")
               .get(pk=request_id))
    if request.status == CopyRequest.Status.PRODUCED:  # another worker was first
        return
    day = date_format(timezone.localdate(request.requested_at), "d.m.Y")
    message = deliver_message(
        recipient=request.citizen,
        subject=_("Your copy of your personal data (Art. 15 GDPR)"),
        body=_("Attached is the copy of the personal data that %(authority)s holds about "
               "you, as you requested on %(date)s. The file LIESMICH.txt in the ZIP archive "
               "explains what it contains, where each part comes from and how long it is "
               "kept.") % {"authority": current_authority().name, "date": day},
        attachments=[NewAttachment(filename=f"Datenauskunft-{day}.zip",
                                   media_type=ZIP_MEDIA_TYPE, content=content)],
        link_for=lambda message: portal_url(reverse("mailbox:message", args=[message.pk])),
    )
    sha256 = hashlib.sha256(content).hexdigest()
    request.status = CopyRequest.Status.PRODUCED
    request.delivered_message = message
    request.finished_at = timezone.now()
    request.failure = ""
    request.summary = {**contents.as_dict(), "size": len(content), "sha256": sha256}
    request.save(update_fields=["status", "delivered_message", "finished_at", "failure",
                                "summary"])
    record("subject_access.produced", target=request,
           data={"message": str(message.pk), "sha256": sha256, "size": len(content),
                 "files": contents.files})


@transaction.atomic
def _note_failure(request_id: str, error: Exception) -> None:
    name = type(error).__name__
    changed = CopyRequest.objects.filter(
        pk=request_id, status__in=[CopyRequest.Status.REQUESTED, CopyRequest.Status.FAILED],
    ).update(status=CopyRequest.Status.FAILED, failure=name[:200], finished_at=timezone.now())
    if changed:
        record("subject_access.failed", target=CopyRequest.objects.get(pk=request_id),
               data={"error": name})
