"""The eAkte in the office: the file plan, its entries with their files and history,
a file with its documents, versions and notes, and the integrity checks.

A file the person may not read is answered like one that does not exist (404); a page
that needs a rule the person lacks (keeping the file plan) is refused (403).
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.archive.permissions import may_hand_over
from rathaus.audit.services import record_access
from rathaus.records import browsing
from rathaus.records import permissions as rules
from rathaus.records.errors import CaseFileClosed, ContentIntegrityError
from rathaus.records.file_plan import add_plan_entry, change_plan_entry
from rathaus.records.file_work import (
    DocumentNotInFile,
    NoteInvalid,
    SameFile,
    add_note,
    move_document,
)
from rathaus.records.responses import document_response

from .files_forms import MoveForm, NoteForm, PlanEntryForm


def _keeper_or_403(request) -> None:
    if not allows(rules.may_keep_file_plan, request.user):
        raise PermissionDenied


def _entry_or_404(plan_entry_id):
    entry = browsing.plan_entry(entry_id=plan_entry_id)
    if entry is None:
        raise Http404
    return entry


def _file_or_404(request, file_id):
    case_file = browsing.readable_file(actor=request.user, file_id=file_id)
    if case_file is None:
        raise Http404
    return case_file


# --- The file plan ----------------------------------------------------------------------

@staff_required
@require_safe
def file_plan(request):
    return render(request, "office/files/file_plan.html", {
        "tree": browsing.plan_tree(actor=request.user),
        "keeper": allows(rules.may_keep_file_plan, request.user),
    })


@staff_required
@require_safe
def plan_entry(request, plan_entry_id):
    entry = _entry_or_404(plan_entry_id)
    keeper = allows(rules.may_keep_file_plan, request.user)
    return render(request, "office/files/plan_entry.html", {
        "entry": entry, "path": browsing.plan_path(entry),
        "children": entry.children.order_by("code"),
        "files": browsing.files_of_entry(actor=request.user, entry=entry,
                                         page=request.GET.get("seite", 1)),
        "keeper": keeper,
        "revisions": browsing.revisions_of(entry) if keeper else None,
    })


@staff_required
def plan_entry_new(request):
    _keeper_or_403(request)
    if request.method == "POST":
        form = PlanEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = add_plan_entry(actor=request.user, data=form.entry_data(),
                                       reason=form.cleaned_data["reason"])
            except ValidationError as refusal:
                _attach(form, refusal)
            else:
                messages.success(request, _("The entry %(code)s was added to the file plan.")
                                 % {"code": entry.code})
                return redirect("office:plan_entry", plan_entry_id=entry.pk)
    else:
        parent = browsing.plan_entry(entry_id=_int(request.GET.get("parent")))
        form = PlanEntryForm(initial={
            "parent": parent.pk if parent else None,
            "code": f"{parent.code}." if parent else "",
            "department": parent.department_id if parent else None,
            "retention_years": parent.retention_years if parent else None,
            "disposal": parent.disposal if parent else "B",
            "reference_pattern": parent.reference_pattern if parent
            else "{code}-{year}-{number:06d}",
        })
    return render(request, "office/files/plan_entry_form.html", {"form": form, "entry": None})


@staff_required
def plan_entry_edit(request, plan_entry_id):
    _keeper_or_403(request)
    entry = _entry_or_404(plan_entry_id)
    initial = PlanEntryForm.initial_of(entry)
    if request.method == "POST":
        form = PlanEntryForm(request.POST, initial=initial, entry=entry)
        if form.is_valid():
            try:
                change_plan_entry(actor=request.user, entry=entry, data=form.entry_data(),
                                  reason=form.cleaned_data["reason"])
            except ValidationError as refusal:
                _attach(form, refusal)
            else:
                messages.success(request, _("The entry %(code)s was saved.")
                                 % {"code": entry.code})
                return redirect("office:plan_entry", plan_entry_id=entry.pk)
    else:
        form = PlanEntryForm(initial=initial, entry=entry)
    return render(request, "office/files/plan_entry_form.html", {"form": form, "entry": entry})


def _attach(form, refusal: ValidationError) -> None:
    """The service's refusals next to the fields they concern."""
    if hasattr(refusal, "error_dict"):
        for field, errors in refusal.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- A file -----------------------------------------------------------------------------

@staff_required
@require_safe
def case_file(request, file_id):
    return _file_page(request, _file_or_404(request, file_id))


