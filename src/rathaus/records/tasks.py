"""Background work of the eAkte. Idempotent: a version whose text is recorded already
is left alone, so a retry or a second worker changes nothing."""

from django.db import transaction
from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from .models import DocumentText, DocumentVersion
from .text_extraction import extract_version
from .texts import record_text


@task()
def extract_text(*, authority_id: int, version_id: int) -> None:
    """Read the version's text and index its document with it (records.text_extraction).
    A text recorded meanwhile (the intake's OCR) is kept."""
    with authority_context(Authority.objects.get(pk=authority_id)):
        read_text(version_id=version_id)


def read_text(*, version_id: int, again: bool = False) -> bool:
    """Extract and record the text of the version (`again`: also when it has one).
    Returns whether a text was recorded; a version removed since has none."""
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is None:
        return False
    # Read before the transaction, which then holds its locks only while writing; a text
    # recorded meanwhile (the intake's OCR) is kept.
    extracted = extract_version(version)
    with transaction.atomic():
        if not again and DocumentText.objects.filter(version=version).exists():
            return False
        record_text(version=version, text=extracted.text, source=extracted.source)
    return True
