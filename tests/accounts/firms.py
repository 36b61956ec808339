"""Helpers for the tests of the firm access (ADR 0041): a tiny service open to
undertakers, an admitted firm with its person, and a logged-in firm client."""

import re
from pathlib import Path

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.accounts.models import Firm, FirmMember, User
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog import registry
from rathaus.catalog.definitions import definition_from_data
from rathaus.catalog.services import offer_service
from tests.factories import PASSWORD, current_totp, make_department

FIRM_SERVICE = "firmentest"
FIRM_EMAIL = "bernd@wupperweg.example"


def _text(de: str) -> dict:
    return {"de": de, "en": de}


def firm_service_data() -> dict:
    return {
        "id": FIRM_SERVICE, "version": 1, "title": _text("Bestattung anmelden (Test)"),
        "summary": _text("Eine Bestattung anmelden."), "department": "friedhofsverwaltung",
        "minimum_login_level": "substanziell", "firms": ["undertaker"],
        "retention_years": 10,
        "file_plan": {"code": "55.10.01", "title": _text("Bestattungen")},
        "steps": [{"id": "firma", "title": _text("Firma"), "fields": [
            {"id": "firm_name", "type": "text", "required": True, "max_length": 200,
             "prefill": "firm_name", "label": _text("Firma"),
             "errors": {"required": _text("Geben Sie die Firma ein.")}},
            {"id": "firm_city", "type": "text", "required": False, "max_length": 100,
             "prefill": "firm_city", "label": _text("Ort der Firma")},
            {"id": "deceased", "type": "text", "required": True, "max_length": 200,
             "label": _text("Name der verstorbenen Person"),
             "errors": {"required": _text("Geben Sie den Namen ein.")}},
        ]}],
        "workflow": {"tasks": [{"id": "buchen", "department": "friedhofsverwaltung",
                                "title": _text("Bestattung buchen"), "due_days": 7,
                                "decides": True}]},
    }


def install_firm_service(monkeypatch, town):
    """The service in the registry (for this test) and offered by `town`, with its
    department; returns the Friedhofsverwaltung."""
    found = definition_from_data(firm_service_data(), source=Path("test/firmentest.yaml"))
    monkeypatch.setitem(registry._definitions, FIRM_SERVICE, found)
    department = make_department(town, slug="friedhofsverwaltung", name="Friedhofsverwaltung")
    with authority_context(town):
        offer_service(definition=found)
    return department


def make_firm(town, department, *, name="Bestattungshaus Wupperweg GmbH", email=FIRM_EMAIL,
              trade=Firm.Trade.UNDERTAKER):
    """An admitted firm with one person whose access is set up: `(firm, user, device)`."""
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, PASSWORD, first_name="Bernd", last_name="Bestatter", kind=User.Kind.FIRM,
        email_verified_at=timezone.now())
    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="test", confirmed=True))
    with authority_context(town):
        firm = Firm.objects.create(name=name, street="Wupperstraße 12", postcode="42799",
                                   city="Leichlingen", trade=trade,
                                   email="info@wupperweg.example", department=department)
        FirmMember.objects.create(firm=firm, user=user)
    return firm, user, device


def firm_logged_in(user, device) -> Client:
    client = Client()
    response = client.post("/konto/anmelden/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith("/konto/anmelden/code/")
    response = client.post("/konto/anmelden/code/", {"otp_token": current_totp(device)})
    assert response.status_code == 302, response.content
    return client


def invitation_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/konto/firmenzugang/[^/\s]+/)", body).group(1)
