"""The searchable text of document versions (`DocumentText`)."""

from django.db import transaction

from rathaus.accounts.permissions import unguarded_module

from .models import DocumentText, DocumentVersion
from .search_index import index_document

unguarded_module(__name__, "the eAkte's text index, kept by the services that add "
                           "versions and by the worker that reads them")


@transaction.atomic(savepoint=False)
def record_text(*, version: DocumentVersion, text: str, source: str) -> DocumentText:
    """Store `text` as what `version` says and index the document with it; the
    document's earlier versions stop being searched (search reads the latest text of
    each document). A text of an older version than one already recorded (workers
    finishing out of order) is kept, but not searched."""
    if source not in DocumentText.Source.values:
        raise ValueError(f"Unknown text source {source!r}.")
    text = text.replace("\x00", "")
    # Every text of the document with its version's number, in one query: filing waits.
    recorded = list(DocumentText.objects.filter(document_id=version.document_id)
                    .values_list("pk", "version_id", "version__number", "is_latest"))
    newer = any(number > version.number for _pk, _v, number, _latest in recorded)
    mine = next((pk for pk, version_id, *_rest in recorded if version_id == version.pk), None)
    if not newer and any(latest and pk != mine for pk, _v, _n, latest in recorded):
        DocumentText.objects.filter(document_id=version.document_id, is_latest=True).exclude(
            pk=mine).update(is_latest=False)
    values = {"document_id": version.document_id, "is_latest": not newer, "source": source,
              "text": text}
    if mine is None:
        row = DocumentText.objects.create(version=version, **values)
    else:
        DocumentText.objects.filter(pk=mine).update(**values)
        row = DocumentText.objects.get(pk=mine)
    if not newer:
        index_document(document_id=version.document_id, text=text)
    return row
