import os
import subprocess
import sys

import pytest
from django.test import Client

MASTER_KEY = "bWFzdGVyLWtleS1mb3ItdGhlLWRlcGxveS1jaGVjayE="


def test_security_headers_on_every_page(town):
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_no_inline_script_or_style(town):
    html = Client().get("/konto/registrieren/").text
    assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_forms_are_protected_against_forgery(town, citizen):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/anmelden/", {"username": citizen.email, "password": "x"})
    assert response.status_code == 403
    assert "Formular" in response.text or "form" in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize("path", ["/gibt-es-nicht/", "/konto/bestaetigen/kaputt/"])
def test_error_pages_are_in_the_portal_style_without_technical_details(town, path):
    response = Client().get(path)
    assert response.status_code in (400, 404)
    assert "site-header" in response.text
    assert "Traceback" not in response.text


def test_server_error_page_hides_the_stack_trace(town, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    from unittest import mock

    with mock.patch("rathaus.portal.views.published_services", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert "boom" not in response.text and "Traceback" not in response.text
    assert "site-footer" in response.text


def test_production_mode_passes_the_deployment_check(tmp_path):
    env = {
        **os.environ,
        "RATHAUS_MODE": "production",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "rathaus.example",
        "EMAIL_HOST": "mail.example",
        "RATHAUS_VAR_DIR": str(tmp_path),
        "RATHAUS_MASTER_KEY": MASTER_KEY,
    }
    result = subprocess.run(
        [sys.executable, "-m", "rathaus", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(RATHAUS_MODE="production", EMAIL_HOST="mail.example",
               RATHAUS_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "rathaus", "check"], env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_cookies_are_secure(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    env = {**os.environ, "RATHAUS_MODE": "production", "SECRET_KEY": "k" * 60,
           "EMAIL_HOST": "mail.example", "RATHAUS_VAR_DIR": str(tmp_path),
           "RATHAUS_MASTER_KEY": MASTER_KEY, "DJANGO_SETTINGS_MODULE": "rathaus.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "False"], result.stderr


COOKIE_PROBE = """
import django
django.setup()
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory, override_settings

def view(request):
    get_token(request)
    request.session["probe"] = 1
    return HttpResponse()

# Signed-cookie sessions need no database; the cookie's attributes are the same.
with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
    response = SessionMiddleware(CsrfViewMiddleware(view))(RequestFactory().get("/", secure=True))
for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
    print(response.cookies[name].output())
"""


def test_production_cookies_carry_the_host_prefix(tmp_path):
    env = {**os.environ, "RATHAUS_MODE": "production", "SECRET_KEY": "k" * 60,
           "EMAIL_HOST": "mail.example", "RATHAUS_VAR_DIR": str(tmp_path),
           "RATHAUS_MASTER_KEY": MASTER_KEY, "DJANGO_SETTINGS_MODULE": "rathaus.settings"}
    result = subprocess.run([sys.executable, "-c", COOKIE_PROBE], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    session, csrf = result.stdout.splitlines()
    assert session.startswith("Set-Cookie: __Host-sessionid=")
    assert csrf.startswith("Set-Cookie: __Host-csrftoken=")
    for cookie in (session, csrf):
        attributes = [a.strip().lower() for a in cookie.split(";")]
        assert "secure" in attributes and "path=/" in attributes
        assert not any(a.startswith("domain") for a in attributes)


def test_development_keeps_the_plain_cookie_names(settings):
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
