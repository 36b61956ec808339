"""Rathaus as a SAML 2.0 service provider (pysaml2, docs/decisions/0028).

The service provider's entity id is its metadata URL on the authority's host; the
identity provider's metadata comes from RATHAUS_SAML_IDP_METADATA (a file from the
IdP, e.g. BundID) or, outside production, from the test identity provider of
`test_idp`. Every AuthnRequest is signed; a response counts only when its assertion is
signed by the identity provider, meant for this service provider, in time, answers a
request of this session and was not seen before."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, AuthnContextClassRef
from saml2.samlp import RequestedAuthnContext
from saml2.sigver import SignatureError

from rathaus.accounts.login_levels import LoginLevel

from .keys import key_pair
from .levels import REQUESTED, reported_level
from .logins import Login, Refused

SIGNING_ALGORITHM = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
DIGEST_ALGORITHM = "http://www.w3.org/2001/04/xmlenc#sha256"


def entity_id(request) -> str:
    return request.build_absolute_uri(reverse("identity:metadata"))


def idp_metadata(request) -> dict:
    """pysaml2's `metadata` setting: the real IdP's file, else the test IdP's."""
    if settings.RATHAUS_SAML_IDP_METADATA:
        return {"local": [str(settings.RATHAUS_SAML_IDP_METADATA)]}
    if settings.RATHAUS_SAML_TEST_IDP:
        from .test_idp import metadata_xml  # the test IdP is part of this block

        return {"inline": [metadata_xml(request)]}
    return {}


def sp_config(request, *, with_idp: bool = True) -> SPConfig:
    key_file, cert_file = key_pair("sp", request.get_host())
    config = SPConfig()
    config.load({
        "entityid": entity_id(request),
        "xmlsec_binary": settings.RATHAUS_XMLSEC_BINARY,
        "key_file": str(key_file),
        "cert_file": str(cert_file),
        "metadata": idp_metadata(request) if with_idp else {},
        "accepted_time_diff": 60,
        "service": {"sp": {
            "name": "Rathaus",
            "endpoints": {"assertion_consumer_service": [
                (request.build_absolute_uri(reverse("identity:acs")), BINDING_HTTP_POST)]},
            "authn_requests_signed": True,
            "want_assertions_signed": True,
            "want_response_signed": False,
            "allow_unsolicited": False,
            "name_id_format": NAMEID_FORMAT_PERSISTENT,
            "signing_algorithm": SIGNING_ALGORITHM,
            "digest_algorithm": DIGEST_ALGORITHM,
        }},
    })
    return config


def metadata_xml(request) -> str:
    return create_metadata_string(None, sp_config(request, with_idp=False), sign=False
                                  ).decode()


def client(request) -> Saml2Client:
    return Saml2Client(config=sp_config(request))


def the_idp(saml_client: Saml2Client) -> str:
    idps = saml_client.metadata.identity_providers()
    if len(idps) != 1:
        raise Refused("configuration", f"{len(idps)} identity providers configured")
    return idps[0]


def authn_request(request, *, level: LoginLevel, relay_state: str) -> tuple[str, str]:
    """(request id, the IdP's URL carrying the signed AuthnRequest) for `level`."""
    saml_client = client(request)
    context = RequestedAuthnContext(
        authn_context_class_ref=[AuthnContextClassRef(text=REQUESTED[level])],
        comparison="minimum")
    request_id, info = saml_client.prepare_for_authenticate(
        entityid=the_idp(saml_client), relay_state=relay_state,
        binding=BINDING_HTTP_REDIRECT, sign=True, sigalg=SIGNING_ALGORITHM,
        digest_alg=DIGEST_ALGORITHM, requested_authn_context=context,
        nameid_format=NAMEID_FORMAT_PERSISTENT)
    location = dict(info["headers"])["Location"]
    return request_id, location


def _reason(error: Exception) -> str:
    text = str(error)
    if isinstance(error, SignatureError) and "missing" in text.lower():
        return "unsigned"
    name = type(error).__name__
    if name in {"SignatureError", "SigverError", "IncorrectlySigned", "BadSignature"}:
        return "signature"
    if "AudienceRestrictions" in text:
        return "audience"
    if name in {"ResponseLifetimeExceed", "ToEarly"}:
        return "expired"
    if name == "UnsolicitedResponse":
        return "unsolicited"
    if name == "StatusAuthnFailed" or name.startswith("Status"):
        return "status"
    return "invalid"


def verify_response(request, saml_response: str, outstanding: dict) -> Login:
    """The login a posted SAMLResponse carries, or Refused."""
    saml_client = client(request)
    try:
        response = saml_client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding)
    except Exception as error:  # pysaml2 raises many kinds; each is a refusal
        raise Refused(_reason(error), str(error)[:300]) from error
    if response is None:
        raise Refused("invalid", "no response")
    assertion = response.assertion
    if assertion is None or not assertion.signature:
        raise Refused("unsigned", "assertion without signature")
    name_id = response.name_id
    if name_id is None or name_id.format != NAMEID_FORMAT_PERSISTENT or not name_id.text:
        raise Refused("invalid", "no persistent name id")
    class_refs = [ref for statement in assertion.authn_statement
                  for ref in [statement.authn_context.authn_context_class_ref.text]]
    levels = [level for ref in class_refs if (level := reported_level(ref))]
    if not levels:
        raise Refused("level", f"unknown level {class_refs}")
    not_on_or_after = assertion.conditions.not_on_or_after if assertion.conditions else None
    if not not_on_or_after:
        raise Refused("expired", "assertion without NotOnOrAfter")
    expires_at = datetime.datetime.fromisoformat(not_on_or_after.replace("Z", "+00:00"))
    if expires_at <= timezone.now():
        raise Refused("expired", f"expired at {not_on_or_after}")
    return Login(
        issuer=response.issuer(), subject=name_id.text, level=min(levels, key=lambda x: x.rank),
        assertion_id=assertion.id, expires_at=expires_at,
        request_id=response.in_response_to, attributes=response.get_identity())
