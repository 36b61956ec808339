"""The searchable text of document versions (`DocumentText`)."""

from django.db import transaction

from rathaus.accounts.permissions import unguarded_module

from .models import DocumentText, DocumentVersion

unguarded_module(__name__, "the eAkte's text index, kept by the services that add "
                           "versions and by the worker that reads them")


@transaction.atomic(savepoint=False)
def record_text(*, version: DocumentVersion, text: str, source: str) -> DocumentText:
    """Store `text` as what `version` says; the document's earlier versions stop being
    searched (search reads the latest text of each document)."""
    if source not in DocumentText.Source.values:
        raise ValueError(f"Unknown text source {source!r}.")
    DocumentText.objects.filter(document_id=version.document_id, is_latest=True).exclude(
        version=version).update(is_latest=False)
    row, _created = DocumentText.objects.update_or_create(
        version=version,
        defaults={"document_id": version.document_id, "is_latest": True, "source": source,
                  "text": text.replace("\x00", "")},
    )
    return row
