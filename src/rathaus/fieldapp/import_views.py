"""The cadastre import pages (/verwaltung/kataster/import/): upload a file, see what
it would do, confirm once, see the result. Only who keeps the trees cadastre gets
them; for anyone else they do not exist (404), as the other cadastre pages."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.assets.models import Cadastre
from rathaus.assets.permissions import may_keep_cadastre
from rathaus.trees import importing
from rathaus.trees.models import TreeImport
from rathaus.trees.species import all_species

from .import_forms import ImportForm


def _kept(request) -> Cadastre:
    cadastre = importing.trees_cadastre()
    if cadastre is None or not allows(may_keep_cadastre, request.user, cadastre=cadastre):
        raise Http404
    return cadastre


def _import(request, cadastre, item_id: int) -> TreeImport:
    try:
        return importing.import_of(actor=request.user, cadastre=cadastre, pk=item_id)
    except (TreeImport.DoesNotExist, NotPermitted):
        raise Http404 from None


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    cadastre = _kept(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tree_import = importing.preview_import(
                    actor=request.user, cadastre=cadastre, file=form.cleaned_data["file"],
                    crs=form.cleaned_data["crs"])
            except importing.FileRefused as refused:
                form.add_error("file", str(refused))
            else:
                return redirect("cadastre_import:preview", item_id=tree_import.pk)
        status = 400
    return render(request, "fieldapp/import.html", {
        "form": form, "species": all_species(),
        "recent": TreeImport.objects.select_related("created_by")[:10],
    }, status=status)


@staff_required
@require_safe
def preview(request, item_id: int):
    cadastre = _kept(request)
    tree_import = _import(request, cadastre, item_id)
    if tree_import.state != TreeImport.State.PREVIEWED:
        return redirect("cadastre_import:result", item_id=tree_import.pk)
    return render(request, "fieldapp/import_preview.html", {
        "tree_import": tree_import, "summary": tree_import.summary,
    })


@staff_required
@require_POST
def run(request, item_id: int):
    """Confirm: the import runs in the background; a second confirmation changes
    nothing."""
    cadastre = _kept(request)
    tree_import = _import(request, cadastre, item_id)
    if tree_import.state != TreeImport.State.PREVIEWED:
        messages.info(request, _("This import has been confirmed already."))
        return redirect("cadastre_import:result", item_id=tree_import.pk)
    importing.confirm_import(actor=request.user, cadastre=cadastre, tree_import=tree_import)
    return redirect("cadastre_import:result", item_id=tree_import.pk)


@staff_required
@require_safe
def result(request, item_id: int):
    cadastre = _kept(request)
    tree_import = _import(request, cadastre, item_id)
    if tree_import.state == TreeImport.State.PREVIEWED:
        return redirect("cadastre_import:preview", item_id=tree_import.pk)
    return render(request, "fieldapp/import_result.html", {
        "tree_import": tree_import, "summary": tree_import.summary,
        "result": tree_import.summary.get("result", {}),
        "running": tree_import.state == TreeImport.State.RUNNING,
        "failed": tree_import.state == TreeImport.State.FAILED,
    })
