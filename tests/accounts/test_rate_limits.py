"""Rate limits on the citizen account's doors (issue 11): login with its code step,
registration (which also sends confirmation links again), password reset and the
links from e-mails; per client address and per account, with the German 429 page."""

import pytest
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD, current_totp, make_citizen, make_totp_device, wrong_totp

REGISTRATION = {"first_name": "Bettina", "last_name": "Beispiel", "password": PASSWORD,
                "password_repeat": PASSWORD, "privacy": "on"}


def _from(address: str, **headers) -> Client:
    return Client(REMOTE_ADDR=address, **headers)


def _login(client, email, password=PASSWORD):
    return client.post("/konto/anmelden/", {"username": email, "password": password})


def _assert_refused(response, *, retry_after: int, wait: str):
    assert response.status_code == 429
    assert response["Retry-After"] == str(retry_after)
    assert "Zu viele Anfragen" in response.text
    assert wait in response.text


def test_login_counts_every_attempt_per_account_from_any_address(town, citizen, rate_clock):
    for number in range(5):  # successful ones count too
        assert _login(_from(f"192.0.2.{number + 1}"), citizen.email).status_code == 302
    rate_clock.advance(15)
    response = _login(_from("198.51.100.7"), citizen.email)
    _assert_refused(response, retry_after=45, wait="Bitte versuchen Sie es in 45 Sekunden erneut.")
    assert citizen.email not in response.text and "198.51.100.7" not in response.text
    rate_clock.advance(45)  # the window is over
    assert _login(_from("198.51.100.7"), citizen.email).status_code == 302


def test_login_counts_every_attempt_per_address_whatever_the_account(town, rate_clock):
    people = [make_citizen(f"person{number}@example.org") for number in range(11)]
    client = _from("192.0.2.10")
    for person in people[:10]:
        assert _login(client, person.email).status_code == 302
    response = _login(client, people[10].email)
    _assert_refused(response, retry_after=60, wait="Bitte versuchen Sie es in 1 Minute erneut.")
    # Another address is not affected.
    assert _login(_from("192.0.2.11"), people[10].email).status_code == 302


def test_an_account_locked_out_by_axes_keeps_the_lockout_page(town, citizen, rate_clock,
                                                              settings):
    """The rate limit leaves locked-out requests to django-axes: same page, same count."""
    from axes.models import AccessAttempt

    client = _from("192.0.2.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, citizen.email, "falsch")
    for _ in range(3):  # beyond the rate limit of 5 per minute
        response = _login(client, citizen.email)
        assert response.status_code == 429
        assert "Retry-After" not in response
        assert "15 Minuten" in response.text
    failures = AccessAttempt.objects.get(ip_address="192.0.2.1").failures_since_start
    assert failures == settings.AXES_FAILURE_LIMIT + 3


def test_the_code_step_counts_for_the_same_account(town, citizen, rate_clock):
    device = make_totp_device(citizen)
    client = _from("192.0.2.1")
    assert _login(client, citizen.email).status_code == 302  # attempt 1: the password
    for _ in range(4):  # attempts 2 to 5: wrong codes
        response = client.post("/konto/anmelden/code/", {"otp_token": wrong_totp(device)})
        assert response.status_code == 200
    response = client.post("/konto/anmelden/code/", {"otp_token": current_totp(device)})
    _assert_refused(response, retry_after=60, wait="1 Minute")
    rate_clock.advance(60)
    device.refresh_from_db()
    device.throttle_reset()  # django-otp's own delay after wrong codes, in real time
    response = client.post("/konto/anmelden/code/", {"otp_token": current_totp(device)})
    assert response.status_code == 302


def test_the_page_speaks_english_when_asked(town, citizen, rate_clock):
    for _ in range(5):
        _login(_from("192.0.2.1"), citizen.email)
    response = _login(_from("192.0.2.1", HTTP_ACCEPT_LANGUAGE="en"), citizen.email)
    assert response.status_code == 429
    assert "Too many requests" in response.text
    assert "Please try again in 1 minute." in response.text


def test_registration_per_address_also_limits_new_confirmation_links(town, rate_clock,
                                                                     mailoutbox):
    for number in range(3):
        response = _from(f"192.0.2.{number + 1}").post(
            "/konto/registrieren/", {**REGISTRATION, "email": "bettina@example.org"})
        assert response.status_code == 302
    assert len(mailoutbox) == 3  # the first link, then two new ones
    response = _from("192.0.2.9").post("/konto/registrieren/",
                                       {**REGISTRATION, "email": "Bettina@example.org"})
    _assert_refused(response, retry_after=3600, wait="60 Minuten")
    assert len(mailoutbox) == 3


def test_registration_per_client_address(town, rate_clock, mailoutbox):
    client = _from("192.0.2.1")
    for number in range(5):
        response = client.post("/konto/registrieren/",
                               {**REGISTRATION, "email": f"person{number}@example.org"})
        assert response.status_code == 302
    rate_clock.advance(3600 - 90)
    response = client.post("/konto/registrieren/",
                           {**REGISTRATION, "email": "person9@example.org"})
    _assert_refused(response, retry_after=90, wait="2 Minuten")
    assert len(mailoutbox) == 5
    assert client.get("/konto/registrieren/").status_code == 200  # the form itself is free


def test_password_reset_per_address_and_per_client(town, citizen, rate_clock, mailoutbox):
    for number in range(3):
        response = _from(f"192.0.2.{number + 1}").post("/konto/passwort/vergessen/",
                                                       {"email": citizen.email})
        assert response.status_code == 302
    response = _from("192.0.2.9").post("/konto/passwort/vergessen/", {"email": citizen.email})
    _assert_refused(response, retry_after=3600, wait="60 Minuten")
    assert len(mailoutbox) == 3

    client = _from("198.51.100.1")
    for number in range(5):
        assert client.post("/konto/passwort/vergessen/",
                           {"email": f"n{number}@example.org"}).status_code == 302
    response = client.post("/konto/passwort/vergessen/", {"email": "n9@example.org"})
    _assert_refused(response, retry_after=3600, wait="60 Minuten")


def test_password_reset_links_are_limited_per_account(town, citizen, rate_clock):
    uid = urlsafe_base64_encode(force_bytes(citizen.pk))
    link = f"/konto/passwort/neu/{uid}/guessed-token/"
    for number in range(10):
        assert _from(f"192.0.2.{number + 1}").get(link).status_code == 200
    _assert_refused(_from("192.0.2.99").get(link), retry_after=3600, wait="60 Minuten")


@pytest.mark.parametrize("path", ["/konto/bestaetigen/{n}/",
                                  "/konto/passwort/neu/{n}/set-password/"])
def test_links_from_emails_are_limited_per_client(town, rate_clock, path):
    client = _from("192.0.2.1")
    for number in range(20):
        assert client.get(path.format(n=f"guess{number}")).status_code in (200, 400)
    response = client.get(path.format(n="guess20"))
    _assert_refused(response, retry_after=3600, wait="60 Minuten")
