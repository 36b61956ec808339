"""The Aussonderung, step by step. Each function is one transaction with its audit
entry; only records managers may call them (`archive.may_hand_over`).

  retention ended ─► start_process (0501 offer) ─► import_archive_message (0504, 0502)
  ─► write_handover (0503 for the files evaluated A) ─► import_archive_message (0507,
  0506: the archive took them over; their contents go, with a deletion record)
  destroy_evaluated: the files evaluated V; destroy_without_offer: files the file plan
  marks V, whose retention ended (docs/decisions/0034).

Audit entries name references, codes and counts, never titles or the legal hold's
reason, which may name a person.
"""

import hashlib
import xml.etree.ElementTree as ET

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority
from rathaus.records.models import CaseFile, FilePlanEntry

from . import selectors
from .erasure import erase_file_contents
from .errors import ArchiveError, BadMessage
from .messages_out import Party, handover_xml, offer_xml
from .models import DeletionRecord, DisposedFile, Evaluation, Message, OfferedFile, Process
from .permissions import may_hand_over
from .xdomea import parse, process_id_of, q, text_of

MAX_REASON_LENGTH = 300
State = OfferedFile.State


# --- Legal hold ---------------------------------------------------------------------------

@guarded_by(may_hand_over)
@transaction.atomic
def set_legal_hold(*, actor, case_file: CaseFile, reason: str) -> CaseFile:
    """Keep the file out of every disposal until the hold is lifted."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ArchiveError(_("Give the reason for the legal hold, for example the court "
                             "case or the audit."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ArchiveError(_("The reason is too long: at most 300 characters."))
    case_file = _locked(case_file)
    if selectors.is_disposed(case_file):
        raise ArchiveError(_("The file %(reference)s has been disposed of; there is "
                             "nothing left to hold.") % {"reference": case_file.aktenzeichen})
    changed = case_file.legal_hold != reason
    CaseFile.objects.filter(pk=case_file.pk).update(legal_hold=reason)
    if changed:
        record("archive.legal_hold_set", actor=actor, target=case_file,
               data={"aktenzeichen": case_file.aktenzeichen})
    case_file.legal_hold = reason
    return case_file


@guarded_by(may_hand_over)
@transaction.atomic
def lift_legal_hold(*, actor, case_file: CaseFile) -> CaseFile:
    case_file = _locked(case_file)
    if case_file.legal_hold:
        CaseFile.objects.filter(pk=case_file.pk).update(legal_hold="")
        record("archive.legal_hold_lifted", actor=actor, target=case_file,
               data={"aktenzeichen": case_file.aktenzeichen})
    case_file.legal_hold = ""
    return case_file


# --- Offer (0501) ---------------------------------------------------------------------------

@guarded_by(may_hand_over)
@transaction.atomic
def start_process(*, actor, case_files, archive_name: str) -> Process:
    """Offer the chosen files, whose retention has ended, to the archive: a new process
    with its ProzessID and the Anbieteverzeichnis (0501)."""
    archive_name = " ".join((archive_name or "").split())
    if not archive_name:
        raise ArchiveError(_("Name the archive the files are offered to."))
    if len(archive_name) > 200:
        raise ArchiveError(_("The archive's name is too long: at most 200 characters."))
    files = _due_files_locked(case_files)
    process = Process.objects.create(archive_name=archive_name, started_by=_user(actor))
    OfferedFile.objects.bulk_create([
        OfferedFile(process=process, case_file=case_file,
                    proposed=case_file.plan_entry.disposal) for case_file in files])
    xml = offer_xml(process_id=process.process_id, sender=_sender(),
                    archive=Party(name=archive_name), files=files,
                    proposals={f.pk: f.plan_entry.disposal for f in files})
    _keep_message(process, "0501", Message.Direction.OUTGOING, xml, actor)
    record("archive.offered", actor=actor, target=process,
           data={"process_id": str(process.process_id),
                 "files": [f.aktenzeichen for f in files]})
    return process


# --- The archive's answers (0502, 0504, 0506, 0507) -------------------------------------

@guarded_by(may_hand_over)
@transaction.atomic
def import_archive_message(*, actor, process: Process, content: bytes) -> str:
    """Read a message of the archive for `process` and apply it; returns its code.
    A message that is not valid xdomea, belongs to another process or names files
    that were not offered changes nothing and raises `BadMessage`."""
    message_code, root = parse(content)
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process_id_of(root) != str(process.process_id):
        raise BadMessage(_("The message belongs to the process %(other)s, not to this one "
                           "(%(this)s).") % {"other": process_id_of(root) or "?",
                                             "this": process.process_id})
    if process.status == Process.Status.COMPLETED:
        raise BadMessage(_("This process is completed; its files are handed over or "
                           "destroyed."))
    apply = {"0502": _apply_evaluation, "0504": _apply_offer_received,
             "0506": _apply_import_confirmation, "0507": _apply_package_received}.get(
        message_code)
    if apply is None:
        raise BadMessage(_("This is a message of type %(code)s, which the authority sends "
                           "itself. Upload the archive's answers: 0502, 0504, 0506 or 0507.")
                         % {"code": message_code})
    summary = apply(process, root, actor)
    _keep_message(process, message_code, Message.Direction.INCOMING,
                  content.decode("utf-8", errors="replace"), actor)
    record(f"archive.message_{message_code}_imported", actor=actor, target=process,
           data={"process_id": str(process.process_id),
                 "sha256": hashlib.sha256(content).hexdigest(), **summary})
    return message_code


def _apply_offer_received(process, root, actor) -> dict:
    if process.offer_received_at is None:
        process.offer_received_at = timezone.now()
        process.save(update_fields=["offer_received_at"])
    return {}


def _apply_package_received(process, root, actor) -> dict:
    if process.handed_over_at is None:
        raise BadMessage(_("The archive confirms a package that was not written yet."))
    process.package_received_at = timezone.now()
    process.save(update_fields=["package_received_at"])
    return {}


def _apply_evaluation(process, root, actor) -> dict:
    """The Bewertungsverzeichnis: A or V for offered files. Files it does not name stay
    offered; a B is no decision and is refused, as are files that were not offered."""
    open_files = {str(f.case_file.uuid): f for f in selectors.files_of(process)}
    decided: list[tuple[OfferedFile, str]] = []
    for evaluated in root.findall(q("BewertetesObjekt")):
        object_id = text_of(evaluated, "ID").lower()
        offered = open_files.get(object_id)
        if offered is None:
            raise BadMessage(_("The evaluation names the object %(id)s, which was not "
                               "offered in this process.") % {"id": object_id})
        value = _evaluation_code(evaluated)
        if value not in (Evaluation.ARCHIVE, Evaluation.DESTROY):
            raise BadMessage(_("The archive's evaluation of the file %(reference)s is "
                               "„%(value)s“; Rathaus needs A (archive) or V (destroy).")
                             % {"reference": offered.case_file.aktenzeichen,
                                "value": value or "?"})
        if offered.state not in (State.OFFERED, State.EVALUATED):
            raise BadMessage(_("The file %(reference)s is already %(state)s; its evaluation "
                               "cannot change now.")
                             % {"reference": offered.case_file.aktenzeichen,
                                "state": offered.get_state_display()})
        decided.append((offered, value))
    for offered, value in decided:
        offered.evaluation, offered.state = value, State.EVALUATED
        offered.save(update_fields=["evaluation", "state"])
    if process.status == Process.Status.OFFERED:
        process.status = Process.Status.EVALUATED
    process.evaluated_at = timezone.now()
    process.save(update_fields=["status", "evaluated_at"])
    return {"archive": sum(v == Evaluation.ARCHIVE for _o, v in decided),
            "destroy": sum(v == Evaluation.DESTROY for _o, v in decided)}


def _evaluation_code(evaluated: ET.Element) -> str:
    found = evaluated.find(f"{q('Aussonderungsart')}/{q('Aussonderungsart')}/code")
    return (found.text or "").strip() if found is not None else ""


def _apply_import_confirmation(process, root, actor) -> dict:
    """AussonderungImportBestaetigen: per file, whether the archive took it over. Taken
    over: its contents leave Rathaus with a deletion record. Not taken over: the
    archive's message is kept and the file stays handed over."""
    handed = {str(f.case_file.uuid): f for f in selectors.files_of(process)
              .filter(state__in=(State.HANDED_OVER, State.ACKNOWLEDGED))}
    answers = []
    for entry in root.findall(q("AusgesondertesSGO")):
        object_id = text_of(entry, "IDSGO").lower()
        offered = handed.get(object_id)
        if offered is None:
            raise BadMessage(_("The confirmation names the object %(id)s, which was not "
                               "handed over in this process.") % {"id": object_id})
        succeeded = text_of(entry, "Erfolgreich") in ("1", "true")
        errors = [(e.text or "").strip() for e in entry.findall(q("Fehlermeldung"))]
        answers.append((offered, succeeded, "\n".join(filter(None, errors)),
                        text_of(entry, "Archivkennung")))
    taken = held = 0
    for offered, succeeded, error, reference in answers:
        if offered.state == State.ACKNOWLEDGED:
            continue  # the same confirmation imported twice
        if not succeeded:
            offered.import_error = error or _("The archive reported no reason.")
            offered.save(update_fields=["import_error"])
            continue
        offered.archive_reference = reference[:200]
        offered.import_error = ""
        if offered.case_file.legal_hold:
            # The archive has its copy; Rathaus keeps its own until the hold is lifted
            # and the confirmation is imported again.
            offered.save(update_fields=["archive_reference", "import_error"])
            held += 1
            continue
        _dispose(offered.case_file, reason=DeletionRecord.Reason.HANDED_OVER, actor=actor,
                 process=process, archive_reference=offered.archive_reference)
        offered.state = State.ACKNOWLEDGED
        offered.save(update_fields=["archive_reference", "import_error", "state"])
        taken += 1
    _complete_if_done(process)
    return {"taken_over": taken, "refused": sum(not a[1] for a in answers), "held": held}


