"""Every council file in the eAkte is a PDF/A. Rathaus typesets its own as PDF/A-2b and
converts uploads before filing them (uploads.py); a PDF imported from another system
is filed as it came (its bytes are the record of what that system published) and, when
it is not a PDF/A, converted by the worker with OCRmyPDF into a second version of the
same eAkte document. The `CouncilFile` then describes the PDF/A (its hash and size are
what OParl and the pages serve) and keeps the original's hash in `source_sha256`, which
the next import compares."""

import hashlib
import logging

from django.db import transaction
from django_tasks import task

from rathaus.accounts.permissions import unguarded_module
from rathaus.audit.services import record
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.intake.recognition import RecognitionFailed, ToolMissing, recognise
from rathaus.records.blobs import read_blob
from rathaus.records.selectors import latest_version
from rathaus.records.services import add_version

from .models import CouncilFile

logger = logging.getLogger(__name__)

unguarded_module(__name__, "the conversion of imported files to PDF/A, asked by the import "
                           "and run by the worker, for no person's request")

PDF = "application/pdf"
# The PDF/A identification schema in a PDF's XMP metadata (ISO 19005).
PDFA_MARKER = b"pdfaid:part"


def is_pdfa(content: bytes) -> bool:
    """Says the file that it is a PDF/A? (Its XMP metadata names the part.)"""
    return PDFA_MARKER in content


def convert_later(council_file: CouncilFile, content: bytes) -> None:
    """Queue the conversion of a filed PDF that is not a PDF/A; remember the original's
    hash for the next import."""
    if council_file.mime_type != PDF or is_pdfa(content):
        return
    council_file.source_sha256 = hashlib.sha256(content).hexdigest()
    council_file.save(update_fields=["source_sha256"])
    convert_imported.enqueue(authority_id=council_file.authority_id, file_id=council_file.pk)


@task()
def convert_imported(*, authority_id: int, file_id: int) -> None:
    """The worker's part: idempotent (a file that is a PDF/A already is left alone)."""
    with authority_context(Authority.objects.get(pk=authority_id)):
        convert(file_id=file_id)


@transaction.atomic
def convert(*, file_id: int) -> bool:
    """Convert the file's current bytes to PDF/A as a new version; True if it did. A
    missing tool or a PDF OCRmyPDF cannot read leaves the file as it is, logged: it
    stays readable, and the Sitzungsdienst can upload a PDF/A in its place."""
    council_file = CouncilFile.objects.select_for_update().filter(pk=file_id).first()
    if council_file is None:
        return False
    version = latest_version(council_file.document)
    content = read_blob(version.storage_name, sha256=version.sha256)
    if is_pdfa(content):
        return False
    try:
        pdfa = recognise(content, media_type=PDF).pdfa
    except (ToolMissing, RecognitionFailed) as problem:
        logger.warning("Imported council file %s not converted to PDF/A: %s", file_id, problem)
        return False
    add_version(document=council_file.document, content=pdfa, media_type=PDF,
                filename=council_file.file_name)
    council_file.sha256 = hashlib.sha256(pdfa).hexdigest()
    council_file.size = len(pdfa)
    council_file.touch()
    council_file.save(update_fields=["sha256", "size", "modified_at"])
    record("council.file_converted", target=council_file,
           data={"file": council_file.pk, "sha256": council_file.sha256})
    return True
