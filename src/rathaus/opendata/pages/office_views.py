"""The staff side of open data (/verwaltung/offene-daten/): datasets, uploads with
checks and inferred types, column confirmation, publication and history. Any staff
member of the authority prepares datasets; releasing a version and publishing need a
team lead or administrator, so a second person looks at what goes public."""

from itertools import islice

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows, require
from rathaus.request_limits import allows_large_upload

from .. import permissions as rules
from ..ingest.parsing import ParseProblem, read_records
from ..ingest.privacy import PrivacyRefusal, describe
from ..models import Upload
from ..publish import errors, services
from ..store import files as store
from ..store import queries, selectors
from .forms import DatasetForm, UploadForm, column_forms

PREVIEW_ROWS = 10
# While the worker checks or writes an upload, its page reloads itself this often.
REFRESH_SECONDS = 3


def _may_release(request) -> bool:
    """Only for showing the buttons: the services ask the rule themselves."""
    return allows(rules.may_release, request.user)


def _dataset_or_404(name):
    dataset = selectors.dataset_for_staff(name)
    if dataset is None:
        raise Http404
    return dataset


@staff_required
def dataset_list(request):
    return render(request, "opendata/office/list.html", {
        "rows": selectors.staff_datasets(), "may_release": _may_release(request),
        # GovData's "Konventionen" want it on every dataset (dcatde:contributorID).
        "lacks_contributor_id": not request.authority.govdata_contributor})


@staff_required
def dataset_create(request):
    form = DatasetForm(request.POST or None, initial={
        "contact_name": request.authority.name, "contact_email": request.authority.email})
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.create_dataset(actor=request.user,
                                              name=form.cleaned_data["name"],
                                              **form.metadata())
        except errors.NameTaken as error:
            form.add_error("name", errors.message(error))
        else:
            messages.success(request, _("The dataset was created. Now upload its data."))
            return redirect("opendata_office:dataset", dataset.name)
    return render(request, "opendata/office/edit.html", {"form": form, "dataset": None})


@staff_required
def dataset_edit(request, name):
    dataset = _dataset_or_404(name)
    form = DatasetForm(request.POST or None, instance=dataset)
    if request.method == "POST" and form.is_valid():
        dataset.refresh_from_db()
        services.update_metadata(dataset=dataset, actor=request.user, **form.metadata())
        messages.success(request, _("The description was saved."))
        return redirect("opendata_office:dataset", dataset.name)
    return render(request, "opendata/office/edit.html", {"form": form, "dataset": dataset})


@staff_required
def dataset_detail(request, name):
    dataset = _dataset_or_404(name)
    version = selectors.latest_version(dataset)
    return render(request, "opendata/office/dataset.html", {
        "dataset": dataset, "version": version,
        "columns": selectors.columns_of(version, public_only=False) if version else [],
        "preview": queries.first_rows(version.sha256, PREVIEW_ROWS) if version else [],
        "history": selectors.history(dataset), "uploads": selectors.open_uploads(dataset),
        "form": UploadForm(), "may_release": _may_release(request),
    })


@allows_large_upload
@staff_required
@require_POST
def upload(request, name):
    dataset = _dataset_or_404(name)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("opendata_office:dataset", dataset.name)
    try:
        received = services.receive_upload_in_background(
            dataset=dataset, actor=request.user, file=form.cleaned_data["file"])
    except (errors.UploadTooLarge, errors.UnknownFormat) as error:
        messages.error(request, errors.message(error))
        return redirect("opendata_office:dataset", dataset.name)
    return redirect("opendata_office:upload", dataset.name, received.pk)


def _raw_preview(upload: Upload) -> list[list]:
    path = store.uploads_dir() / f"{upload.pk}.{upload.format}"
    if upload.status != Upload.Status.CHECKED or not path.exists():
        return []
    names = [c["name"] for c in upload.columns]
    try:
        _header, records = read_records(path, upload.format)
        return [[record.get(n) for n in names] for _where, record in
                islice(records, PREVIEW_ROWS)]
    except ParseProblem:
        return []


@staff_required
def upload_detail(request, name, upload_id):
    dataset = _dataset_or_404(name)
    upload = get_object_or_404(Upload, pk=upload_id, dataset=dataset)
    forms = column_forms(upload, request.POST if request.method == "POST" else None)
    refusal = []
    if request.method == "POST":
        valid = all(form.is_valid() for _column, form in forms)
        try:
            if not valid:
                # Whoever may not publish learns that first, not which column was wrong.
                require(rules.may_release, request.user)
            else:
                decisions = {column["name"]: form.cleaned_data for column, form in forms}
                upload = services.request_publication(
                    upload=upload, actor=request.user, decisions=decisions,
                    note=request.POST.get("note", "")[:300])
        except NotPermitted:
            messages.error(request, _("Only a team lead or an administrator can publish a "
                                      "new version."))
        except PrivacyRefusal as error:
            refusal = error.problems
        except (errors.UploadNotReady, errors.NoPublicColumn, errors.TypeNotAllowed) as error:
            messages.error(request, errors.message(error))
        else:
            if valid:
                return _after_publication_request(request, dataset, upload)
    return render(request, "opendata/office/upload.html", {
        "dataset": dataset, "upload": upload, "may_release": _may_release(request),
        # Checked, but confirmed before: the worker could not write the version.
        "publication_failed": (upload.status == Upload.Status.CHECKED
                               and bool(upload.confirmed_columns)),
        "busy": upload.status in (Upload.Status.RECEIVED, Upload.Status.PUBLISHING),
        "refresh_seconds": REFRESH_SECONDS,
        "columns": [(column, form, describe(column["personal_kind"]))
                    for column, form in forms],
        "preview": _raw_preview(upload), "refusal": refusal,
    })


def _after_publication_request(request, dataset, upload: Upload):
    upload.refresh_from_db()
    if upload.status == Upload.Status.CONFIRMED:  # the worker was quicker than this page
        messages.success(request, _("Version %(number)s was saved.")
                         % {"number": upload.version.number})
        return redirect("opendata_office:dataset", dataset.name)
    return redirect("opendata_office:upload", dataset.name, upload.pk)


@staff_required
@require_POST
def upload_discard(request, name, upload_id):
    dataset = _dataset_or_404(name)
    upload = get_object_or_404(Upload, pk=upload_id, dataset=dataset)
    services.discard_upload(upload=upload, actor=request.user)
    messages.success(request, _("The upload was discarded."))
    return redirect("opendata_office:dataset", dataset.name)


@staff_required
@require_POST
def publication(request, name, action):
    dataset = _dataset_or_404(name)
    try:
        if action == "publish":
            services.publish(dataset=dataset, actor=request.user)
            messages.success(request, _("The dataset is published."))
        else:
            services.unpublish(dataset=dataset, actor=request.user)
            messages.success(request, _("The dataset is no longer published."))
    except NotPermitted:
        messages.error(request, _("Only a team lead or an administrator can publish or "
                                  "withdraw a dataset."))
    except errors.NoVersion as error:
        messages.error(request, errors.message(error))
    return redirect("opendata_office:dataset", dataset.name)