def _file_page(request, case_file, *, failed_note=None, failed_move=None):
    """The file page; after a refused note or move, with that form as it was sent:
    `failed_note` and `failed_move` are (document pk or None, bound form)."""
    if case_file.subject_id:
        record_access(staff=request.user, citizen=case_file.subject,
                      what=f"Akte {case_file.aktenzeichen}", target=case_file)
    contents = browsing.file_contents(case_file)
    may_work = not case_file.is_closed and allows(rules.may_work_on_file, request.user,
                                                  case_file=case_file)
    for entry in contents.documents:
        failed = failed_move and failed_move[0] == entry.document.pk
        entry.move_form = failed_move[1] if failed else MoveForm(prefix=str(entry.document.uuid))
        failed = failed_note and failed_note[0] == entry.document.pk
        # The prefix names the document the note is for.
        entry.note_form = failed_note[1] if failed else NoteForm(
            prefix=f"note-{entry.document.uuid}")
    return render(request, "office/files/case_file.html", {
        "case_file": case_file, "path": [*browsing.plan_path(case_file.plan_entry),
                                         case_file.plan_entry],
        "contents": contents, "may_work": may_work,
        "may_hold": allows(may_hand_over, request.user),
        "note_form": failed_note[1] if failed_note and failed_note[0] is None else NoteForm(),
    })


@staff_required
@require_POST
def add_note_view(request, file_id):
    case_file = _file_or_404(request, file_id)
    form, document = _note_form(request.POST, case_file)
    if not form.is_valid():
        return _file_page(request, case_file, failed_note=(_pk(document), form))
    try:
        add_note(actor=request.user, case_file=case_file, document=document,
                 text=form.cleaned_data["text"])
    except NoteInvalid:
        form.add_error("text", _("Enter the note."))
        return _file_page(request, case_file, failed_note=(_pk(document), form))
    except NotPermitted:
        messages.error(request, _("You may not add notes to this file."))
    except CaseFileClosed:
        messages.error(request, _("The file is closed; it takes no new notes."))
    else:
        messages.success(request, _("The note was added to the file."))
    return redirect(reverse("office:case_file", kwargs={"file_id": case_file.uuid}) + "#notes")


def _note_form(data, case_file) -> tuple[NoteForm, object]:
    """The form of the file's own notes, or that of a document of the file whose prefix
    was sent, with the document; a document not in the file is not found (404)."""
    for key in data:
        if key.startswith("note-") and key.endswith("-text"):
            document = browsing.document_in_file(
                case_file=case_file, document_id=_uuid(key.removeprefix("note-")
                                                       .removesuffix("-text")))
            if document is None:
                raise Http404
            return NoteForm(data, prefix=f"note-{document.uuid}"), document
    return NoteForm(data), None


def _uuid(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _pk(document):
    return document.pk if document is not None else None


@staff_required
@require_POST
def move_document_view(request, file_id, document_id):
    case_file = _file_or_404(request, file_id)
    document = browsing.document_in_file(case_file=case_file, document_id=document_id)
    if document is None:
        raise Http404
    form = MoveForm(request.POST, prefix=str(document.uuid))
    if form.is_valid():
        target = browsing.readable_file_by_reference(
            actor=request.user, aktenzeichen=form.cleaned_data["aktenzeichen"])
        problem = _move(request, case_file=case_file, document=document, target=target)
        if problem is None:
            messages.success(request, _("The document was moved to the file %(reference)s.")
                             % {"reference": target.aktenzeichen})
            return redirect("office:case_file", file_id=case_file.uuid)
        form.add_error("aktenzeichen", problem)
    return _file_page(request, case_file, failed_move=(document.pk, form))


def _move(request, *, case_file, document, target) -> str | None:
    """Moves the document; returns why not, in German, or None."""
    if target is None:
        return _("No file you may work on has this file reference.")
    try:
        move_document(actor=request.user, case_file=case_file, document=document,
                      target=target)
    except NotPermitted:
        return _("You may not move documents between these files.")
    except SameFile:
        return _("The document is already in this file.")
    except CaseFileClosed:
        return _("Both files must be open; a closed file takes no documents and gives none.")
    except DocumentNotInFile:
        return _("The document is no longer in this file.")
    return None


@staff_required
@require_safe
def document_version(request, file_id, version_id):
    case_file = _file_or_404(request, file_id)
    version = browsing.version_in_file(case_file=case_file, version_id=version_id)
    if version is None:
        raise Http404
    try:
        return document_response(version, as_attachment=True)
    except ContentIntegrityError:
        messages.error(request, _("The content of this version is missing or was changed "
                                  "after it was filed, so it is not handed out. Please "
                                  "tell the records management."))
        return redirect("office:case_file", file_id=case_file.uuid)


# --- The integrity checks ---------------------------------------------------------------

@staff_required
@require_safe
def integrity_runs(request):
    _keeper_or_403(request)
    return render(request, "office/files/integrity_runs.html",
                  {"runs": browsing.integrity_runs()})
