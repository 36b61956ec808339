"""Working on files in the office: notes (Aktenvermerke) and moving a document to the
file where it belongs. Each service is one transaction with its audit entry, which
names Aktenzeichen and ids, never a note's text or a document's title."""

from django.db import transaction

from rathaus.accounts.permissions import guarded_by, require
from rathaus.audit.services import record

from . import permissions as rules
from .errors import CaseFileClosed, RecordsError
from .models import CaseFile, Document, DocumentNote
from .search_index import reindex_documents

NOTE_MAX_LENGTH = DocumentNote._meta.get_field("text").max_length


class NoteInvalid(RecordsError):
    """The note is empty or longer than NOTE_MAX_LENGTH."""


class DocumentNotInFile(RecordsError):
    """The document is not (or no longer) in the file the request named."""


class SameFile(RecordsError):
    """A document cannot be moved to the file it is in."""


@guarded_by(rules.may_work_on_file)
@transaction.atomic
def add_note(*, actor, case_file: CaseFile, text: str, document: Document | None = None
             ) -> DocumentNote:
    """A note on the file, or on one of its documents (it then moves with the document).
    A closed file (zdA) takes no new notes: it is kept as it was closed."""
    text = text.strip()
    if not text or len(text) > NOTE_MAX_LENGTH:
        raise NoteInvalid
    case_file = _lock_open(case_file.pk)
    if document is not None and not Document.objects.filter(
            pk=document.pk, case_file=case_file).exists():
        raise DocumentNotInFile
    note = DocumentNote.objects.create(case_file=case_file, document=document, text=text,
                                       created_by=actor)
    record("records.note_added", actor=actor, target=case_file,
           data={"aktenzeichen": case_file.aktenzeichen,
                 "document": str(document.uuid) if document else None})
    return note


@guarded_by(rules.may_work_on_file)
@transaction.atomic
def move_document(*, actor, case_file: CaseFile, document: Document, target: CaseFile
                  ) -> Document:
    """Move `document` with all its versions, texts and notes from `case_file` to
    `target`. Both files must be open and the actor must work on both."""
    require(rules.may_work_on_file, actor, case_file=target)
    if target.pk == case_file.pk:
        raise SameFile
    # Both locked, in a fixed order so that two opposite moves cannot deadlock.
    locked = {pk: _lock_open(pk) for pk in sorted([case_file.pk, target.pk])}
    source, target = locked[case_file.pk], locked[target.pk]
    moved = Document.objects.filter(pk=document.pk, case_file=source).update(case_file=target)
    if not moved:
        raise DocumentNotInFile
    document = Document.objects.get(pk=document.pk)
    # Found from now on by the new file's Aktenzeichen, and by its department's staff.
    reindex_documents(document_ids=[document.pk])
    record("records.document_moved", actor=actor, target=document,
           data={"document": str(document.uuid), "from": source.aktenzeichen,
                 "to": target.aktenzeichen})
    return document


def _lock_open(pk) -> CaseFile:
    # The tenant manager finds only the active authority's files.
    case_file = CaseFile.objects.select_for_update().get(pk=pk)
    if case_file.is_closed:
        raise CaseFileClosed(case_file.aktenzeichen)
    return case_file
