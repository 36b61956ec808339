"""Responses an attacker could post to the assertion consumer service: each is refused
with a clear German page and an audit entry, and nobody is logged in."""

import base64

import pytest
from saml2 import time_util

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.identity.models import SeenAssertion

from .saml_helpers import forged, idp_answer, start

pytestmark = pytest.mark.django_db


def _refused(client, town, saml_response, reason):
    # "hop": as posted again from this site (a client without a session is sent there
    # first, see the last tests).
    response = client.post("/saml/acs/", {"SAMLResponse": saml_response, "hop": "1"})
    assert response.status_code == 400
    assert response.context["reason"] == reason
    assert "Die Anmeldung wurde abgelehnt" in response.text
    assert "_auth_user_id" not in client.session
    with authority_context(town):
        entry = AuditEntry.objects.filter(action="identity.login_refused").last()
    assert entry.data["reason"] == reason
    return response


def test_a_genuine_forged_helper_response_is_accepted(town, client):
    """The forgeries below start from this one, which logs in: each refusal is down to
    the one thing the test changes."""
    params = start(client)
    response = client.post("/saml/acs/", {"SAMLResponse": forged(params)})

    assert response.status_code == 302
    assert client.session["rathaus_login_level"] == "hoch"


def test_a_bad_signature_is_refused(town, client):
    params = start(client)
    xml = base64.b64decode(forged(params)).decode()
    assert "Testfrau" in xml
    tampered = base64.b64encode(xml.replace("Testfrau", "Tastfrau").encode()).decode()

    _refused(client, town, tampered, "signature")


def test_an_assertion_for_another_audience_is_refused(town, client):
    params = start(client)
    elsewhere = forged(params, sp_entity_id="https://elsewhere.example/saml/metadata/")

    _refused(client, town, elsewhere, "audience")


def test_an_expired_assertion_is_refused(town, client, monkeypatch):
    params = start(client)
    answer = forged(params)
    later = time_util.utc_now() + 60 * 60  # an hour later: the assertion lived 5 minutes
    monkeypatch.setattr(time_util, "utc_now", lambda: later)

    _refused(client, town, answer, "expired")


def test_a_replayed_assertion_is_refused(town, client):
    params = start(client)
    answer = idp_answer(client, params)
    assert client.post("/saml/acs/", {"SAMLResponse": answer}).status_code == 302
    client.logout()
    # The logout ends the session: the replay comes with a login started anew.
    params = start(client)
    client.session  # noqa: B018
    session = client.session
    session["rathaus_saml_outstanding"] = {
        **session["rathaus_saml_outstanding"],
        _request_id_of(answer): {"next": "/konto/", "level": "hoch"}}
    session.save()

    _refused(client, town, answer, "replayed")
    assert SeenAssertion.objects.count() == 1


def _request_id_of(answer):
    import re

    return re.search(r'InResponseTo="([^"]+)"', base64.b64decode(answer).decode()).group(1)


def test_an_unsigned_assertion_is_refused(town, client):
    params = start(client)

    _refused(client, town, forged(params, sign_assertion=False), "unsigned")


def test_a_response_to_a_request_of_another_browser_is_refused(town, client):
    from django.test import Client

    other = Client()
    params = start(other)

    _refused(client, town, forged(params), "unsolicited")


def test_a_refusal_page_is_in_german_and_names_the_reason(town, client):
    params = start(client)
    response = _refused(client, town, forged(params, sign_assertion=False), "unsigned")

    assert "nicht signiert" in response.text


def test_a_post_without_the_session_cookie_is_posted_again_from_this_site(town, client):
    """A real IdP posts cross-site, and browsers leave the SameSite=Lax session cookie
    off: the response is posted once more from this site, with the cookie."""
    from django.test import Client

    params = start(client)
    answer = forged(params)
    cross_site = Client()  # the same browser as the IdP's POST sees it: no cookies
    hop = cross_site.post("/saml/acs/", {"SAMLResponse": answer})
    assert hop.status_code == 200
    assert 'name="hop" value="1"' in hop.text and answer in hop.text
    assert not SeenAssertion.objects.exists()

    back = client.post("/saml/acs/", {"SAMLResponse": answer, "hop": "1"})
    assert back.status_code == 302
    assert client.session["rathaus_login_level"] == "hoch"


def test_the_hop_happens_once(town, client):
    from django.test import Client

    params = start(client)
    stranger = Client()
    response = stranger.post("/saml/acs/", {"SAMLResponse": forged(params), "hop": "1"})
    assert response.status_code == 400
    assert response.context["reason"] == "unsolicited"
