"""The search over the eAkte for staff: one field, results in pages of twenty, each with
its file, its date and the words found in their place. Staff see only documents of the
files they may read (records.search)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted
from rathaus.records.search import MAX_CANDIDATES, search_documents
from rathaus.records.search_terms import MAX_QUERY_LENGTH


class FileSearch(forms.Form):
    q = forms.CharField(
        label=_("Search terms"), max_length=MAX_QUERY_LENGTH, required=False,
        help_text=_("Words from the text, an Aktenzeichen, a name or a date such as "
                    "14.03.2026"),
        error_messages={"max_length": _("Enter at most %(limit_value)d characters.")},
    )


def _page_number(value: str) -> int:
    # A page number typed by hand or cut off: the first page rather than an error.
    return int(value) if value.isdigit() and len(value) < 6 else 1


@staff_required
@require_safe
def search_files(request):
    form = FileSearch(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    try:
        # Asked even without a query: it says whether the person may search at all.
        found = search_documents(actor=request.user, query=query,
                                 page=_page_number(request.GET.get("page", "")))
    except NotPermitted:
        raise PermissionDenied from None
    return render(request, "office/files/search.html", {
        "form": form, "query": query, "found": found, "limit": MAX_CANDIDATES,
    })
