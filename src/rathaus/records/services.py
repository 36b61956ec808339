"""Changing the eAkte. Each function is one transaction with its audit entry.

Document bytes are written to storage before the row that points to them: a rolled
back transaction can leave an orphan blob behind (content-addressed, so harmless and
reused by the next identical content), never a row without its bytes. See blobs.py.
Audit entries name references, kinds and hashes, never titles or file names, which
may contain personal data.
"""

import datetime
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module
from rathaus.audit.services import record
from rathaus.authorities.sequences import next_value, reserve_value
from rathaus.authorities.tenancy import WrongAuthority, current_authority

from .blobs import store_stream
from .errors import CaseFileClosed, UnknownPlanCode
from .filenames import sanitize_filename
from .models import CaseFile, Document, DocumentVersion, FilePlanEntry
from .plan_revisions import write_revision
from .references import DEFAULT_REFERENCE_PATTERN, format_reference
from .tasks import extract_text

# Who may act is asked by the services that call these (accounts.permissions).
unguarded_module(__name__, "the eAkte, a building block called inside guarded services "
                           "(submission, case actions, decision handlers)")


@transaction.atomic
def add_file_plan_entry(
    *,
    code: str,
    title: str,
    retention_years: int,
    reference_pattern: str = DEFAULT_REFERENCE_PATTERN,
    disposal: str = FilePlanEntry.Disposal.EVALUATE,
    department=None,
    parent: FilePlanEntry | None = None,
    actor=None,
    reason: str = "",
) -> FilePlanEntry:
    """Add an entry to the active authority's file plan with its first revision;
    raises ValidationError."""
    entry = FilePlanEntry(
        authority=current_authority(), code=code, title=title,
        retention_years=retention_years, reference_pattern=reference_pattern,
        disposal=disposal, department=department, parent=parent,
    )
    entry.full_clean()
    entry.save()
    write_revision(entry, actor=actor, reason=reason)
    record("records.file_plan_entry_added", actor=actor, target=entry,
           data={"code": code, "retention_years": retention_years, "disposal": disposal,
                 "revision": 1})
    return entry


def reserve_file_number(*, plan_code: str, key: str) -> tuple[int, int]:
    """Year and number of a future Aktenzeichen under `plan_code`, set aside for `key`
    before the transaction that opens the file (see `sequences.reserve_value`)."""
    year = timezone.localdate().year  # the town's year, not UTC's
    return year, reserve_value(f"aktenzeichen:{plan_code}", period=str(year), key=key)


@transaction.atomic(savepoint=False)  # no savepoint: callers never carry on after an error
def open_case_file(
    *, plan_code: str = "", plan_entry: FilePlanEntry | None = None, title: str,
    subject=None, actor=None, reserved_number: tuple[int, int] | None = None,
    department=None,
) -> CaseFile:
    """Open a file under `plan_code` with the next Aktenzeichen of this year, or with the
    year and number from `reserve_file_number`. A caller that has the plan entry at hand
    (from `FilePlanEntry.objects`) passes it instead of its code. The file belongs to
    `department`, else to the plan entry's department."""
    if plan_entry is None:
        try:
            plan_entry = FilePlanEntry.objects.get(code=plan_code)
        except FilePlanEntry.DoesNotExist as exc:
            raise UnknownPlanCode(plan_code) from exc
    elif plan_entry.authority_id != current_authority().pk:
        raise WrongAuthority(f"File plan entry {plan_entry.code} is another authority's.")
    plan_code = plan_entry.code
    opened_at = timezone.now()
    if reserved_number:
        year, number = reserved_number
    else:
        year = timezone.localdate(opened_at).year  # the town's year, not UTC's
        number = next_value(f"aktenzeichen:{plan_code}", period=str(year))
    case_file = CaseFile.objects.create(
        aktenzeichen=format_reference(
            plan_entry.reference_pattern, code=plan_entry.code, year=year, number=number
        ),
        plan_entry=plan_entry,
        title=title,
        subject=subject,
        department=department or plan_entry.department,
        retention_years=plan_entry.retention_years,
        opened_at=opened_at,
    )
    record("records.case_file_opened", actor=actor, target=case_file,
           data={"aktenzeichen": case_file.aktenzeichen, "plan_code": plan_code})
    return case_file


@dataclass(frozen=True)
class NewDocument:
    """A document to add with `add_documents`. `media_type` is trusted: uploads must
    have passed `uploads.check_upload`. `content` is bytes, or a binary file-like
    object (an UploadedFile, an open file) that is stored in chunks, read from its start.
    """

    title: str
    kind: str
    content: bytes | BinaryIO
    media_type: str
    filename: str


@transaction.atomic(savepoint=False)  # no savepoint: callers never carry on after an error
def add_document(*, case_file: CaseFile, title: str, kind: str, content: bytes | BinaryIO,
                 media_type: str, filename: str, created_by=None) -> DocumentVersion:
    """Add a document to an open file; returns its first version."""
    document = NewDocument(title=title, kind=kind, content=content, media_type=media_type,
                           filename=filename)
    return add_documents(case_file=case_file, documents=[document], created_by=created_by)[0]