# --- Hand-over (0503) ---------------------------------------------------------------------

@guarded_by(may_hand_over)
@transaction.atomic
def write_handover(*, actor, process: Process) -> Message:
    """The Aussonderung message (0503) for the files the archive keeps (evaluated A,
    not under a legal hold); the package to download holds it and their documents
    (`packages.open_handover_package`). Written again, it names the files handed over
    and not yet taken over."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.status == Process.Status.COMPLETED:
        raise ArchiveError(_("This process is completed; its files are handed over or "
                             "destroyed."))
    chosen = [f for f in selectors.files_of(process)
              if f.evaluation == Evaluation.ARCHIVE
              and f.state in (State.EVALUATED, State.HANDED_OVER)
              and not f.case_file.legal_hold]
    if not chosen:
        raise ArchiveError(_("No file of this process is evaluated A (archive) and waiting "
                             "to be handed over."))
    files = list(CaseFile.objects.filter(pk__in=[f.case_file_id for f in chosen])
                 .select_related("plan_entry", "department").order_by("aktenzeichen"))
    xml, _packed = handover_xml(process_id=process.process_id, sender=_sender(),
                                archive=Party(name=process.archive_name), files=files)
    OfferedFile.objects.filter(pk__in=[f.pk for f in chosen]).update(state=State.HANDED_OVER)
    process.status = Process.Status.HANDED_OVER
    process.handed_over_at = timezone.now()
    process.save(update_fields=["status", "handed_over_at"])
    message = _keep_message(process, "0503", Message.Direction.OUTGOING, xml, actor)
    record("archive.handed_over", actor=actor, target=process,
           data={"process_id": str(process.process_id), "sha256": message.sha256,
                 "files": [f.aktenzeichen for f in files]})
    return message


# --- Destruction -------------------------------------------------------------------------

@guarded_by(may_hand_over)
@transaction.atomic
def destroy_evaluated(*, actor, process: Process) -> int:
    """Destroy the files the archive evaluated V (not under a legal hold); returns how
    many. Each leaves a deletion record."""
    process = Process.objects.select_for_update().get(pk=process.pk)
    chosen = [f for f in selectors.files_of(process)
              if f.evaluation == Evaluation.DESTROY and f.state == State.EVALUATED
              and not f.case_file.legal_hold]
    if not chosen:
        raise ArchiveError(_("No file of this process is evaluated V (destroy) and waiting "
                             "to be destroyed."))
    for offered in chosen:
        _dispose(offered.case_file, reason=DeletionRecord.Reason.EVALUATED_DESTROY,
                 actor=actor, process=process)
        offered.state = State.DESTROYED
        offered.save(update_fields=["state"])
    _complete_if_done(process)
    return len(chosen)


@guarded_by(may_hand_over)
@transaction.atomic
def destroy_without_offer(*, actor, case_files) -> list[DeletionRecord]:
    """Destroy files whose retention has ended and whose file plan entry says V: the
    archive evaluated the plan entry in advance, so they are not offered."""
    files = _due_files_locked(case_files)
    not_v = [f.aktenzeichen for f in files
             if f.plan_entry.disposal != FilePlanEntry.Disposal.DESTROY]
    if not_v:
        raise ArchiveError(_("The file plan does not say „destroy“ (V) for %(references)s: "
                             "offer these files to the archive instead.")
                           % {"references": ", ".join(not_v)})
    return [_dispose(f, reason=DeletionRecord.Reason.RETENTION_ENDED, actor=actor)
            for f in files]


# --- Helpers -----------------------------------------------------------------------------

def _dispose(case_file: CaseFile, *, reason: str, actor, process: Process | None = None,
             archive_reference: str = "") -> DeletionRecord:
    """Erase the file's contents and leave its deletion record and tombstone."""
    case_file = _locked(case_file)
    if case_file.legal_hold:  # callers skip held files; a hold set meanwhile wins
        raise ArchiveError(_("The file %(reference)s is under a legal hold and is not "
                             "disposed of.") % {"reference": case_file.aktenzeichen})
    erased = erase_file_contents(case_file)
    deletion = DeletionRecord.objects.create(
        aktenzeichen=case_file.aktenzeichen, plan_code=case_file.plan_entry.code,
        file_uuid=case_file.uuid, opened_on=timezone.localdate(case_file.opened_at),
        closed_on=timezone.localdate(case_file.closed_at),
        retention_until=case_file.retention_until, documents=erased.documents,
        versions=len(erased.versions), notes=erased.notes, deleted_versions=erased.versions,
        reason=reason, process_id=process.process_id if process else None,
        archive_reference=archive_reference, deleted_by=_user(actor))
    DisposedFile.objects.create(case_file=case_file, record=deletion)
    record("archive.file_disposed", actor=actor, target=case_file,
           data={"aktenzeichen": case_file.aktenzeichen, "reason": reason,
                 "documents": erased.documents, "versions": len(erased.versions),
                 "notes": erased.notes,
                 "process_id": str(process.process_id) if process else None})
    return deletion


