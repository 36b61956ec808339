"""The audit log of the authority for its administrators (/verwaltung/protokoll/):
every recorded change and every look at a citizen's data, newest first, filtered by
kind, time and who acted. Anyone else gets the 404 of a page that does not exist."""

import re
from datetime import datetime, time, timedelta

from django import forms
from django.core.validators import RegexValidator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import allows, may_read_audit_log
from rathaus.accounts.selectors import staff_of_authority
from rathaus.audit.selectors import audit_log_page
from rathaus.date_input import TypedDateField

from . import audit_wording

PAGE_SIZE = 50
SYSTEM = "system"
_ACCOUNT_NUMBER = re.compile(r"^[1-9]\d{0,17}$")


class AuditLogFilter(forms.Form):
    kind = forms.CharField(
        label=_("Kind of entry"), required=False, max_length=100,
        help_text=_("The start of the kind, for example “records.” or "
                    "“subject_access.requested”."),
        validators=[RegexValidator(r"^[a-z0-9_.]*$", _(
            "A kind consists of small letters, digits, dots and underscores, for example "
            "“records.”."))],
        widget=forms.TextInput(attrs={"list": "audit-kinds", "autocomplete": "off"}))
    since = TypedDateField(label=_("From"), required=False,
                           help_text=_("For example 01.03.2026"))
    until = TypedDateField(label=_("Until (inclusive)"), required=False,
                           help_text=_("For example 31.03.2026"))
    actor = forms.ChoiceField(label=_("Who"), required=False)
    # Where the page starts: set by the links to older and newer entries.
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Everyone")), (SYSTEM, _("System (no person)"))]
        choices += [(str(user.pk), user.full_name) for user in staff_of_authority()]
        asked = self.data.get("actor", "")
        if _ACCOUNT_NUMBER.match(asked) and asked not in {value for value, _label in choices}:
            # A citizen, chosen by following their account number in the list.
            choices.append((asked, _("Account %(id)s") % {"id": asked}))
        self.fields["actor"].choices = choices
        self.fields["actor"].error_messages["invalid_choice"] = _(
            "Choose a person from the list.")

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The selector's arguments for the valid form."""
        data, actor = self.cleaned_data, self.cleaned_data["actor"]
        return {
            "kind": data["kind"],
            "since": _midnight(data["since"]) if data["since"] else None,
            "until": _midnight(data["until"] + timedelta(days=1)) if data["until"] else None,
            "system_only": actor == SYSTEM,
            "actor_id": int(actor) if actor and actor != SYSTEM else None,
            "before": data["before"], "after": data["after"],
        }

    def query_without_position(self) -> dict:
        return {name: self.data[name] for name in ("kind", "since", "until", "actor")
                if self.data.get(name)}


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@staff_required
@require_safe
def audit_log(request):
    if not allows(may_read_audit_log, request.user):
        raise Http404
    form = AuditLogFilter(request.GET)
    page = audit_log_page(**form.filters(), size=PAGE_SIZE) if form.is_valid() else None
    query = form.query_without_position()
    return render(request, "office/audit_log.html", {
        "form": form, "page": page,
        "rows": [{"entry": entry, "kind": audit_wording.kind_label(entry.action),
                  "who": audit_wording.who(entry), "target": audit_wording.target(entry),
                  "citizen": entry.actor is not None and entry.actor.is_citizen}
                 for entry in (page.entries if page else [])],
        "older_query": urlencode({**query, "before": page.older}) if page and page.older
        else "",
        "newer_query": urlencode({**query, "after": page.newer}) if page and page.newer
        else "",
        "filtered": bool(query), "families": audit_wording.FAMILIES,
        "kinds": audit_wording.KINDS,
    })
