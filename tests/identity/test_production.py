"""The test identity provider never runs in production: the settings refuse it, and
without it neither its URLs nor its pages exist."""

import base64
import os
import subprocess
import sys

MASTER_KEY = base64.b64encode(b"\0" * 32).decode()

PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.urls import reverse, NoReverseMatch\n"
    "try:\n    reverse('identity:test_idp_sso'); print('mounted')\n"
    "except NoReverseMatch:\n    print('not mounted', settings.RATHAUS_SAML_TEST_IDP)\n"
)


def _production(tmp_path, **extra):
    env = {**{k: v for k, v in os.environ.items() if k != "RATHAUS_SAML_TEST_IDP"},
           "RATHAUS_MODE": "production", "SECRET_KEY": "k" * 60,
           "EMAIL_HOST": "mail.example", "RATHAUS_VAR_DIR": str(tmp_path),
           "RATHAUS_MASTER_KEY": MASTER_KEY, "DJANGO_SETTINGS_MODULE": "rathaus.settings",
           **extra}
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=120)


def test_production_does_not_mount_the_test_identity_provider(tmp_path):
    result = _production(tmp_path)

    assert result.stdout.split() == ["not", "mounted", "False"], result.stderr


def test_production_refuses_to_start_with_the_test_identity_provider(tmp_path):
    result = _production(tmp_path, RATHAUS_SAML_TEST_IDP="1")

    assert result.returncode != 0
    assert "RATHAUS_SAML_TEST_IDP" in result.stderr