def _due_files_locked(case_files) -> list[CaseFile]:
    """The chosen files, locked, each of them due (selectors.retention_due)."""
    pks = {f.pk for f in case_files}
    if not pks:
        raise ArchiveError(_("Choose at least one file."))
    locked = list(CaseFile.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    due = set(selectors.retention_due().filter(pk__in=pks).values_list("pk", flat=True))
    refused = sorted(f.aktenzeichen for f in locked if f.pk not in due)
    if refused or len(locked) != len(pks):
        raise ArchiveError(_("These files are not (or no longer) due for disposal: "
                             "%(references)s. Reload the list.")
                           % {"references": ", ".join(refused) or "?"})
    return list(CaseFile.objects.filter(pk__in=pks)
                .select_related("plan_entry", "department").order_by("aktenzeichen"))


def _locked(case_file: CaseFile) -> CaseFile:
    # Through the tenant manager: another authority's file raises DoesNotExist.
    return (CaseFile.objects.select_for_update().select_related("plan_entry")
            .get(pk=case_file.pk))


def _complete_if_done(process: Process) -> None:
    if not OfferedFile.objects.filter(process=process, state__in=OfferedFile.RUNNING).exists():
        process.status = Process.Status.COMPLETED
        process.completed_at = timezone.now()
        process.save(update_fields=["status", "completed_at"])
        record("archive.completed", target=process,
               data={"process_id": str(process.process_id)})


def _keep_message(process, code, direction, xml: str, actor) -> Message:
    return Message.objects.create(
        process=process, code=code, direction=direction, xml=xml,
        sha256=hashlib.sha256(xml.encode()).hexdigest(), created_by=_user(actor))


def _sender() -> Party:
    authority = current_authority()
    return Party(name=authority.name, short_name=authority.short_name,
                 key=authority.municipality_key)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
