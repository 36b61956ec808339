import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.accounts.login_levels import SESSION_KEY
from tests.factories import (
    PASSWORD,
    citizen_logged_in,
    current_totp,
    make_department,
    make_staff,
    make_totp_device,
    wrong_totp,
)


def _login(client, email, password=PASSWORD):
    return client.post("/konto/anmelden/", {"username": email, "password": password})


def test_wrong_password_gets_a_message(town, citizen):
    response = _login(Client(), citizen.email, "falsch")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in Client().session


def test_repeated_failures_lock_the_account_with_a_clear_message(town, citizen, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, citizen.email, "falsch").status_code == 200
    response = _login(client, citizen.email, "falsch")
    assert response.status_code == 429
    assert "15" in response.text
    # Even the right password does not open a locked account.
    response = _login(client, citizen.email)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_staff_account_cannot_use_the_citizen_login(town):
    department = make_department(town, slug="steueramt", name="Steueramt")
    staff, _ = make_staff(town, departments=[department])
    response = _login(Client(), staff.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def test_my_account_needs_a_login(town):
    response = Client().get("/konto/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/?next=/konto/")


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(town, citizen):
    client = Client()
    response = client.post(
        "/konto/anmelden/",
        {"username": citizen.email, "password": PASSWORD, "next": "/konto/daten/"},
    )
    assert response["Location"] == "/konto/daten/"
    client = Client()
    response = client.post(
        "/konto/anmelden/",
        {"username": citizen.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/konto/"


def test_login_with_a_next_that_is_no_path_returns_to_my_account(town, citizen):
    # Found by the hostile-input crawl: a bare word was taken for a view name (500).
    for target in ("🐕", "konto", "javascript:alert(1)"):
        response = Client().post("/konto/anmelden/", {
            "username": citizen.email, "password": PASSWORD, "next": target})
        assert response.status_code == 302 and response["Location"] == "/konto/"


def test_citizen_switches_on_totp_and_then_needs_the_code(town, citizen):
    client = Client()
    _login(client, citizen.email)
    page = client.get("/konto/zwei-faktor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=citizen, confirmed=False)
    response = client.post("/konto/zwei-faktor/",
                           {"otp_token": wrong_totp(device), "password": PASSWORD})
    assert response.status_code == 200
    # django-otp throttles after a wrong code; a person would simply try again a moment later.
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/konto/zwei-faktor/",
                           {"otp_token": current_totp(device), "password": PASSWORD})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    client = Client()
    response = _login(client, citizen.email)
    assert response["Location"] == "/konto/anmelden/code/"
    assert client.get("/konto/").status_code == 302, "not logged in before the code"
    assert client.post("/konto/anmelden/code/", {"otp_token": "123456"}).status_code == 200
    # The code used to confirm the device is spent (no replay) and the wrong one throttled:
    # let the clock move on, as it would for a person.
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    device.throttle_reset()
    response = client.post("/konto/anmelden/code/", {"otp_token": current_totp(device)})
    assert response.status_code == 302
    assert client.get("/konto/").status_code == 200


def test_a_locked_account_is_refused_at_the_code_step_even_with_the_right_code(
    town, citizen, settings
):
    device = make_totp_device(citizen)
    client = Client()
    assert _login(client, citizen.email)["Location"] == "/konto/anmelden/code/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/konto/anmelden/code/", {"otp_token": wrong_totp(device)})
    # django-otp's own throttle would refuse the next code too; without it, the lock-out
    # alone must keep the door shut.
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/konto/anmelden/code/", {"otp_token": current_totp(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert SESSION_KEY not in client.session


def test_switching_two_factor_off_needs_the_current_password(town, citizen):
    client = citizen_logged_in(citizen)
    make_totp_device(citizen)
    for form in ({"action": "disable"}, {"action": "disable", "password": "falsch"}):
        response = client.post("/konto/zwei-faktor/", form)
        assert response.status_code == 200
        assert response.context["form"].errors["password"]
        assert TOTPDevice.objects.filter(user=citizen, confirmed=True).exists()
    response = client.post("/konto/zwei-faktor/", {"action": "disable", "password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=citizen).exists()


def test_switching_two_factor_on_needs_the_current_password(town, citizen):
    client = citizen_logged_in(citizen)
    client.get("/konto/zwei-faktor/")
    device = TOTPDevice.objects.get(user=citizen, confirmed=False)
    for form in ({}, {"password": "falsch"}):
        device.refresh_from_db()
        device.throttle_reset()
        response = client.post("/konto/zwei-faktor/", {"otp_token": current_totp(device), **form})
        assert response.status_code == 200
        assert response.context["form"].errors["password"]
        assert not TOTPDevice.objects.filter(user=citizen, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/konto/zwei-faktor/",
                           {"otp_token": current_totp(device), "password": PASSWORD})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=citizen, confirmed=True).count() == 1


def test_staff_cannot_switch_off_their_second_factor(town):
    from rathaus.accounts import services
    from rathaus.accounts.permissions import NotPermitted

    staff, device = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                                  name="Steueramt")])
    with pytest.raises(NotPermitted):
        services.disable_totp(user=staff, password=PASSWORD)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_qr_code_for_the_authenticator_app_is_an_image_a_browser_shows(town, citizen):
    # An <img> from a data URI needs a standalone SVG document, namespace included;
    # the inline form segno also writes shows as a broken image.
    import xml.etree.ElementTree as ET
    from urllib.parse import unquote

    response = citizen_logged_in(citizen).get("/konto/zwei-faktor/")
    uri = response.context["qr"]
    assert uri.startswith("data:image/svg+xml")
    document = ET.fromstring(unquote(uri.split(",", 1)[1]))
    assert document.tag == "{http://www.w3.org/2000/svg}svg"
    assert 'class="totp-qr"' in response.text
