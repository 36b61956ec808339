"""The SAML login through the test identity provider: level hoch, the account of the
persistent id, what the ID card said, and the step-up that returns to the page."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.db import transaction

from rathaus.accounts.login_levels import LoginLevel
from rathaus.accounts.models import User
from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog import registry
from rathaus.catalog.definitions import ServiceDefinition
from rathaus.forms.models import Draft
from rathaus.identity.models import ExternalIdentity, IdCardData
from tests.factories import citizen_logged_in

from .saml_helpers import idp_answer, log_in, start

pytestmark = pytest.mark.django_db


def _level(client):
    return client.session.get("rathaus_login_level")


def test_a_login_through_the_test_identity_provider_reaches_level_hoch(town, client):
    response = log_in(client, next_url="/konto/")

    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    assert _level(client) == "hoch"
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert (user.first_name, user.last_name, user.is_citizen) == ("Anna", "Testfrau", True)
    assert not user.has_usable_password()
    card = IdCardData.objects.get(user=user)
    assert (card.given_name, card.family_name, card.birth_place) == ("Anna", "Testfrau",
                                                                     "Solingen")
    assert card.birth_date == datetime.date(1985, 3, 14)
    assert (card.street, card.house_number, card.postcode, card.city) == (
        "Brückenstraße", "12", "42799", "Leichlingen")
    assert card.level == "hoch"
    with authority_context(town):
        assert AuditEntry.objects.filter(action="identity.login", actor=user).exists()


def test_the_same_person_finds_the_same_account_again(town, client, django_user_model):
    log_in(client)
    first = client.session["_auth_user_id"]
    client.logout()
    log_in(client)

    assert client.session["_auth_user_id"] == first
    assert ExternalIdentity.objects.count() == 1


def test_another_person_gets_another_account(town, client):
    log_in(client, person="anna")
    client.logout()
    log_in(client, person="bernd")

    assert User.objects.filter(first_name__in=["Anna", "Bernd"]).count() == 2


def test_a_lower_level_reported_by_the_idp_is_the_session_level(town, client):
    log_in(client, method="substanziell")

    assert _level(client) == "substanziell"


@pytest.fixture
def hoch_service(dog_service):
    original = registry.definition("hundeanmeldung")
    registry._definitions["hundeanmeldung"] = ServiceDefinition(
        **{**original.__dict__, "minimum_login_level": "hoch"})
    yield
    registry._definitions["hundeanmeldung"] = original


def test_step_up_sends_to_the_idp_and_back_to_the_service(hoch_service, citizen, town):
    client = citizen_logged_in(citizen)
    refused = client.post("/leistungen/hundeanmeldung/beantragen/")
    assert refused.status_code == 403
    link = unquote(re.search(r'href="(/saml/anmelden/\?[^"]+)"', refused.text).group(1)
                   ).replace("&amp;", "&")
    assert "level=hoch" in link and "next=/leistungen/hundeanmeldung/" in link

    to_idp = client.get(link)
    params = dict(p.split("=", 1) for p in to_idp["Location"].split("?", 1)[1].split("&"))
    params = {key: unquote(value) for key, value in params.items()}
    back = client.post("/saml/acs/", {"SAMLResponse": idp_answer(client, params)})

    assert back.status_code == 302
    assert back["Location"] == "/leistungen/hundeanmeldung/"
    assert _level(client) == "hoch"
    # The citizen who stepped up is still the same account, now linked to the ID card.
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert ExternalIdentity.objects.get().user == citizen
    assert client.post("/leistungen/hundeanmeldung/beantragen/").status_code == 302
    with authority_context(town):
        assert Draft.objects.filter(user=citizen).exists()


def test_a_lower_level_than_the_service_needs_does_not_open_it(hoch_service, citizen, town):
    client = citizen_logged_in(citizen)
    log_in(client, level="hoch", method="substanziell",
           next_url="/leistungen/hundeanmeldung/")

    assert client.post("/leistungen/hundeanmeldung/beantragen/").status_code == 403


def test_a_return_path_to_another_site_is_not_followed(town, client):
    response = log_in(client, next_url="https://evil.example/")

    assert response["Location"] == "/konto/"


def test_the_id_card_data_is_offered_only_at_its_level(town, client, rf):
    from rathaus.identity.services import from_id_card

    log_in(client)
    user = User.objects.get(pk=client.session["_auth_user_id"])
    request = rf.get("/")
    request.session = {"rathaus_login_level": str(LoginLevel.HOCH)}
    assert from_id_card(request, user).family_name == "Testfrau"
    request.session = {"rathaus_login_level": str(LoginLevel.BASISREGISTRIERUNG)}
    assert from_id_card(request, user) is None


def test_the_metadata_announces_signed_requests_and_wants_signed_assertions(town, client):
    response = client.get("/saml/metadata/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    text = response.text
    assert 'entityID="http://testserver/saml/metadata/"' in text
    assert 'AuthnRequestsSigned="true"' in text
    assert 'WantAssertionsSigned="true"' in text
    assert 'use="signing"' in text
    assert "http://testserver/saml/acs/" in text


def test_the_authn_request_is_signed_and_asks_for_the_level(town, client):
    params = start(client, level="hoch")

    assert params["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    assert params["Signature"]
    page = client.get("/saml/test-idp/sso/", params)
    assert page.status_code == 200
    assert "Test-Identität – keine echte Anmeldung" in page.text


def test_the_test_idp_refuses_a_request_whose_signature_does_not_match(town, client):
    params = start(client, level="hoch")
    other = start(client, level="substanziell")
    params["SAMLRequest"] = other["SAMLRequest"]  # another request under this signature

    response = client.get("/saml/test-idp/sso/", params)
    assert response.status_code == 400
    assert "Test-Identität – keine echte Anmeldung" in response.text


def test_every_test_idp_page_says_it_is_a_test(town, client):
    params = start(client)
    chosen = client.post("/saml/test-idp/sso/", {**params, "person": "clara",
                                                 "method": "hoch"})
    wrong = client.post("/saml/test-idp/sso/", {**params, "person": "nobody",
                                                "method": "hoch"})
    for page in (client.get("/saml/test-idp/sso/", params), chosen, wrong,
                 client.get("/saml/test-idp/sso/")):
        assert "Test-Identität – keine echte Anmeldung" in page.text


def test_the_test_idp_is_not_served_in_production(town, client, settings):
    params = start(client)
    settings.PRODUCTION = True

    assert client.get("/saml/test-idp/sso/", params).status_code == 404
    assert client.get("/saml/test-idp/metadata/").status_code == 404


def test_without_an_identity_provider_the_login_is_not_offered(town, client, settings,
                                                              hoch_service, citizen):
    settings.RATHAUS_SAML_TEST_IDP = False
    settings.RATHAUS_SAML_IDP_METADATA = ""

    assert client.get("/saml/anmelden/").status_code == 404
    refused = citizen_logged_in(citizen).post("/leistungen/hundeanmeldung/beantragen/")
    assert "/saml/anmelden/" not in refused.text


def test_a_real_idp_metadata_file_is_used_instead_of_the_test_idp(town, client, settings,
                                                                 tmp_path):
    from django.test import RequestFactory

    from rathaus.identity import test_idp

    request = RequestFactory().get("/")
    real = tmp_path / "idp.xml"
    real.write_text(test_idp.metadata_xml(request).replace(
        "http://testserver/saml/test-idp/sso/", "https://idp.example/sso"))
    settings.RATHAUS_SAML_IDP_METADATA = str(real)
    settings.RATHAUS_SAML_TEST_IDP = False

    response = client.get("/saml/anmelden/")
    assert response["Location"].startswith("https://idp.example/sso?SAMLRequest=")


def test_a_new_account_starts_with_the_id_cards_details_and_no_e_mail(town, client):
    log_in(client, person="deniz")
    user = User.objects.get(pk=client.session["_auth_user_id"])

    assert not user.has_email
    profile = user.profile
    assert (profile.street, profile.house_number, profile.postcode, profile.city) == (
        "Kirchstraße", "7", "42799", "Leichlingen")
    assert profile.date_of_birth == datetime.date(1990, 1, 30)
    page = client.get("/konto/")
    assert "keine (Konto des Online-Ausweises)" in page.text
    assert "konto.invalid" not in page.text


def test_a_mailbox_message_to_an_account_without_e_mail_sends_no_e_mail(town, client,
                                                                       mailoutbox):
    from rathaus.mailbox.services import deliver_message

    log_in(client)
    user = User.objects.get(pk=client.session["_auth_user_id"])
    with authority_context(town), transaction.atomic():
        deliver_message(recipient=user, subject="Test", body="Hallo", link_for="/konto/")
    assert mailoutbox == []


def test_logins_are_rate_limited_per_client(town, client, settings, rate_clock):
    # Each start signs with the provider's key and each answer is verified by an xmlsec1
    # process: a client sending many is refused before any of that work is done.
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS, "saml": {"client": "2/m"}}
    log_in(client)  # one start, one answer
    refused = client.get("/saml/anmelden/", {"level": "hoch", "next": "/konto/"})
    assert refused.status_code == 429
    assert client.post("/saml/acs/", {"SAMLResponse": "x"}).status_code == 429
    rate_clock.advance(61)
    assert client.get("/saml/anmelden/", {"level": "hoch"}).status_code == 302
