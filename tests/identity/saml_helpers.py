"""Driving the SAML login through the test identity provider with Django's test client,
and forging what an attacker would post to the assertion consumer service."""

import base64
import html
import re
import zlib
from urllib.parse import parse_qsl, urlsplit

from django.test import RequestFactory

from rathaus.accounts.login_levels import LoginLevel
from rathaus.identity import test_idp

ACS = "http://testserver/saml/acs/"


def start(client, *, level="hoch", next_url="/konto/"):
    """Starts the login; returns the redirect binding's parameters for the IdP."""
    response = client.get("/saml/anmelden/", {"level": level, "next": next_url})
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == "/saml/test-idp/sso/"
    return dict(parse_qsl(location.query))


def idp_answer(client, params, *, person="anna", method="hoch") -> str:
    """The test IdP's page after choosing `person`: the SAMLResponse it posts back."""
    response = client.post("/saml/test-idp/sso/", {**params, "person": person,
                                                   "method": method})
    assert response.status_code == 200, response.content[:500]
    match = re.search(r'name="SAMLResponse" value="([^"]+)"', response.content.decode())
    return html.unescape(match.group(1))


def log_in(client, *, level="hoch", next_url="/konto/", person="anna", method="hoch"):
    params = start(client, level=level, next_url=next_url)
    return client.post("/saml/acs/", {"SAMLResponse": idp_answer(client, params,
                                                                 person=person,
                                                                 method=method)})


def request_id(params) -> str:
    """The id of the AuthnRequest in the redirect binding's parameters."""
    xml = zlib.decompress(base64.b64decode(params["SAMLRequest"]), -15).decode()
    return re.search(r' ID="([^"]+)"', xml).group(1)


def forged(params, *, person="anna", level=LoginLevel.HOCH,
           sp_entity_id="http://testserver/saml/metadata/", sign_assertion=True) -> str:
    """A response the test IdP signs, with what the test changes."""
    request = RequestFactory().get("/")
    idp = test_idp.server(request)
    return test_idp.signed_response(
        idp, in_response_to=request_id(params), destination=ACS, sp_entity_id=sp_entity_id,
        person=test_idp.PERSONS_BY_KEY[person], level=level, sign_assertion=sign_assertion)
