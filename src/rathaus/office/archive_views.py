"""The Aussonderung for records managers: the retention list, the processes with the
archive (offer, evaluation, hand-over package, confirmations), destruction, the
deletion records, and a file's legal hold. Everyone else gets a 404, as for pages of
other roles."""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import allows
from rathaus.archive import packages, selectors, services
from rathaus.archive.errors import ArchiveError
from rathaus.archive.models import Evaluation, OfferedFile, Process
from rathaus.archive.permissions import may_hand_over
from rathaus.archive.xdomea import MAX_MESSAGE_BYTES, file_name
from rathaus.records.models import CaseFile

from .archive_forms import ArchiveMessageForm, ConfirmDestructionForm, DueFilesForm, LegalHoldForm

LIST_LIMIT = 500  # the list shows this many due files; the rest follow once these are done


def _require_records_manager(request) -> None:
    if not allows(may_hand_over, request.user):
        raise Http404


@staff_required
@require_safe
def retention_list(request):
    _require_records_manager(request)
    return _list_page(request, None)


@staff_required
@require_POST
def start(request):
    """Offer the chosen files to the archive, or destroy those the file plan marks V."""
    _require_records_manager(request)
    due = list(selectors.retention_due()[:LIST_LIMIT])
    form = DueFilesForm(request.POST, due=due)
    if form.is_valid():
        chosen = [f for f in due if f.pk in set(form.cleaned_data["files"])]
        try:
            if form.cleaned_data["action"] == DueFilesForm.DESTROY:
                destroyed = services.destroy_without_offer(actor=request.user, case_files=chosen)
                messages.success(request, _("%(count)s files were destroyed; the deletion "
                                            "records name them.") % {"count": len(destroyed)})
                return redirect("office:archive_deletions")
            process = services.start_process(
                actor=request.user, case_files=chosen,
                archive_name=form.cleaned_data["archive_name"])
        except ArchiveError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The offer was written. Download it and send it to "
                                        "the archive."))
            return redirect("office:archive_process", process_id=process.process_id)
    return _list_page(request, form, status=400)


def _list_page(request, form, status=200):
    due = list(selectors.retention_due()[:LIST_LIMIT])
    if form is None:
        form = DueFilesForm(due=due, initial={"archive_name": _default_archive(request)})
    return render(request, "office/archive/list.html", {
        "form": form, "due": due, "limit": LIST_LIMIT,
        "chosen": {str(pk) for pk in form.data.getlist("files")} if form.is_bound else set(),
        "processes": selectors.processes()[:50],
        "held": selectors.under_legal_hold()[:200],
    }, status=status)


def _default_archive(request) -> str:
    city = request.authority.city
    return f"Stadtarchiv {city}" if city else ""


@staff_required
@require_safe
def process_view(request, process_id):
    _require_records_manager(request)
    return _process_page(request, _process(process_id))


def _process_page(request, process, *, upload_form=None, destroy_form=None, status=200):
    files = list(selectors.files_of(process))
    return render(request, "office/archive/process.html", {
        "process": process, "files": files,
        "messages_exchanged": selectors.messages_of(process),
        "has_offer": selectors.latest_message(process, "0501") is not None,
        "has_package": selectors.latest_message(process, "0503") is not None,
        "to_hand_over": [f for f in files if f.evaluation == Evaluation.ARCHIVE
                         and f.state in (OfferedFile.State.EVALUATED,
                                         OfferedFile.State.HANDED_OVER)],
        "to_destroy": [f for f in files if f.evaluation == Evaluation.DESTROY
                       and f.state == OfferedFile.State.EVALUATED],
        "upload_form": upload_form or ArchiveMessageForm(),
        "destroy_form": destroy_form or ConfirmDestructionForm(),
        "running": process.status != Process.Status.COMPLETED,
    }, status=status)


@staff_required
@require_safe
def offer_download(request, process_id):
    _require_records_manager(request)
    process = _process(process_id)
    message = selectors.latest_message(process, "0501")
    if message is None:
        raise Http404
    response = HttpResponse(message.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name(process.process_id, "0501")}.xml"')
    return response


@staff_required
@require_safe
def package_download(request, process_id):
    """The hand-over package, streamed as it is written."""
    _require_records_manager(request)
    process = _process(process_id)
    try:
        package = packages.open_handover_package(actor=request.user, process=process)
    except ArchiveError as error:
        messages.error(request, str(error))
        return redirect("office:archive_process", process_id=process.process_id)
    response = StreamingHttpResponse(package.chunks, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
    return response


@staff_required
@require_POST
def upload(request, process_id):
    _require_records_manager(request)
    process = _process(process_id)
    form = ArchiveMessageForm(request.POST, request.FILES)
    if form.is_valid():
        content = form.cleaned_data["file"].read(MAX_MESSAGE_BYTES + 1)
        try:
            code = services.import_archive_message(actor=request.user, process=process,
                                                   content=content)
        except ArchiveError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, IMPORTED[code])
            return redirect("office:archive_process", process_id=process.process_id)
    return _process_page(request, process, upload_form=form, status=400)


IMPORTED = {
    "0502": _("The archive's evaluation was read."),
    "0504": _("The archive confirmed that it received the offer."),
    "0506": _("The archive's import confirmation was read; the files it took over were "
              "removed, each with a deletion record."),
    "0507": _("The archive confirmed that it received the package."),
}


@staff_required
@require_POST
def handover(request, process_id):
    _require_records_manager(request)
    process = _process(process_id)
    try:
        services.write_handover(actor=request.user, process=process)
    except ArchiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The hand-over was written. Download the package and "
                                    "send it to the archive."))
    return redirect("office:archive_process", process_id=process.process_id)


@staff_required
@require_POST
def destroy(request, process_id):
    _require_records_manager(request)
    process = _process(process_id)
    form = ConfirmDestructionForm(request.POST)
    if form.is_valid():
        try:
            count = services.destroy_evaluated(actor=request.user, process=process)
        except ArchiveError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(count)s files were destroyed; the deletion "
                                        "records name them.") % {"count": count})
            return redirect("office:archive_process", process_id=process.process_id)
    return _process_page(request, process, destroy_form=form, status=400)


@staff_required
@require_safe
def deletions(request):
    _require_records_manager(request)
    return render(request, "office/archive/deletions.html",
                  {"records": selectors.deletion_records()[:500]})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def legal_hold(request, case_file_id):
    """Set or lift a file's legal hold; the files page links here."""
    _require_records_manager(request)
    case_file = get_object_or_404(CaseFile, pk=case_file_id)
    form = LegalHoldForm(request.POST or None, initial={"reason": case_file.legal_hold})
    if request.method == "POST" and form.is_valid():
        try:
            if "lift" in request.POST:
                services.lift_legal_hold(actor=request.user, case_file=case_file)
                messages.success(request, _("The legal hold was lifted."))
            else:
                services.set_legal_hold(actor=request.user, case_file=case_file,
                                        reason=form.cleaned_data["reason"])
                messages.success(request, _("The legal hold is set."))
        except ArchiveError as error:
            form.add_error("reason", str(error))
        else:
            return redirect("office:legal_hold", case_file_id=case_file.pk)
    status = 400 if form.errors else 200
    return render(request, "office/archive/legal_hold.html",
                  {"case_file": case_file, "form": form,
                   "disposed": selectors.is_disposed(case_file)}, status=status)


def _process(process_id) -> Process:
    return get_object_or_404(Process, process_id=process_id)

