"""Where the phone sends the clock events it queued offline (clock.js, clock-queue.js):
one POST per event, JSON {client_id, action "in"/"out", at (the device's time, ISO
8601), place} or the same as form fields, with the CSRF token in `X-CSRFToken`.

  201 {"status": "created"}    recorded now, at the device's time
  200 {"status": "duplicate"}  recorded before under the same client_id: sent twice
  400 {"status": "invalid", "message": German, "errors": {...}}  kept on the phone,
      with the message shown (clocked in already, more than seven days old ...)
  403 {"status": "login"}      the staff session is gone: log in, the queue stays
  404 {"status": "not_found"}  the person records no working time

Only created and duplicate take an event off the queue (docs/decisions/0039). A GET
gives a fresh CSRF token for the POSTs.
"""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from rathaus.accounts.selectors import staff_memberships
from rathaus.request_json import JsonRefused, request_body_json

from . import recording, selectors
from .employee_forms import IN, ClockEventForm
from .errors import WorktimeError


def _logged_in(request) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_staff_member and user.is_verified()
                and staff_memberships(user).exists())


def _invalid(message: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse({"status": "invalid", "message": message, "errors": errors or {}},
                        status=400)


def _event_data(request) -> dict:
    if request.content_type == "application/json":
        data = request_body_json(request, limit=4096)
        if not isinstance(data, dict):
            raise JsonRefused("not an object")
        return {key: value for key, value in data.items() if isinstance(value, str)}
    return request.POST


@never_cache
@require_http_methods(["GET", "POST"])
def clock_sync(request):
    if not _logged_in(request):
        return JsonResponse({"status": "login", "message": _(
            "You are no longer logged in. Please log in again; the saved clock events "
            "stay on this device.")}, status=403)
    if request.method == "GET":
        return JsonResponse({"status": "ready", "csrf": get_token(request)})
    employee = selectors.employee_of(request.user)
    if employee is None:
        return JsonResponse({"status": "not_found", "message": _(
            "Your working time is not recorded here.")}, status=404)
    try:
        form = ClockEventForm(_event_data(request))
    except JsonRefused:
        return _invalid(_("The clock event could not be read."))
    if not form.is_valid():
        errors = {field or "__all__": [str(m) for m in found] for field, found in
                  form.errors.items()}
        return _invalid(" ".join(message for found in errors.values() for message in found),
                        errors)
    data = form.cleaned_data
    try:
        if data["action"] == IN:
            entry, created = recording.clock_in(
                actor=request.user, employee=employee, client_id=data["client_id"],
                place=data["place"], at=data["at"], offline=True)
        else:
            entry, created = recording.clock_out(
                actor=request.user, employee=employee, client_id=data["client_id"],
                at=data["at"], offline=True)
    except WorktimeError as error:
        return _invalid(error.message)
    return JsonResponse({"status": "created" if created else "duplicate", "entry": entry.pk},
                        status=201 if created else 200)
