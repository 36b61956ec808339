"""A local identity provider for the demo and the tests (pysaml2's saml2.server), with
fictional persons living in Leichlingen. It signs like a real one, with its own key in
RATHAUS_SAML_DIR, and is never mounted in production (settings refuse it there).
Every page it shows says "Test-Identität – keine echte Anmeldung"."""

import base64
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from rathaus.accounts.login_levels import LoginLevel

from . import provider
from .keys import key_pair
from .levels import REQUESTED

# The attributes as BundID names them (OIDs, NameFormat URI).
GIVEN_NAME = "urn:oid:2.5.4.42"
FAMILY_NAME = "urn:oid:2.5.4.4"
BIRTH_DATE = "urn:oid:1.3.6.1.5.5.7.9.1"
BIRTH_PLACE = "urn:oid:1.3.6.1.5.5.7.9.2"
STREET = "urn:oid:2.5.4.9"
POSTCODE = "urn:oid:2.5.4.17"
CITY = "urn:oid:2.5.4.7"


@dataclass(frozen=True)
class Person:
    key: str
    given_name: str
    family_name: str
    birth_date: str
    birth_place: str
    street: str
    postcode: str = "42799"
    city: str = "Leichlingen"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def attributes(self) -> dict:
        return {GIVEN_NAME: [self.given_name], FAMILY_NAME: [self.family_name],
                BIRTH_DATE: [self.birth_date], BIRTH_PLACE: [self.birth_place],
                STREET: [self.street], POSTCODE: [self.postcode], CITY: [self.city]}


# Fictional persons; any likeness to real residents is unintended.
PERSONS = [
    Person("anna", "Anna", "Testfrau", "1985-03-14", "Solingen", "Brückenstraße 12"),
    Person("bernd", "Bernd", "Probemann", "1972-11-02", "Leverkusen", "Am Büscherhof 3"),
    Person("clara", "Clara", "Musterer", "1999-07-21", "Köln", "Neukirchener Straße 40a"),
    Person("deniz", "Deniz", "Beispielzadeh", "1990-01-30", "Wuppertal", "Kirchstraße 7"),
    # Lives in the neighbouring town: moving to Leichlingen sends a Rückmeldung there.
    Person("emil", "Emil", "Zuzug", "1978-09-09", "Remscheid", "Hauptstraße 21",
           postcode="51399", city="Burscheid"),
]
PERSONS_BY_KEY = {person.key: person for person in PERSONS}

# How the test person proves who they are: the level the test IdP reports.
METHODS = [LoginLevel.HOCH, LoginLevel.SUBSTANZIELL, LoginLevel.BASISREGISTRIERUNG]


# One identity provider for every authority of the instance, as BundID is one for all:
# its name does not depend on the host the login runs on.
ENTITY_ID = "urn:rathaus:test-idp"


def entity_id(request) -> str:
    return ENTITY_ID


def idp_config(request) -> IdPConfig:
    key_file, cert_file = key_pair("test-idp", "Rathaus Test-IdP")
    config = IdPConfig()
    config.load({
        "entityid": entity_id(request),
        "xmlsec_binary": settings.RATHAUS_XMLSEC_BINARY,
        "key_file": str(key_file),
        "cert_file": str(cert_file),
        "metadata": {"inline": [provider.metadata_xml(request)]},
        "service": {"idp": {
            "name": "Rathaus Test-IdP",
            "endpoints": {"single_sign_on_service": [
                (request.build_absolute_uri(reverse("identity:test_idp_sso")),
                 BINDING_HTTP_REDIRECT)]},
            "want_authn_requests_signed": True,
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "policy": {"default": {
                "lifetime": {"minutes": 5},
                "name_form": NAME_FORMAT_URI,
                "sign_assertion": True,
                "sign_response": False,
            }},
            "signing_algorithm": provider.SIGNING_ALGORITHM,
            "digest_algorithm": provider.DIGEST_ALGORITHM,
        }},
    })
    return config


def server(request) -> Server:
    return Server(config=idp_config(request))


def metadata_xml(request) -> str:
    return create_metadata_string(None, idp_config(request), sign=False).decode()


class BadRequest(Exception):
    pass


def read_authn_request(request, params: dict):
    """The SP's AuthnRequest from the redirect binding's parameters, its signature
    checked against the SP's metadata."""
    idp = server(request)
    try:
        parsed = idp.parse_authn_request(
            params.get("SAMLRequest", ""), BINDING_HTTP_REDIRECT,
            relay_state=params.get("RelayState"), sigalg=params.get("SigAlg"),
            signature=params.get("Signature"))
    except Exception as error:  # any malformed or unsigned request
        raise BadRequest(str(error)) from error
    if parsed is None or not params.get("Signature"):
        raise BadRequest("unsigned request")
    return idp, parsed.message


def persistent_id(person: Person, sp_entity_id: str) -> str:
    """A stable pseudonym per person and service provider, as BundID gives. The service
    provider is the instance, known by its SAML key, whichever authority's host the
    login runs on: a citizen has one account on the instance (ADR 0003), so a district
    finds the account a town's portal handed an application over for."""
    _key_file, cert_file = key_pair("sp", "Rathaus")
    instance = hashlib.sha256(cert_file.read_bytes()).hexdigest()
    return hashlib.sha256(f"test-idp|{person.key}|{instance}".encode()).hexdigest()[:32]


def signed_response(idp: Server, *, in_response_to: str, destination: str, sp_entity_id: str,
                    person: Person, level: LoginLevel, sign_assertion: bool = True) -> str:
    """The SAMLResponse (base64) for `person` at `level`, its assertion signed (the tests
    leave the signature off to forge what an attacker would send)."""
    name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, sp_name_qualifier=sp_entity_id,
                     text=persistent_id(person, sp_entity_id))
    response = idp.create_authn_response(
        person.attributes(), in_response_to, destination, sp_entity_id,
        name_id=name_id, authn={"class_ref": REQUESTED[level]},
        sign_assertion=sign_assertion, sign_response=False,
        sign_alg=provider.SIGNING_ALGORITHM, digest_alg=provider.DIGEST_ALGORITHM)
    return base64.b64encode(str(response).encode()).decode()
