"""The staff login (password and code in one form) under the login rate limit."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, current_totp, make_department, make_staff, wrong_totp


@pytest.fixture
def tight(settings):
    """Below django-axes's five failures, so that the rate limit answers, not the lock-out."""
    settings.RATHAUS_RATE_LIMITS = {**settings.RATHAUS_RATE_LIMITS,
                                    "login": {"client": "4/m", "account": "2/m"}}


@pytest.fixture
def staff(town):
    return make_staff(town, departments=[make_department(town, slug="steueramt",
                                                         name="Steueramt")])


def _attempt(address, email, code):
    return Client(REMOTE_ADDR=address).post(
        "/verwaltung/anmelden/", {"username": email, "password": PASSWORD, "otp_token": code})


def test_staff_login_is_limited_per_account(staff, tight, rate_clock):
    user, device = staff
    for address in ("192.0.2.1", "192.0.2.2"):
        assert _attempt(address, user.email, wrong_totp(device)).status_code == 200
    response = _attempt("192.0.2.3", user.email, wrong_totp(device))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Zu viele Anfragen" in response.text
    assert user.email not in response.text


def test_staff_login_is_limited_per_address(staff, tight, rate_clock):
    user, device = staff
    for number in range(4):
        response = _attempt("192.0.2.1", f"person{number}@leichlingen.example", "123456")
        assert response.status_code == 200
    response = _attempt("192.0.2.1", user.email, wrong_totp(device))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Bitte versuchen Sie es in 1 Minute erneut." in response.text
    rate_clock.advance(60)
    assert _attempt("192.0.2.1", user.email, current_totp(device)).status_code == 302


def test_the_staff_login_form_itself_is_not_counted(staff, tight, rate_clock):
    client = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(10):
        assert client.get("/verwaltung/anmelden/").status_code == 200
