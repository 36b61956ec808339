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
    newer = DocumentText.objects.filter(
        document_id=version.document_id, version__number__gt=version.number).exists()
    if not newer:
        DocumentText.objects.filter(document_id=version.document_id, is_latest=True).exclude(
            version=version).update(is_latest=False)
    values = {"document_id": version.document_id, "is_latest": not newer, "source": source,
              "text": text}
    # Read, then an insert or an update: no savepoints, as filing waits for this.
    row = DocumentText.objects.filter(version=version).first()
    if row is None:
        row = DocumentText.objects.create(version=version, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.save(update_fields=[*values])
    if not newer:
        index_document(document_id=version.document_id, text=text)
    return row
