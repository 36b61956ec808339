""""Meine Daten": the citizen asks for a copy of their personal data (Art. 15 DSGVO)
and sees their requests, each with a link to the mailbox message that carries the
copy. The worker makes the copy; this page only asks for it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rathaus.accounts.access import citizen_required
from rathaus.subject_access.selectors import requests_of
from rathaus.subject_access.services import request_copy


@require_http_methods(["GET", "HEAD", "POST"])
@citizen_required
def data_copy(request):
    if request.method == "POST":
        # A second click while a copy is being made returns that one: nothing new.
        request_copy(citizen=request.user)
        messages.success(request, _(
            "We are preparing the copy of your data. It will arrive in your mailbox, and "
            "we will let you know by e-mail."))
        return redirect("portal:data_copy")
    return render(request, "portal/data_copy.html", {
        "copy_requests": requests_of(citizen=request.user)})
