"""What staff do with incoming mail: put it in, file it into a case file, discard it
with a reason, try its text recognition again. Each is one transaction with its audit
entry; who may act is asked here (intake.permissions, and for filing the target file's
own rule, records.may_work_on_file)."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import guarded_by, require
from rathaus.audit.services import record
from rathaus.records.errors import CaseFileClosed
from rathaus.records.filenames import sanitize_filename
from rathaus.records.models import CaseFile, Document
from rathaus.records.permissions import may_work_on_file
from rathaus.records.services import add_document
from rathaus.records.texts import record_text

from . import errors
from .errors import IntakeRefused
from .items import queue_reading, take_in
from .models import IncomingItem
from .permissions import may_handle_item, may_receive
from .receiving import NotAccepted, check_arrival
from .selectors import original_content, pdfa_content

S = IncomingItem.Status


@dataclass
class Received:
    items: list[IncomingItem] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # file name, why


@guarded_by(may_receive)
@transaction.atomic
def receive_files(*, actor, department, files) -> Received:
    """Put uploaded files into the department's intake. Each file is checked on its
    own: the good ones become items, the others are named with the reason."""
    received = Received()
    for file in files:
        try:
            arrival = check_arrival(file)
        except NotAccepted as refused:
            received.refused.append((sanitize_filename(getattr(file, "name", "") or ""),
                                     str(refused)))
            continue
        received.items.append(take_in(arrival=arrival, department=department,
                                      source=IncomingItem.Source.UPLOAD, uploaded_by=actor))
    return received


@guarded_by(may_handle_item)
@transaction.atomic
def file_item(*, actor, item: IncomingItem, case_file: CaseFile,
              with_attachments: bool = True) -> Document:
    """File the item into `case_file` as a document: a scan as its PDF/A with the
    recognised text, an Office document or an e-mail as it came with its text. The
    e-mail's attachments that are ready go into the same file with it; the others are
    suggested it."""
    require(may_work_on_file, actor, case_file=case_file)
    item = _locked_open(item)
    if item.status != S.READY:
        raise IntakeRefused(errors.NOT_READY)
    document = _file_one(item, case_file=case_file, actor=actor)
    for attachment in IncomingItem.objects.select_for_update().filter(email=item).exclude(
            status__in=[S.FILED, S.DISCARDED]).order_by("received_at", "pk"):
        if with_attachments and attachment.status == S.READY:
            _file_one(attachment, case_file=case_file, actor=actor)
        else:
            attachment.suggested_case_file = case_file
            attachment.suggestion = IncomingItem.Suggestion.EMAIL
            attachment.save(update_fields=["suggested_case_file", "suggestion"])
    return document


def _file_one(item: IncomingItem, *, case_file: CaseFile, actor) -> Document:
    if item.is_email or item.is_office:  # as it came, with the text read from it
        content, media_type = original_content(item), item.media_type
        kind = Document.Kind.EMAIL if item.is_email else Document.Kind.INCOMING
        filename = item.original_filename
    else:
        content, media_type, kind = pdfa_content(item), "application/pdf", Document.Kind.INCOMING
        filename = f"{Path(item.original_filename).stem or 'Eingang'}.pdf"
    try:
        version = add_document(case_file=case_file, title=_title(item), kind=kind,
                               content=content, media_type=media_type, filename=filename,
                               created_by=actor)
    except CaseFileClosed as closed:
        raise IntakeRefused(errors.FILE_CLOSED % {"reference": case_file.aktenzeichen}) \
            from closed
    record_text(version=version, text=item.recognised_text, source=item.text_source)
    followed = item.suggested_case_file_id == case_file.pk
    item.status, item.filed_document = S.FILED, version.document
    item.done_at, item.done_by = timezone.now(), actor
    item.save(update_fields=["status", "filed_document", "done_at", "done_by"])
    record("intake.item_filed", actor=actor, target=item,
           data={"aktenzeichen": case_file.aktenzeichen, "document": str(version.document.uuid),
                 "sha256": version.sha256, "suggestion": item.suggestion if followed else ""})
    return version.document


def _title(item: IncomingItem) -> str:
    """What staff see in the file: the subject line, else the file name."""
    if item.detected_subject:
        prefix = "E-Mail: " if item.is_email else "Eingang: "
        return (prefix + item.detected_subject)[:300]
    return (Path(item.original_filename).stem or item.original_filename)[:300]


@guarded_by(may_handle_item)
@transaction.atomic
def discard_item(*, actor, item: IncomingItem, reason: str, note: str = "") -> IncomingItem:
    """Take the item out of the intake, never silently: the reason is kept on it and
    audited; its original stays stored. An e-mail's open attachments go with it."""
    if reason not in IncomingItem.DiscardReason.values:
        raise ValueError(f"Unknown reason {reason!r}.")
    item = _locked_open(item)
    attachments = list(IncomingItem.objects.select_for_update().filter(email=item).exclude(
        status__in=[S.FILED, S.DISCARDED]))
    for one in (item, *attachments):
        one.status, one.discard_reason, one.discard_note = S.DISCARDED, reason, note[:500]
        one.done_at, one.done_by = timezone.now(), actor
        one.save(update_fields=["status", "discard_reason", "discard_note", "done_at",
                                "done_by"])
        record("intake.item_discarded", actor=actor, target=one,
               data={"reason": reason, "sha256": one.sha256})
    return item


@guarded_by(may_handle_item)
@transaction.atomic
def retry_item(*, actor, item: IncomingItem) -> IncomingItem:
    """Queue the text recognition of a failed item again."""
    item = _locked_open(item)
    if item.status != S.FAILED or item.failure_code == "refused":
        raise IntakeRefused(errors.NOT_FAILED)
    item.status, item.failure_code, item.failure_params = S.WAITING, "", {}
    item.save(update_fields=["status", "failure_code", "failure_params"])
    record("intake.retry", actor=actor, target=item, data={"sha256": item.sha256})
    queue_reading(item)
    item.refresh_from_db()
    return item


def _locked_open(item: IncomingItem) -> IncomingItem:
    item = IncomingItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        raise IntakeRefused(errors.NOT_OPEN)
    return item
