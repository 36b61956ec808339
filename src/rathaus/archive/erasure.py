"""Deleting a file's contents at the end of its life: the one place that removes rows
of the eAkte's append-only history.

`DocumentVersion` and `DocumentNote` are append-only: their managers and `delete()`
raise `AppendOnlyError`, so no ordinary code path can lose a version or a note.
Disposal after the retention period (destruction, or hand-over to the archive once it
acknowledged the package) is the one legitimate end of that history. This function
deletes through plain `models.QuerySet(model=...)` objects, which bypass the guard on
purpose, and only inside the caller's transaction, which also writes the deletion
record and the audit entry (docs/decisions/0034).
"""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import models, transaction

from rathaus.records.housekeeping import referenced_among
from rathaus.records.models import CaseFile, Document, DocumentNote, DocumentText, DocumentVersion


@dataclass(frozen=True)
class ErasedContents:
    documents: int
    versions: list[dict]  # document, version, number, sha256, size of each
    notes: int


@transaction.atomic(savepoint=False)
def erase_file_contents(case_file: CaseFile) -> ErasedContents:
    """Delete the texts, notes, versions and documents of `case_file`, and once the
    transaction has committed, the blobs no remaining version points to. The file's
    row stays as a tombstone: its title is emptied and the citizen unlinked."""
    versions = list(
        DocumentVersion.objects.filter(document__case_file=case_file)
        .order_by("document__created_at", "document_id", "number")
        .values("document__uuid", "uuid", "number", "sha256", "size", "storage_name"))
    documents = Document.objects.filter(case_file=case_file).count()
    DocumentText.objects.filter(document__case_file=case_file).delete()
    notes, _by_model = models.QuerySet(model=DocumentNote).filter(case_file=case_file).delete()
    models.QuerySet(model=DocumentVersion).filter(document__case_file=case_file).delete()
    Document.objects.filter(case_file=case_file).delete()
    CaseFile.objects.filter(pk=case_file.pk).update(title="", subject=None)
    names = {version["storage_name"] for version in versions}
    transaction.on_commit(lambda: _delete_unreferenced_blobs(names))
    return ErasedContents(
        documents=documents, notes=notes,
        versions=[{"document": str(v["document__uuid"]), "version": str(v["uuid"]),
                   "number": v["number"], "sha256": v["sha256"], "size": v["size"]}
                  for v in versions])


def _delete_unreferenced_blobs(names: set[str]) -> None:
    # After the commit: a rolled-back disposal must find every blob still there.
    for name in sorted(names - referenced_among(names)):
        default_storage.delete(name)
