"""A PDF uploaded for a paper (a main file written elsewhere, or an attachment) becomes
a PDF/A in the eAkte.

The upload is checked as the eAkte checks every upload (records.uploads: type by
content, damage, size), kept as a blob and converted by the worker with OCRmyPDF
(intake.recognition: `--skip-text` keeps a text layer that is there and only converts
to PDF/A; a scan gets one). Converting takes seconds to minutes, so it is a task, not
part of the request. Where OCRmyPDF is not installed the upload waits, with a German
note on the paper's page, and is converted when the Sitzungsdienst tries again.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context, current_authority
from rathaus.intake.recognition import RecognitionFailed, ToolMissing, recognise
from rathaus.records.blobs import read_blob, store_blob
from rathaus.records.uploads import UploadRejected, check_upload

from .errors import CouncilError
from .files import file_pdf
from .models import CouncilFile, CouncilUpload, Paper
from .permissions import may_keep

PDF = "application/pdf"
ROLES = (CouncilFile.Role.MAIN, CouncilFile.Role.ATTACHMENT)


@guarded_by(may_keep)
@transaction.atomic
def upload_file(*, actor, paper: Paper, file, role: str, name: str = "") -> CouncilUpload:
    """Check and keep the upload, and queue its conversion."""
    if paper.deleted:
        raise CouncilError(_("This paper has been deleted."))
    if role not in ROLES:
        raise CouncilError(_("Choose whether the file is the paper or an attachment."))
    try:
        checked = check_upload(file, allowed_types=(PDF,),
                               max_bytes=settings.RATHAUS_UPLOAD_MAX_TOTAL_BYTES)
    except UploadRejected as rejected:
        raise CouncilError(str(rejected)) from rejected
    storage_name, sha256 = store_blob(checked.content, authority_slug=current_authority().slug)
    twin = CouncilUpload.objects.filter(paper=paper, sha256=sha256, role=role).exclude(
        state=CouncilUpload.State.FAILED).first()
    if twin is not None:
        return twin  # the same file sent twice
    upload = CouncilUpload.objects.create(
        paper=paper, role=role, name=(name.strip() or checked.filename)[:300],
        file_name=checked.filename[:255], storage_name=storage_name, sha256=sha256,
        uploaded_by=actor)
    record("council.file_uploaded", actor=actor, target=upload,
           data={"paper": paper.pk, "role": role, "sha256": sha256})
    _queue(upload)
    return upload


@guarded_by(may_keep)
@transaction.atomic
def retry_uploads(*, actor, paper: Paper) -> int:
    """Queue the conversion of the paper's waiting uploads again (after the tool was
    installed)."""
    waiting = list(CouncilUpload.objects.filter(paper=paper, state=CouncilUpload.State.WAITING))
    for upload in waiting:
        _queue(upload)
    record("council.uploads_retried", actor=actor, target=paper, data={"count": len(waiting)})
    return len(waiting)


def _queue(upload: CouncilUpload) -> None:
    convert_upload.enqueue(authority_id=upload.authority_id, upload_id=upload.pk)


@task()
def convert_upload(*, authority_id: int, upload_id: int) -> None:
    """The worker's part: idempotent, an upload filed already is left as it is."""
    with authority_context(Authority.objects.get(pk=authority_id)):
        _convert(upload_id)


@transaction.atomic
def _convert(upload_id: int) -> None:
    upload = CouncilUpload.objects.select_for_update().select_related("paper") \
        .filter(pk=upload_id, state=CouncilUpload.State.WAITING).first()
    if upload is None:
        return
    content = read_blob(upload.storage_name, sha256=upload.sha256)
    try:
        pdfa = recognise(content, media_type=PDF).pdfa
    except ToolMissing as missing:
        upload.problem = _("The file waits for its conversion to PDF/A: the package "
                           "“%(package)s” is not installed on the server. Ask the IT "
                           "department to install it, then try again.") % {
            "package": missing.package}
        upload.save(update_fields=["problem"])
        return
    except RecognitionFailed as failed:
        upload.state, upload.problem = CouncilUpload.State.FAILED, str(failed)
        upload.save(update_fields=["state", "problem"])
        return
    paper = upload.paper
    if upload.role == CouncilFile.Role.MAIN:
        for old in paper.files.filter(deleted=False, role=CouncilFile.Role.MAIN):
            old.deleted = True
            old.touch()
            old.save(update_fields=["deleted", "modified_at"])
    filed = file_pdf(owner=paper, role=upload.role, name=upload.name,
                     file_name=upload.file_name, pdf=pdfa, actor=upload.uploaded_by,
                     position=0 if upload.role == CouncilFile.Role.MAIN else None)
    upload.state, upload.problem, upload.council_file = CouncilUpload.State.FILED, "", filed
    upload.save(update_fields=["state", "problem", "council_file"])
    record("council.file_converted", actor=upload.uploaded_by, target=upload,
           data={"file": filed.pk})
