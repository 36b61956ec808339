"""Incoming mail (Posteingang): staff upload scans and e-mails, see what the worker
read and suggests, and file each item into a case file in a few clicks."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.authorities.models import Department
from rathaus.intake import selectors, services
from rathaus.intake.errors import NO_SUCH_FILE, IntakeRefused
from rathaus.intake.models import IncomingItem
from rathaus.intake.permissions import may_handle_item
from rathaus.intake.reading import retry_waiting_for_packages
from rathaus.intake.recognition import missing_packages
from rathaus.intake.suggestions import file_by_reference
from rathaus.records.errors import ContentIntegrityError
from rathaus.records.models import CaseFile
from rathaus.records.permissions import may_read_file, readable_department_ids
from rathaus.records.responses import stored_content_response

from .departments import active_membership
from .intake_forms import DiscardForm, ReferenceForm, UploadForm

S = IncomingItem.Status


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def intake(request):
    """The list of open items with the upload form; a POST puts files in."""
    if request.method == "POST":
        return _upload(request)
    return _intake_page(request, _upload_form(request))


def _intake_page(request, form, status=200):
    missing = missing_packages()
    if not missing:
        # Items that waited for a package now installed are read from here on.
        retry_waiting_for_packages()
    items = list(selectors.items_for(request.user))
    return render(request, "office/intake/list.html", {
        "form": form, "items": items, "missing": missing,
        "waiting": sum(1 for item in items if item.status == S.WAITING),
        "done": selectors.recently_done(request.user),
    }, status=status)


def _departments(request):
    """Where the person may put mail: their departments, or all for records managers."""
    readable = readable_department_ids(request.user)
    departments = (Department.objects.all() if readable is None
                   else Department.objects.filter(pk__in=readable))
    return departments.order_by("name")


def _upload_form(request, data=None, files=None) -> UploadForm:
    membership = active_membership(request)
    return UploadForm(data, files, departments=_departments(request),
                      initial={"department": membership.department_id if membership else None})


def _upload(request):
    form = _upload_form(request, request.POST, request.FILES)
    if not form.is_valid():
        return _intake_page(request, form, status=400)
    received = services.receive_files(actor=request.user,
                                      department=form.cleaned_data["department"],
                                      files=form.cleaned_data["files"])
    if not received.items:
        for name, reason in received.refused:
            # One entry per file in the error summary, each naming its file.
            form.add_error(None, f"{name}: {reason}")
        return _intake_page(request, form, status=400)
    count = len(received.items)
    messages.success(request, ngettext("%(count)s item was put into the incoming mail.",
                                       "%(count)s items were put into the incoming mail.",
                                       count) % {"count": count})
    for name, reason in received.refused:
        messages.error(request, _("“%(name)s” was not taken: %(reason)s")
                       % {"name": name, "reason": reason})
    return redirect("office:intake")


def _item(request, incoming_id) -> IncomingItem:
    """The item, if the person may handle it; anything else is not found."""
    item = IncomingItem.objects.select_related(
        "department", "suggested_case_file", "filed_document__case_file", "email",
        "uploaded_by", "done_by").filter(pk=incoming_id).first()
    if item is None or not allows(may_handle_item, request.user, item=item):
        raise Http404
    return item


@staff_required
@require_safe
def intake_item(request, incoming_id):
    item = _item(request, incoming_id)
    return _item_page(request, item, ReferenceForm(), DiscardForm())


def _item_page(request, item, reference_form, discard_form, status=200):
    suggested = item.suggested_case_file
    return render(request, "office/intake/item.html", {
        "item": item, "reference_form": reference_form, "discard_form": discard_form,
        "suggested": suggested,
        "suggested_readable": bool(suggested) and allows(may_read_file, request.user,
                                                         case_file=suggested),
        "attachments": list(item.attachments.order_by("received_at", "pk")),
        # An Office document needs no OCR: the packages are no reason for it to wait.
        "missing": missing_packages() if item.status == S.WAITING and not item.is_office
        else [],
    }, status=status)


@staff_required
@require_POST
def intake_file(request, incoming_id):
    """File the item: into the suggested file (its id from the one-click button) or
    into the file whose Aktenzeichen staff typed."""
    item = _item(request, incoming_id)
    form = ReferenceForm(request.POST)
    # The one-click button files an e-mail's attachments with it, as the form's default.
    with_attachments = "with_attachments" in request.POST or "case_file" in request.POST
    if "case_file" in request.POST:
        case_file = CaseFile.objects.filter(uuid=_uuid(request.POST["case_file"])).first()
        if case_file is None:
            messages.error(request, _("The suggested file no longer exists."))
            return redirect("office:intake_item", incoming_id=item.pk)
    elif form.is_valid():
        case_file = file_by_reference(form.cleaned_data["aktenzeichen"])
        if case_file is None:
            form.add_error("aktenzeichen", str(NO_SUCH_FILE) % {
                "reference": form.cleaned_data["aktenzeichen"]})
            return _item_page(request, item, form, DiscardForm(), status=400)
    else:
        return _item_page(request, item, form, DiscardForm(), status=400)
    try:
        services.file_item(actor=request.user, item=item, case_file=case_file,
                           with_attachments=with_attachments)
    except NotPermitted:
        messages.error(request, _("You may not add documents to the file %(reference)s.")
                       % {"reference": case_file.aktenzeichen})
        return redirect("office:intake_item", incoming_id=item.pk)
    except IntakeRefused as refused:
        messages.error(request, str(refused))
        return redirect("office:intake_item", incoming_id=item.pk)
    messages.success(request, _("Filed into %(reference)s.")
                     % {"reference": case_file.aktenzeichen})
    return redirect("office:intake")


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@staff_required
@require_POST
def intake_discard(request, incoming_id):
    item = _item(request, incoming_id)
    form = DiscardForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, ReferenceForm(), form, status=400)
    try:
        services.discard_item(actor=request.user, item=item,
                              reason=form.cleaned_data["reason"],
                              note=form.cleaned_data["note"])
    except IntakeRefused as refused:
        messages.error(request, str(refused))
        return redirect("office:intake_item", incoming_id=item.pk)
    messages.success(request, _("The item was discarded; it is kept with its reason."))
    return redirect("office:intake")


@staff_required
@require_POST
def intake_retry(request, incoming_id):
    item = _item(request, incoming_id)
    try:
        item = services.retry_item(actor=request.user, item=item)
    except IntakeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Text recognition was started again."))
    return redirect("office:intake_item", incoming_id=item.pk)


@staff_required
@require_safe
def intake_original(request, incoming_id):
    """The item as it arrived, always as a download."""
    item = _item(request, incoming_id)
    return _stored_response(item.storage_name, item.sha256, item.media_type,
                            item.original_filename, inline=False)


@staff_required
@require_safe
def intake_pdf(request, incoming_id):
    """The PDF/A with its text layer, shown in the browser."""
    item = _item(request, incoming_id)
    if not item.pdfa_storage_name:
        raise Http404
    name = item.original_filename.rsplit(".", 1)[0] + ".pdf"
    return _stored_response(item.pdfa_storage_name, item.pdfa_sha256, "application/pdf",
                            name, inline=True)


def _stored_response(storage_name: str, sha256: str, media_type: str, filename: str, *,
                     inline: bool):
    """Streamed from the store, its hash checked before the first byte."""
    try:
        return stored_content_response(storage_name=storage_name, sha256=sha256,
                                       media_type=media_type, filename=filename,
                                       as_attachment=not inline)
    except ContentIntegrityError as damaged:
        raise Http404 from damaged  # a damaged blob is never handed out
