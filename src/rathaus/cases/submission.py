"""Sending an application: one transaction that stores the case, its file (eAkte)
with the receipt and the uploads, the audit entries and the departments' tasks."""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import appended_at_the_end, record
from rathaus.authorities.models import Department
from rathaus.catalog.definitions import ServiceDefinition, localize
from rathaus.forms.conditions import holds, with_derived
from rathaus.forms.engine import missing_answers, summary_rows
from rathaus.forms.field_types import kind_of
from rathaus.forms.housekeeping import release_uploads
from rathaus.forms.models import Draft
from rathaus.forms.services import upload_content, uploads_by_field
from rathaus.notices.letter import authority_data
from rathaus.notices.typesetting import render_pdf
from rathaus.records.models import FilePlanEntry
from rathaus.records.services import (
    NewDocument,
    add_documents,
    add_file_plan_entry,
    open_case_file,
    reserve_file_number,
)

from . import permissions as rules
from .models import Case, CaseEvent, Task
from .submission_steps import run_submission_steps


class IncompleteApplication(Exception):
    def __init__(self, missing):
        super().__init__(", ".join(spec.id for _, spec in missing))
        self.missing = missing


@unguarded("writes nothing: the bytes whose hash is stored")
def canonical_json(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@unguarded("the file plan entry a service files under; made by the sending it serves")
def plan_entry_for(definition: ServiceDefinition) -> FilePlanEntry:
    """The file plan entry the service files under; made on first use of the service."""
    code = definition.file_plan["code"]
    existing = FilePlanEntry.objects.filter(code=code).first()
    if existing:
        return existing
    try:
        return add_file_plan_entry(code=code, title=definition.file_plan["title"]["de"],
                                   retention_years=definition.retention_years,
                                   department=Department.objects.filter(
                                       slug=definition.department).first())
    except (ValidationError, IntegrityError):
        # Two first applications at once: the other one made it; anything else was a
        # real error, and the lookup raises it again.
        existing = FilePlanEntry.objects.filter(code=code).first()
        if existing is None:
            raise
        return existing


@guarded_by(rules.may_send_draft, actor="user")
def submit_application(*, user, draft_id, definition: ServiceDefinition) -> Case:
    """Send the user's draft. Sending it again returns the case of the first sending.

    The Aktenzeichen's number is set aside for this draft first, in a short transaction
    of its own: the number sequence, which every submission of the authority waits for,
    is then locked for one draw and not for the whole sending (receipt, files). A draft
    found incomplete keeps its number for when it is sent complete.
    """
    plan_entry = plan_entry_for(definition)
    file_number = reserve_file_number(plan_code=plan_entry.code, key=f"draft:{draft_id}")
    return _send(user=user, draft_id=draft_id, definition=definition, plan_entry=plan_entry,
                 file_number=file_number)


@transaction.atomic
def _send(*, user, draft_id, definition: ServiceDefinition, plan_entry: FilePlanEntry,
          file_number) -> Case:
    with appended_at_the_end():
        return _store(user=user, draft_id=draft_id, definition=definition,
                      plan_entry=plan_entry, file_number=file_number)


def _store(*, user, draft_id, definition: ServiceDefinition, plan_entry: FilePlanEntry,
           file_number) -> Case:
    draft = Draft.objects.select_for_update().get(pk=draft_id, user=user)
    if draft.submitted_at:
        return Case.objects.get(draft=draft)
    uploads = complete_uploads(draft, definition)
    now = timezone.now()
    case = file_case(applicant=user, definition=definition,
                     answers=with_derived(definition, draft.answers),
                     enclosures=[Enclosure.of_upload(u) for u in uploads.values()],
                     plan_entry=plan_entry, file_number=file_number, submitted_at=now,
                     draft=draft)
    draft.submitted_at = now
    draft.save(update_fields=["submitted_at"])
    release_uploads(uploads.values())  # they are in the eAkte now
    return case


@unguarded("reads the draft its guarded caller has locked")
def complete_uploads(draft: Draft, definition: ServiceDefinition) -> dict:
    """The draft's uploads by field, if every answer the service needs is given;
    IncompleteApplication if not."""
    has_uploads = any(kind_of(spec).holds_files for spec in definition.fields.values())
    uploads = uploads_by_field(draft) if has_uploads else {}
    missing = missing_answers(definition, draft.answers, uploads)
    if missing:
        raise IncompleteApplication(missing)
    return uploads


@dataclass(frozen=True)
class Enclosure:
    """A file sent with an application: a draft's upload, or a hand-over's attachment."""

    field_id: str
    filename: str
    media_type: str
    sha256: str
    content: bytes

    @classmethod
    def of_upload(cls, upload) -> "Enclosure":
        return cls(field_id=upload.field_id, filename=upload.filename,
                   media_type=upload.media_type, sha256=upload.sha256,
                   content=upload_content(upload))


@unguarded("called inside submit_application (guarded) and for a hand-over the receiving "
           "authority decrypted (cases.forwarding); never from a page")
def file_case(*, applicant, definition: ServiceDefinition, answers: dict,
              enclosures: list[Enclosure], plan_entry: FilePlanEntry, file_number,
              submitted_at, draft=None, handover_submission_id=None) -> Case:
    """The case of a complete application, inside the caller's transaction: its file
    (eAkte) with the answers, the receipt and the enclosures, its history, the
    departments' tasks, the submission steps and the audit entry."""
    answers_sha256 = hashlib.sha256(canonical_json(answers)).hexdigest()
    case_file = open_case_file(
        plan_entry=plan_entry, title=f"{definition.title['de']} – {applicant.full_name}",
        subject=applicant, actor=applicant, reserved_number=file_number,
        department=Department.objects.filter(slug=definition.department).first(),
    )
    case = Case.objects.create(
        reference=case_file.aktenzeichen, case_file=case_file, applicant=applicant,
        draft=draft, handover_submission_id=handover_submission_id,
        service_id=definition.id, service_version=definition.version, answers=answers,
        answers_sha256=answers_sha256, submitted_at=submitted_at,
    )
    by_field = {enclosure.field_id: enclosure for enclosure in enclosures}
    add_documents(case_file=case_file, created_by=applicant, opened_here=True, documents=[
        NewDocument(title="Antragsdaten", kind="application", content=canonical_json(answers),
                    media_type="application/json", filename=f"antrag-{case.reference}.json"),
        NewDocument(title="Eingangsbestätigung", kind="receipt",
                    content=receipt_pdf(case=case, definition=definition, uploads=by_field),
                    media_type="application/pdf",
                    filename=f"eingangsbestaetigung-{case.reference}.pdf"),
        *(NewDocument(title=definition.fields[enclosure.field_id].label["de"], kind="upload",
                      content=enclosure.content, media_type=enclosure.media_type,
                      filename=enclosure.filename) for enclosure in enclosures),
    ])
    CaseEvent.objects.create(case=case, actor=applicant, kind=CaseEvent.Kind.SUBMITTED,
                             status=Case.Status.SUBMITTED)
    _create_tasks(case=case, definition=definition, answers=answers)
    run_submission_steps(case=case, definition=definition, answers=answers)
    record("case.submitted", actor=applicant, target=case,
           data={"reference": case.reference, "service": definition.id,
                 "answers_sha256": answers_sha256})
    return case


def _create_tasks(*, case: Case, definition: ServiceDefinition, answers: dict) -> None:
    due = [task for task in definition.tasks if holds(task.when, answers)]
    if not due:
        return
    departments = {department.slug: department for department in Department.objects.filter(
        slug__in={task.department for task in due})}
    today = timezone.localdate()
    Task.objects.bulk_create([
        Task(department=_department(departments, task.department), case=case,
             workflow_task=task.id, title=task.title["de"], reference=case.reference,
             due_date=today + datetime.timedelta(days=task.due_days))
        for task in due
    ])


def _department(departments: dict, slug: str) -> Department:
    try:
        return departments[slug]
    except KeyError:
        raise Department.DoesNotExist(f"No department {slug!r}") from None


@unguarded("writes nothing: renders the receipt of a case already stored")
def receipt_pdf(*, case: Case, definition: ServiceDefinition, uploads) -> bytes:
    """The Eingangsbestätigung: every answer, the uploads with their hashes, and the
    hash of the answers, so the citizen can prove what was sent. German, as it goes
    into the file (eAkte)."""
    with translation.override("de"):
        return _render_receipt(case=case, definition=definition, uploads=uploads)


def _render_receipt(*, case: Case, definition: ServiceDefinition, uploads) -> bytes:
    names = {field_id: upload.filename for field_id, upload in uploads.items()}
    return render_pdf("cases/typst/eingangsbestaetigung.typ", {
        "authority": authority_data(),
        "reference": case.reference,
        "service_title": localize(definition.title),
        "submitted_at": formats.date_format(timezone.localtime(case.submitted_at),
                                            "d.m.Y, H:i"),
        "applicant": case.applicant.full_name,
        "answers_sha256": case.answers_sha256,
        "sections": [
            {"title": step.title["de"],
             "rows": [[spec.label["de"], str(value)] for spec, value in rows]}
            for step, rows in summary_rows(definition, case.answers, names)
        ],
        "uploads": [{"label": definition.fields[u.field_id].label["de"],
                     "filename": u.filename, "sha256": u.sha256} for u in uploads.values()],
    })
