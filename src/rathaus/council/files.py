"""The council's files in the eAkte: each paper has a case file of its own, each
meeting one for its invitation and minutes, under the file plan entry "10.20" (Rats-
und Ausschussangelegenheiten) of the Sitzungsdienst, made on first need. Every file is
a PDF/A document there; the `CouncilFile` row is its OParl face."""

import hashlib

from django.db import transaction

from rathaus.records.models import CaseFile, Document, FilePlanEntry
from rathaus.records.services import add_document, add_file_plan_entry, open_case_file

from .models import Council, CouncilFile, Meeting, Paper
from .permissions import council

PLAN_CODE = "10.20"
PLAN_TITLE = "Rats- und Ausschussangelegenheiten"
# Minutes and resolutions are kept for good (archived); this is the plan's period
# before they are offered to the archive.
PLAN_RETENTION_YEARS = 10
PDF = "application/pdf"


def _plan_entry(kept_by: Council) -> FilePlanEntry:
    entry = FilePlanEntry.objects.filter(code=PLAN_CODE).first()
    if entry is None:
        entry = add_file_plan_entry(
            code=PLAN_CODE, title=PLAN_TITLE, retention_years=PLAN_RETENTION_YEARS,
            disposal=FilePlanEntry.Disposal.ARCHIVE, department=kept_by.department,
            parent=FilePlanEntry.objects.filter(code="10").first())
    return entry


def _open(title: str, *, actor) -> CaseFile:
    kept_by = council()
    if kept_by is None:
        raise LookupError("The authority has no council information set up.")
    return open_case_file(plan_entry=_plan_entry(kept_by), title=title, actor=actor,
                          department=kept_by.department)


@transaction.atomic
def paper_case_file(paper: Paper, *, actor=None) -> CaseFile:
    """The paper's case file, opened on first need."""
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.case_file_id is None:
        paper.case_file = _open(f"Drucksache {paper.reference}: {paper.name}"[:300],
                                actor=actor)
        paper.save(update_fields=["case_file"])
    return paper.case_file


@transaction.atomic
def meeting_case_file(meeting: Meeting, *, actor=None) -> CaseFile:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.case_file_id is None:
        meeting.case_file = _open(f"Sitzung {meeting.name}"[:300], actor=actor)
        meeting.save(update_fields=["case_file"])
    return meeting.case_file


@transaction.atomic
def file_pdf(*, owner: Paper | Meeting, role: str, name: str, file_name: str, pdf: bytes,
             date=None, actor=None, position: int | None = None) -> CouncilFile:
    """File `pdf` (a PDF/A: typeset by Rathaus, or converted from an upload) in the
    owner's case file and describe it as an OParl File. The caller checked the rule."""
    is_paper = isinstance(owner, Paper)
    case_file = paper_case_file(owner, actor=actor) if is_paper else \
        meeting_case_file(owner, actor=actor)
    version = add_document(case_file=case_file, title=name[:300], kind=Document.Kind.COUNCIL,
                           content=pdf, media_type=PDF, filename=file_name, created_by=actor)
    owned = {"paper": owner} if is_paper else {"meeting": owner}
    if position is None:
        position = CouncilFile.objects.filter(**owned).count()
    council_file = CouncilFile.objects.create(
        role=role, name=name[:300], file_name=file_name[:255], mime_type=PDF, size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(), date=date, document=version.document,
        position=position, **owned)
    owner.touch()
    owner.save(update_fields=["modified_at"])
    return council_file
