"""The party's pages: no account, the token or the public issue page is all there is.
Thin: each view asks one selector or service and renders."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from rathaus.catalog.definitions import localize
from rathaus.catalog.selectors import offered_service
from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from . import services
from .forms import DeclineForm, party_form_class
from .selectors import open_request

ANSWERS = {"bestaetigt": "confirmed", "abgelehnt": "declined"}


def _texts(spec) -> dict:
    return {"title": localize(spec.title), "party": localize(spec.party),
            "legal_basis": localize(spec.legal_basis)}


def _not_valid(request):
    """One page for every token that opens nothing: it says nothing about whether a
    request or a case exists, nor why."""
    return render(request, "confirmations/not_valid.html", status=404)


@never_cache
@rate_limited("confirmation", methods=ALL_METHODS)
def request_page(request, token):
    page = open_request(token=token)
    if page is None:
        return _not_valid(request)
    form_class = party_form_class(page.spec, page.spec.party_fields)
    form, decline_form = form_class(), DeclineForm()
    if request.method == "POST" and "decline" in request.POST:
        decline_form = DeclineForm(request.POST)
        if decline_form.is_valid():
            return _answered(request, services.decline, token=token,
                             reason=decline_form.cleaned_data["reason"], answer="abgelehnt")
    elif request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            return _answered(request, services.confirm, token=token,
                             opened=page.confirmation, party_answers=form.as_json(),
                             answer="bestaetigt")
    return render(request, "confirmations/request.html", {
        "page": page, **_texts(page.spec), "form": form, "decline_form": decline_form,
        "service_title": localize(page.definition.title),
    }, status=400 if form.errors or decline_form.errors else 200)


def _answered(request, service, *, answer: str, **arguments):
    try:
        service(**arguments)
    except services.LinkNotValid:  # answered a moment ago in another tab
        return _not_valid(request)
    return redirect(reverse("confirmations:answered") + f"?antwort={answer}")


@never_cache
def answered(request):
    return render(request, "confirmations/answered.html",
                  {"answer": ANSWERS.get(request.GET.get("antwort"), "")})


def _offered_definition(service_id: str):
    service = offered_service(slug=service_id)
    found = service.definition if service else None
    if found is None or found.third_party_confirmation is None:
        raise Http404
    return found


@never_cache
@rate_limited("confirmation_issue")
def issue_page(request, service_id):
    """Confirm first: the party fills in the confirmation and gets the code that the
    applicant enters. The code is shown once, on the answer to the POST."""
    found = _offered_definition(service_id)
    spec = found.third_party_confirmation
    form_class = party_form_class(spec, spec.issue_fields)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        issued = services.issue_code(definition=found, answers=form.as_json())
        return render(request, "confirmations/issued.html", {
            **_texts(spec), "service_title": localize(found.title), "code": issued.code,
            "until": issued.confirmation.expires_at,
        })
    return render(request, "confirmations/issue.html",
                  {**_texts(spec), "service_title": localize(found.title), "form": form},
                  status=400 if form.errors else 200)
