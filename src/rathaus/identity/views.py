"""The service provider's endpoints (metadata, login, assertion consumer service) and
the test identity provider's pages. Views translate HTTP; provider and services decide."""

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from rathaus.accounts.login_levels import LoginLevel, set_session_login_level
from rathaus.accounts.next_page import page_on_this_site
from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from . import services
from .levels import reported_level
from .logins import Refused

# `provider` and `test_idp` are imported in the views that use them: they need
# pysaml2, which takes most of a second to import, and every process that resolves a
# URL (the worker's links in notices and status events) would pay for it at start.

OUTSTANDING_KEY = "rathaus_saml_outstanding"
KEPT_REQUESTS = 5  # logins started in other tabs of the same session stay answerable


def available() -> bool:
    return bool(settings.RATHAUS_SAML_IDP_METADATA or settings.RATHAUS_SAML_TEST_IDP)


@require_GET
def metadata(request):
    from . import provider
    return HttpResponse(provider.metadata_xml(request),
                        content_type="application/samlmetadata+xml")


@require_GET
@rate_limited("saml", methods=ALL_METHODS)  # each request signs with the SP key (xmlsec1)
def start_login(request):
    """Sends the visitor to the identity provider with a signed AuthnRequest for the
    level asked for (`level`), to come back to `next` (a page of this site)."""
    from . import provider
    if not available():
        return render(request, "identity/not_offered.html", status=404)
    level_name = request.GET.get("level", LoginLevel.HOCH)
    level = LoginLevel(level_name) if level_name in LoginLevel.values else LoginLevel.HOCH
    next_url = page_on_this_site(request, request.GET.get("next", ""),
                                 reverse("accounts:overview"))
    request_id, location = provider.authn_request(request, level=level, relay_state="")
    outstanding = dict(list(request.session.get(OUTSTANDING_KEY, {}).items())[-KEPT_REQUESTS + 1:])
    outstanding[request_id] = {"next": next_url, "level": str(level)}
    request.session[OUTSTANDING_KEY] = outstanding
    return HttpResponseRedirect(location)


def _refused(request, reason: str, detail: str):
    actor = request.user if request.user.is_authenticated else None
    services.record_refusal(reason, detail, actor=actor)
    return render(request, "identity/refused.html", {"reason": reason}, status=400)


@csrf_exempt  # the identity provider posts here; the signed assertion is the proof
@require_POST
@rate_limited("saml")  # each answer is verified by an xmlsec1 process
def acs(request):
    from . import provider
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and "hop" not in request.POST:
        # A POST from an identity provider on another site carries no SameSite=Lax
        # cookie, so the session with the login's request is missing. The page posts
        # the response once more from this site, which brings the cookie along.
        return render(request, "identity/same_site_hop.html",
                      {"saml_response": request.POST.get("SAMLResponse", "")})
    outstanding = request.session.get(OUTSTANDING_KEY, {})
    try:
        login_data = provider.verify_response(
            request, request.POST.get("SAMLResponse", ""),
            {request_id: entry["next"] for request_id, entry in outstanding.items()})
        user = services.accept_login(login_data, current_user=request.user)
    except Refused as refusal:
        return _refused(request, refusal.reason, refusal.detail)
    entry = outstanding.get(login_data.request_id, {})
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    set_session_login_level(request, login_data.level)
    request.session[OUTSTANDING_KEY] = {key: value for key, value in outstanding.items()
                                        if key != login_data.request_id}
    return HttpResponseRedirect(page_on_this_site(request, entry.get("next", ""),
                                                  reverse("accounts:overview")))


# --- The test identity provider ---------------------------------------------------------

def _test_idp_on():
    if settings.PRODUCTION or not settings.RATHAUS_SAML_TEST_IDP:
        raise Http404


REQUEST_FIELDS = ("SAMLRequest", "RelayState", "SigAlg", "Signature")


@require_GET
def test_idp_metadata(request):
    from . import test_idp
    _test_idp_on()
    return HttpResponse(test_idp.metadata_xml(request),
                        content_type="application/samlmetadata+xml")


def test_idp_sso(request):
    """GET: the AuthnRequest arrives, the page offers the test persons. POST: the chosen
    person is logged in and the signed response goes back to the service provider."""
    from . import test_idp
    _test_idp_on()
    params = request.POST if request.method == "POST" else request.GET
    carried = {name: params[name] for name in REQUEST_FIELDS if params.get(name)}
    try:
        idp, authn_request = test_idp.read_authn_request(request, carried)
    except test_idp.BadRequest:
        return render(request, "identity/test_idp_bad_request.html", status=400)
    if request.method != "POST":
        return render(request, "identity/test_idp_login.html", {
            "carried": carried, "persons": test_idp.PERSONS, "methods": test_idp.METHODS,
            "requested": _requested_level(authn_request)})
    person = test_idp.PERSONS_BY_KEY.get(request.POST.get("person", ""))
    method = request.POST.get("method", "")
    if person is None or method not in LoginLevel.values:
        return render(request, "identity/test_idp_login.html", {
            "carried": carried, "persons": test_idp.PERSONS, "methods": test_idp.METHODS,
            "requested": _requested_level(authn_request),
            "error": _("Choose a test person and how they log in.")}, status=400)
    destination = authn_request.assertion_consumer_service_url
    saml_response = test_idp.signed_response(
        idp, in_response_to=authn_request.id, destination=destination,
        sp_entity_id=authn_request.issuer.text, person=person, level=LoginLevel(method))
    return render(request, "identity/test_idp_post.html", {
        "destination": destination, "saml_response": saml_response,
        "relay_state": carried.get("RelayState", ""), "person": person})


def _requested_level(authn_request) -> LoginLevel | None:
    context = authn_request.requested_authn_context
    if context is None:
        return None
    refs = [reported_level(ref.text) for ref in context.authn_context_class_ref]
    return next((ref for ref in refs if ref), None)
