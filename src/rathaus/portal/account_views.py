""""Mein Konto": the citizen's mailbox, dogs, drafts and cases on one page.

The page lives in the portal, not in accounts, because it gathers what other apps
keep; the accounts app is below them and may not ask them."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from rathaus.accounts.access import applicant_required
from rathaus.accounts.firm_access import current_firm
from rathaus.accounts.login_levels import session_login_level
from rathaus.accounts.selectors import confirmed_totp_device
from rathaus.cases.selectors import (
    cases_of_citizen,
    forwarded_latest_status,
    forwarded_of_citizen_list,
)
from rathaus.catalog.registry import definition
from rathaus.dogs.selectors import dogs_of
from rathaus.forms.services import open_drafts
from rathaus.mailbox.selectors import unread_count
from rathaus.subject_access.selectors import requests_of

# Enough for any citizen; a page of hundreds of rows would help nobody.
MAX_CASES = 50
MAX_DRAFTS = 20


def _with_latest_status(forwarded: list) -> list:
    """(application, service, label of its newest status) of each handed-over
    application, the statuses read in one query."""
    latest = forwarded_latest_status(forwarded=forwarded)
    return [(f, definition(f.service_id),
             latest[f.pk].label if f.pk in latest else _("On its way")) for f in forwarded]


@applicant_required
def overview(request):
    user = request.user
    # A firm account sees its firm, its applications and the mailbox: no dogs, no
    # profile, no data copy (those are a citizen's own matters).
    firm = current_firm(user=user) if user.is_firm else None
    return render(request, "accounts/overview.html", {
        "firm": firm,
        "login_level": session_login_level(request),
        "has_totp": confirmed_totp_device(user) is not None,
        "unread": unread_count(user=user),
        "dogs": [] if firm else list(dogs_of(holder=user)),
        "drafts": [(draft, definition(draft.service_id))
                   for draft in open_drafts(user=user)[:MAX_DRAFTS]],
        "cases": [(case, definition(case.service_id))
                  for case in cases_of_citizen(user=user)[:MAX_CASES]],
        "forwarded": _with_latest_status(list(
            forwarded_of_citizen_list(user=user).select_related("submission")[:MAX_CASES])),
        "copy_requests": [] if firm else requests_of(citizen=user),
    })
