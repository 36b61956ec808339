"""Taking what arrived into the intake: the original stored, the item written with its
audit entry, its reading queued, all in the caller's transaction. An e-mail is read at
once (it has text); each of its attachments becomes an item of its own."""

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module
from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority
from rathaus.records.blobs import store_blob
from rathaus.records.filenames import sanitize_filename

from .emails import EML_MEDIA_TYPE, parse_email
from .models import IncomingItem
from .receiving import Arrival, NotAccepted, check_bytes
from .suggestions import suggest

unguarded_module(__name__, "incoming mail's building blocks, called by the guarded "
                           "upload service and by the worker reading the scanner folder")

S = IncomingItem.Status


@transaction.atomic(savepoint=False)  # no savepoint: callers never carry on after an error
def take_in(*, arrival: Arrival, department, source: str, uploaded_by=None,
            email: IncomingItem | None = None) -> IncomingItem:
    item = _new_item(content=arrival.content, media_type=arrival.media_type,
                     filename=arrival.filename, department=department, source=source,
                     uploaded_by=uploaded_by, email=email)
    item.save()
    record("intake.item_received", actor=uploaded_by, target=item,
           data={"source": source, "media_type": item.media_type, "size": item.size,
                 "sha256": item.sha256, "email": str(email.pk) if email else None})
    if arrival.media_type == EML_MEDIA_TYPE:
        _read_email(item, arrival.content)
    else:
        queue_reading(item)
    return item


def queue_reading(item: IncomingItem) -> None:
    """Queue the item's text recognition; in the caller's transaction, so the task
    exists exactly when the item waits for it."""
    from .tasks import read_item

    read_item.enqueue(authority_id=item.authority_id, item_id=str(item.pk))


def _new_item(*, content: bytes, media_type: str, filename: str, department, source,
              uploaded_by, email) -> IncomingItem:
    storage_name, sha256 = store_blob(content, authority_slug=current_authority().slug)
    return IncomingItem(
        department=department, source=source, uploaded_by=_person(uploaded_by),
        email=email, received_at=timezone.now(), original_filename=sanitize_filename(filename),
        media_type=media_type, size=len(content), storage_name=storage_name, sha256=sha256,
    )


def _person(actor):
    return actor if getattr(actor, "pk", None) else None


def _read_email(item: IncomingItem, content: bytes) -> None:
    """An e-mail has its text already: it is ready at once. Its attachments follow it
    as items of the same department."""
    parsed = parse_email(content)
    text = parsed.text()
    suggestion = suggest(text=text, department_id=item.department_id)
    item.status = S.READY
    item.recognised_text, item.text_source = text, "plain"
    item.recognised_at = timezone.now()
    item.detected_sender = parsed.sender
    item.detected_subject = parsed.subject
    _apply(item, suggestion)
    item.save()
    for attachment in parsed.attachments:
        try:
            arrival = check_bytes(attachment.content, name=attachment.filename)
        except NotAccepted as refused:
            _keep_refused_attachment(item, attachment, str(refused))
            continue
        take_in(arrival=arrival, department=item.department, source=IncomingItem.Source.EMAIL,
                uploaded_by=item.uploaded_by, email=item)


def _keep_refused_attachment(email: IncomingItem, attachment, reason: str) -> None:
    """An attachment the eAkte does not take (a Word file, a program) is kept as it
    came, marked as failed with the reason, so nothing of the e-mail is lost."""
    item = _new_item(content=attachment.content, media_type="application/octet-stream",
                     filename=attachment.filename, department=email.department,
                     source=IncomingItem.Source.EMAIL, uploaded_by=email.uploaded_by,
                     email=email)
    item.status = S.FAILED
    item.failure_code, item.failure_params = "refused", {"reason": reason}
    item.save()
    record("intake.item_received", actor=email.uploaded_by, target=item,
           data={"source": item.source, "media_type": item.media_type, "size": item.size,
                 "sha256": item.sha256, "email": str(email.pk), "refused": True})


def _apply(item: IncomingItem, suggestion) -> None:
    item.detected_aktenzeichen = suggestion.aktenzeichen[:100]
    item.detected_sender = item.detected_sender or suggestion.sender
    item.detected_subject = item.detected_subject or suggestion.subject
    item.suggested_case_file = suggestion.case_file
    item.suggestion = suggestion.reason


def apply_suggestion(item: IncomingItem) -> None:
    """Set the item's suggestion from its text; an attachment of an e-mail already
    filed goes where its e-mail went."""
    email = item.email
    if email is not None and email.filed_document_id:
        item.suggested_case_file_id = email.filed_document.case_file_id
        item.suggestion = IncomingItem.Suggestion.EMAIL
        return
    _apply(item, suggest(text=item.recognised_text, department_id=item.department_id))
