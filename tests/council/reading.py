"""Logging in to the reading room in the tests: at the portal, with the code."""

from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, current_totp

HOME = "/ratsinfo/mandat/"


def member_client(user, device=None) -> Client:
    """A client logged in at /konto/anmelden/ as `user`, with `device`'s code if the
    account has two factors. Each device's code counts once: one login per device and
    test."""
    client = Client()
    response = client.post("/konto/anmelden/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "password step failed"
    if device is not None:
        assert response["Location"] == "/konto/anmelden/code/"
        response = client.post("/konto/anmelden/code/", {"otp_token": current_totp(device)})
        assert response.status_code == 302, "code step failed"
    return client


def meeting_url(meeting) -> str:
    return f"{HOME}sitzungen/{meeting.uuid}/"


def paper_url(paper) -> str:
    return f"{HOME}vorlagen/{paper.uuid}/"


def file_url(council_file) -> str:
    return f"{HOME}dateien/{council_file.uuid}/"


def de(msgid: str) -> str:
    """The page text in German (whatever the catalogue holds now)."""
    with translation.override("de"):
        return translation.gettext(msgid)
