"""The authority's services for its administrators: export one as a file for another
authority, and adopt one from another's file ("Einer für Alle")."""

from dataclasses import replace
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import allows
from rathaus.authorities.models import Department
from rathaus.catalog import definition_format, exchange, fim
from rathaus.catalog.bylaw_values import bylaw_values_for
from rathaus.catalog.definitions import InvalidDefinition, definition_from_data, localize
from rathaus.catalog.models import Service
from rathaus.catalog.permissions import may_exchange_services
from rathaus.catalog.schema_messages import explain

from .catalogue_forms import AdoptionForm, FimDraftForm, ServiceFileForm


def _require_administrator(request) -> None:
    if not allows(may_exchange_services, request.user):
        raise Http404


@staff_required
@require_safe
def catalogue(request):
    _require_administrator(request)
    return _catalogue_page(request, ServiceFileForm())


def _catalogue_page(request, form, status=200, fim_form=None):
    adopted = {row.service_id: row for row in exchange.adopted_services()}
    rows = [(service, adopted.get(service.slug)) for service in Service.objects.order_by("title")]
    return render(request, "office/catalogue.html", {
        "rows": rows, "form": form,
        "fim_form": fim_form or FimDraftForm(departments=_departments()),
    }, status=status)


def _departments():
    return Department.objects.order_by("name")


@staff_required
@require_POST
def fim_draft(request):
    """A FIM data schema as a draft definition to download; what is wrong with the file
    is said on the services page, naming the element."""
    _require_administrator(request)
    form = FimDraftForm(request.POST, request.FILES, departments=_departments())
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            result = fim.definition_from_fim(
                upload.read(fim.MAX_BYTES + 1), service_id=data["service_id"],
                department=data["department"], source=upload.name)
            definition_from_data(result.definition, source=Path(upload.name))
        except fim.FimError as error:
            form.add_error("file", str(error))
        except InvalidDefinition as error:
            form.add_error("file", explain(error))
        else:
            response = HttpResponse(fim.draft_yaml(result, source_name=upload.name),
                                    content_type="application/yaml; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="{data["service_id"]}.yaml"')
            return response
    return _catalogue_page(request, ServiceFileForm(), status=400, fim_form=form)


@staff_required
@require_safe
def export(request, service_id):
    _require_administrator(request)
    try:
        text = exchange.export_service(actor=request.user, service_id=service_id)
    except exchange.ExchangeRefused as refused:
        raise Http404 from refused
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{service_id}.yaml"'
    return response


@staff_required
@require_POST
def adopt(request):
    """First the file (a multipart upload), then the adaptation (the file's text comes
    back in a hidden field and is read again)."""
    _require_administrator(request)
    if "content" not in request.POST:
        return _read_upload(request)
    content = request.POST["content"].encode("utf-8")
    try:
        service_file = exchange.read_service_file(content)
    except exchange.ExchangeRefused as refused:
        return _refused(request, str(refused))
    form = _adoption_form(service_file, data=request.POST)
    if form.is_valid():
        adaptation = form.adaptation(named_departments=_named(service_file))
        adaptation = replace(adaptation, bylaw_values=_with_file_values(
            service_file, adaptation.bylaw_values))
        try:
            service = exchange.adopt_service(actor=request.user, service_file=service_file,
                                             adaptation=adaptation)
        except exchange.ExchangeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("“%(title)s” is now offered in your portal.")
                             % {"title": service.title})
            return redirect("office:catalogue")
    return _adoption_page(request, service_file, form, status=400)


def _read_upload(request):
    upload_form = ServiceFileForm(request.POST, request.FILES)
    if not upload_form.is_valid():
        return _refused(request, upload_form.errors["file"][0])
    upload = upload_form.cleaned_data["file"]
    content = upload.read(exchange.MAX_FILE_BYTES + 1)
    try:
        service_file = exchange.read_service_file(content)
    except exchange.ExchangeRefused as refused:
        return _refused(request, str(refused))
    form = _adoption_form(service_file, initial={"content": content.decode("utf-8")})
    return _adoption_page(request, service_file, form)


def _refused(request, message: str):
    form = ServiceFileForm()
    form.errors["file"] = form.error_class([message])
    return _catalogue_page(request, form, status=400)


def _named(service_file) -> list[str]:
    return exchange.departments_named(service_file.definition)


def _adoption_form(service_file, **kwargs) -> AdoptionForm:
    provider = bylaw_values_for(_built(service_file))
    return AdoptionForm(
        definition=service_file.definition, departments=_departments(),
        named_departments=_named(service_file),
        bylaw_values=provider.values() if provider else (), bylaw=service_file.bylaw, **kwargs)


def _built(service_file):
    return definition_from_data(service_file.definition, source=Path("import"))


def _with_file_values(service_file, values: dict | None) -> dict | None:
    """The values staff do not see in the form (exemptions) come from the file, where it
    holds values of the same bylaw."""
    if values is None:
        return None
    bylaw = service_file.bylaw or {}
    same = bylaw.get("reference") == service_file.definition.get("tax_reference")
    from_file = bylaw.get("values") if same and isinstance(bylaw.get("values"), dict) else {}
    return {**from_file, **values}


def _adoption_page(request, service_file, form, status=200):
    return render(request, "office/adopt_service.html", {
        "file": service_file, "form": form,
        "title": localize(service_file.definition["title"]),
        "current_format": definition_format.CURRENT,
    }, status=status)


@staff_required
@require_POST
def give_up(request, service_id):
    _require_administrator(request)
    try:
        exchange.give_up_adopted_service(actor=request.user, service_id=service_id)
    except exchange.ExchangeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The service follows this installation's definition "
                                    "again."))
    return redirect("office:catalogue")
