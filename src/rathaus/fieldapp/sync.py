"""Where the phone sends the inspections it queued offline (field.js, field-queue.js):
one multipart POST per inspection, the same fields as the inspection form plus the
asset, answered in JSON.

  201 {"status": "created"}    stored now (also when it waits as a conflict:
                                "conflict", with the conflicts page's address)
  200 {"status": "duplicate"}  stored before under the same client_id: sent twice
  400 {"status": "invalid", "errors": {field: [German message]}}  kept on the phone
  403 {"status": "login"}      the staff session is gone: log in, the queue stays
  404 {"status": "not_found"}  no such asset in a cadastre the inspector keeps

Only created, duplicate and conflict take an inspection off the phone's queue, so each
is stored exactly once. A GET gives a fresh CSRF token for the POSTs (the one in a page
saved offline may be older than the last login).
"""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from rathaus.accounts.selectors import staff_memberships
from rathaus.assets import selectors
from rathaus.assets.kinds import kind_of
from rathaus.assets.models import Asset

from .field_forms import InspectionForm
from .field_views import record_from_form


def _logged_in(request) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_staff_member and user.is_verified()
                and staff_memberships(user).exists())


def _errors(form) -> dict:
    return {field or "__all__": [str(message) for message in messages]
            for field, messages in form.errors.items()}


@never_cache
@require_http_methods(["GET", "POST"])
def sync(request):
    if not _logged_in(request):
        return JsonResponse({"status": "login", "message": _(
            "You are no longer logged in. Please log in again; the saved inspections "
            "stay on this device.")}, status=403)
    if request.method == "GET":
        return JsonResponse({"status": "ready", "csrf": get_token(request)})
    asset_pk = request.POST.get("asset", "")
    asset = None
    if asset_pk.isdigit():
        asset = (Asset.objects.select_related("cadastre")
                 .filter(pk=int(asset_pk),
                         cadastre__in=selectors.cadastres_kept_by(request.user))
                 .exclude(status=Asset.Status.REMOVED).first())
    if asset is None or not kind_of(asset.kind).inspected:
        return JsonResponse({"status": "not_found", "message": _(
            "This asset does not exist or belongs to a cadastre you do not keep.")},
            status=404)
    form = InspectionForm(request.POST, request.FILES, kind=kind_of(asset.kind))
    recorded = record_from_form(request, asset, form) if form.is_valid() else None
    if recorded is None:
        return JsonResponse({"status": "invalid", "errors": _errors(form),
                             "message": _("The inspection of %(number)s was not accepted.")
                             % {"number": asset.number}}, status=400)
    answer = {"inspection": recorded.inspection.pk, "asset": asset.number,
              "conflict": recorded.conflict}
    if not recorded.created:
        return JsonResponse({"status": "duplicate", **answer}, status=200)
    if recorded.conflict:
        return JsonResponse({"status": "conflict", "conflicts": reverse("field:conflicts"),
                             **answer}, status=201)
    return JsonResponse({"status": "created", "work_orders": len(recorded.work_orders),
                         **answer}, status=201)
