"""Keeping the eAkte's search index: one `SearchEntry` per document, written when the
document's latest text is recorded (records.texts), and again when its metadata changes.

The terms go into the database's own full-text index, through the module for the
connection's database (search_postgresql, search_sqlite; docs/decisions/0032).
"""

from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module

from . import search_postgresql, search_sqlite
from .models import Document, DocumentText
from .search_terms import date_term, index_terms

unguarded_module(__name__, "the eAkte's search index, kept by the services that record "
                           "texts and change files; it decides nothing about people")

BY_VENDOR: dict[str, ModuleType] = {"sqlite": search_sqlite, "postgresql": search_postgresql}
# A tsvector holds at most 1 MB; a document's distinct terms stay far below this.
MAX_TERMS = 50_000


def for_connection(connection=default_connection) -> ModuleType:
    """Rathaus runs on SQLite or PostgreSQL (docs/decisions/0030)."""
    try:
        return BY_VENDOR[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Rathaus runs on SQLite or PostgreSQL, not on {connection.vendor}") from None


def metadata_terms(document: Document) -> list[str]:
    """The terms of what the file and the document are called, who they concern, and
    when they were opened and filed."""
    case_file = document.case_file
    subject = case_file.subject
    described = " ".join(filter(None, [
        case_file.aktenzeichen, case_file.plan_entry.code, case_file.title, document.title,
        subject.full_name if subject is not None else "",
    ]))
    dates = [date_term(timezone.localdate(document.created_at)),
             date_term(timezone.localdate(case_file.opened_at))]
    return list(dict.fromkeys([*index_terms(described), *dates]))


@transaction.atomic(savepoint=False)
def index_document(*, document_id, text: str) -> None:
    """Index the document with `text`, the text of its latest version."""
    document = Document.objects.select_related(
        "case_file__plan_entry", "case_file__subject").get(pk=document_id)
    metadata = metadata_terms(document)
    terms = list(dict.fromkeys([*metadata, *index_terms(text)]))[:MAX_TERMS]
    entry = {"authority_id": document.authority_id, "document_id": document.pk,
             "case_file_id": document.case_file_id,
             "department_id": document.case_file.department_id,
             "filed_at": default_connection.ops.adapt_datetimefield_value(document.created_at),
             "metadata_terms": " ".join(metadata)}
    with default_connection.cursor() as cursor:
        for_connection().store_entry(cursor, entry, terms)


@transaction.atomic(savepoint=False)
def reindex_documents(*, document_ids) -> int:
    """Index these documents again with their latest texts, after their file changed
    (title, department, citizen) or they moved to another file. Documents without a
    recorded text yet are left to the extraction that will record it. Returns how many
    were indexed."""
    texts = DocumentText.objects.filter(document_id__in=list(document_ids), is_latest=True)
    count = 0
    for document_id, text in texts.values_list("document_id", "text"):
        index_document(document_id=document_id, text=text)
        count += 1
    return count


def reindex_case_file(*, case_file) -> int:
    """Index every document of `case_file` again (see `reindex_documents`)."""
    return reindex_documents(
        document_ids=Document.objects.filter(case_file=case_file).values_list("pk", flat=True))
