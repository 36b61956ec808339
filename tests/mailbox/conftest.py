"""Delivering test messages and logging in, for the mailbox tests."""

import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox.services import NewAttachment, deliver_message
from tests.factories import PASSWORD

SUBJECT = "Hundesteuerbescheid für Bello"
BODY = "Sehr geehrte Frau Beispiel,\nfür Ihren Hund Bello setzen wir 96,00 Euro fest."
REFERENCE = "21-2026-0042"
PDF = b"%PDF-1.7\nBescheid-Inhalt Hundesteuer Bello 96,00 EUR\n%%EOF\n"
PDF_NAME = "Bescheid-Hundesteuer.pdf"
PORTAL = "http://leichlingen.localhost/"


@pytest.fixture(autouse=True)
def _storage_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "storage"


def deliver(authority, recipient, *, subject=SUBJECT, body=BODY, reference=REFERENCE,
            attachments=None):
    """As the notice worker does it: no request, only the authority's context."""
    if attachments is None:
        attachments = [NewAttachment(filename=PDF_NAME, media_type="application/pdf",
                                     content=PDF)]
    with authority_context(authority):
        return deliver_message(recipient=recipient, subject=subject, body=body,
                               attachments=attachments, reference=reference, link_for=PORTAL)


def logged_in(user, *, host="testserver") -> Client:
    client = Client(HTTP_HOST=host)
    response = client.post("/konto/anmelden/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


def message_url(message) -> str:
    return f"/konto/postfach/{message.pk}/"
