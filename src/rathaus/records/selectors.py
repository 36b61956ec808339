"""Reading the eAkte."""

from django.db.models import QuerySet

from .blobs import read_blob
from .models import CaseFile, Document, DocumentVersion


def documents_of(case_file: CaseFile) -> QuerySet[Document]:
    return Document.objects.filter(case_file=case_file).order_by("created_at", "pk")


def has_notice(case_file: CaseFile) -> bool:
    """Whether a notice (Bescheid) is in the file: the case was decided."""
    return Document.objects.filter(case_file=case_file, kind=Document.Kind.NOTICE).exists()


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.filter(document=document).order_by("number")


def latest_version(document: Document) -> DocumentVersion | None:
    return versions_of(document).last()


def read_content(version: DocumentVersion) -> bytes:
    """The version's bytes; raises `ContentIntegrityError` when they are missing or do
    not match the recorded hash, so tampered content is never handed out."""
    return read_blob(version.storage_name, sha256=version.sha256)