@transaction.atomic(savepoint=False)  # no savepoint: callers never carry on after an error
def add_documents(*, case_file: CaseFile, documents: list[NewDocument],
                  created_by=None, opened_here: bool = False) -> list[DocumentVersion]:
    """Add several documents to an open file together, in this order; returns their
    first versions. One lock on the file and one insert for all documents and one for
    all versions, where one call per document would take three queries each.

    `opened_here`: the caller opened the file in this same transaction, so no other
    transaction can see it, let alone close it, and there is nothing to lock.
    """
    for new in documents:
        if new.kind not in Document.Kind.values:
            raise ValueError(f"Unknown document kind {new.kind!r}.")
    if not opened_here:
        case_file = _lock_open_case_file(case_file.pk)
    rows = Document.objects.bulk_create([
        Document(case_file=case_file, title=new.title, kind=new.kind)
        for new in documents
    ])
    versions = DocumentVersion.objects.bulk_create([
        _new_version(document, content=new.content, media_type=new.media_type,
                     filename=new.filename, created_by=created_by, number=1)
        for document, new in zip(rows, documents, strict=True)
    ])
    for document, version in zip(rows, versions, strict=True):
        record("records.document_added", actor=created_by, target=document,
               data={"aktenzeichen": case_file.aktenzeichen, "kind": document.kind,
                     **_describe(version)})
        _read_text_later(version)
    return versions


@transaction.atomic
def add_version(
    *, document: Document, content: bytes | BinaryIO, media_type: str, filename: str,
    created_by=None,
) -> DocumentVersion:
    """Add a new version; earlier versions stay as they are."""
    # Fetched again through the tenant manager: another authority's document raises
    # DoesNotExist. Locking its file serialises all appends to the document.
    document = Document.objects.get(pk=document.pk)
    case_file = _lock_open_case_file(document.case_file_id)
    version = _append_version(document, content=content, media_type=media_type,
                              filename=filename, created_by=created_by)
    record("records.version_added", actor=created_by, target=document,
           data={"aktenzeichen": case_file.aktenzeichen, **_describe(version)})
    _read_text_later(version)
    return version


@transaction.atomic
def close_case_file(*, case_file: CaseFile, actor=None) -> CaseFile:
    """Close the file (zdA) and fix its retention. Returns the updated file."""
    case_file = _lock_open_case_file(case_file.pk)
    case_file.closed_at = timezone.now()
    case_file.retention_until = retention_end(
        closed_on=timezone.localdate(case_file.closed_at), years=case_file.retention_years
    )
    case_file.save(update_fields=["closed_at", "retention_until"])
    record("records.case_file_closed", actor=actor, target=case_file,
           data={"aktenzeichen": case_file.aktenzeichen,
                 "retention_until": case_file.retention_until.isoformat()})
    return case_file


def retention_end(*, closed_on: datetime.date, years: int) -> datetime.date:
    """Retention periods run from the end of the year in which the file was closed
    (as for tax records, § 147 (4) AO), so a file closed in 2026 with ten years is
    kept until 31 December 2036."""
    return datetime.date(closed_on.year + years, 12, 31)


def _lock_open_case_file(pk) -> CaseFile:
    # The tenant manager finds only the active authority's files, so a file of
    # another authority raises DoesNotExist here.
    case_file = CaseFile.objects.select_for_update().get(pk=pk)
    if case_file.is_closed:
        raise CaseFileClosed(case_file.aktenzeichen)
    return case_file


def _append_version(
    document, *, content, media_type, filename, created_by
) -> DocumentVersion:
    """The next version after the last, which the caller's lock on the file keeps
    unique."""
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = _new_version(document, content=content, media_type=media_type,
                           filename=filename, created_by=created_by, number=number)
    version.save()
    return version


def _new_version(
    document, *, content, media_type, filename, created_by, number: int
) -> DocumentVersion:
    """A version, not saved yet, of content now in storage."""
    if isinstance(content, bytes) and not content:
        raise ValueError("A document version needs content.")
    stored = store_stream(content, authority_slug=current_authority().slug)
    if not stored.size:  # an empty stream; its empty blob is swept as an orphan
        raise ValueError("A document version needs content.")
    return DocumentVersion(
        document=document,
        number=number,
        sha256=stored.sha256,
        size=stored.size,
        media_type=media_type,
        original_filename=sanitize_filename(filename),
        storage_name=stored.name,
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )


def _read_text_later(version: DocumentVersion) -> None:
    # Queued in this transaction (the queue is a table of the same database): the text
    # is read, and the document made searchable, exactly when the version exists.
    extract_text.enqueue(authority_id=version.authority_id, version_id=version.pk)


def _describe(version: DocumentVersion) -> dict:
    return {"version": version.number, "sha256": version.sha256, "size": version.size}
