"""/.well-known/security.txt (RFC 9116) names each authority's own security contact."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from rathaus.authorities.models import Authority, validate_security_contact

PATH = "/.well-known/security.txt"


def _fields(response) -> dict[str, list[str]]:
    """The fields of a security.txt, as RFC 9116 section 3 reads them."""
    fields: dict[str, list[str]] = {}
    for line in response.content.decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(": ")
            fields.setdefault(name.lower(), []).append(value)
    return fields


def _security_txt(host):
    response = Client(HTTP_HOST=host).get(PATH)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return _fields(response)


@pytest.fixture
def contacts(town, district):
    Authority.objects.filter(pk=town.pk).update(
        security_contact="informationssicherheit@leichlingen.example")
    Authority.objects.filter(pk=district.pk).update(
        security_contact="https://www.rbk.example/sicherheitsluecke-melden")


def test_each_authority_names_its_own_contact(contacts):
    town = _security_txt("leichlingen.localhost")
    assert town["contact"] == ["mailto:informationssicherheit@leichlingen.example"]
    assert town["canonical"] == [f"http://leichlingen.localhost{PATH}"]
    district = _security_txt("rbk.localhost")
    assert district["contact"] == ["https://www.rbk.example/sicherheitsluecke-melden"]
    assert district["canonical"] == [f"http://rbk.localhost{PATH}"]


def test_the_required_fields_and_an_expiry_within_a_year(contacts):
    fields = _security_txt("leichlingen.localhost")
    assert fields["preferred-languages"] == ["de, en"]
    assert "policy" not in fields
    (expires,) = fields["expires"]
    moment = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(UTC)
    assert now + timedelta(days=364) < moment <= now + timedelta(days=365)


def test_an_authority_without_a_contact_gets_the_instances(town, settings):
    settings.RATHAUS_SECURITY_CONTACT = "cert@rechenzentrum.example"
    settings.RATHAUS_SECURITY_POLICY = "https://rechenzentrum.example/disclosure"
    fields = _security_txt("leichlingen.localhost")
    assert fields["contact"] == ["mailto:cert@rechenzentrum.example"]
    assert fields["policy"] == ["https://rechenzentrum.example/disclosure"]


def test_without_any_contact_there_is_no_security_txt(town, settings):
    settings.RATHAUS_SECURITY_CONTACT = ""
    assert Client(HTTP_HOST="leichlingen.localhost").get(PATH).status_code == 404


@pytest.mark.parametrize("value", ["sicherheit@stadt.example", "mailto:cert@stadt.example",
                                   "https://stadt.example/melden"])
def test_a_contact_is_an_email_address_or_an_https_address(value):
    validate_security_contact(value)


@pytest.mark.parametrize("value", ["http://stadt.example/melden", "Herr Meier",
                                   "ftp://stadt.example", "https://"])
def test_anything_else_is_refused_as_a_contact(value):
    with pytest.raises(ValidationError):
        validate_security_contact(value)


def test_the_demo_authorities_have_contacts():
    from rathaus.demo.data import AUTHORITIES

    for spec in AUTHORITIES:
        validate_security_contact(spec["security_contact"])
