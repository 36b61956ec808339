"""SECRET_KEY can be replaced without logging everyone out: the former key goes into
SECRET_KEY_FALLBACKS until what it signed has expired (docs/operations.md, "Key
rotation")."""

import base64
import os
import subprocess
import sys

from django.contrib.auth.tokens import default_token_generator
from django.core import signing

OLD_KEY = "old-secret-key-" + "o" * 50
NEW_KEY = "new-secret-key-" + "n" * 50
PRIVATE_PAGE = "/konto/meine-daten/"


def test_the_fallbacks_come_from_the_environment_comma_separated(tmp_path):
    env = {**os.environ, "RATHAUS_MODE": "production", "SECRET_KEY": NEW_KEY,
           "SECRET_KEY_FALLBACKS": f" {OLD_KEY}, older-key ,",
           "RATHAUS_MASTER_KEY": base64.b64encode(b"\0" * 32).decode(),
           "EMAIL_HOST": "mail.example", "RATHAUS_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "rathaus.settings"}
    probe = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"

    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, timeout=120)

    assert result.stdout.strip() == str([OLD_KEY, "older-key"]), result.stderr


def test_without_the_variable_there_are_no_fallbacks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY_FALLBACKS"}
    env.update(RATHAUS_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="rathaus.settings")
    probe = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"

    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, timeout=120)

    assert result.stdout.strip() == "[]", result.stderr


def test_a_session_of_the_old_key_stays_logged_in_while_the_old_key_is_a_fallback(
        settings, town, citizen_client):
    key_of_the_login = settings.SECRET_KEY
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [key_of_the_login]

    assert citizen_client.get(PRIVATE_PAGE).status_code == 200


def test_a_session_of_the_old_key_ends_once_the_fallback_is_removed(
        settings, town, citizen_client):
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = []

    response = citizen_client.get(PRIVATE_PAGE)

    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


def test_a_password_reset_link_of_the_old_key_still_works_during_the_rotation(
        settings, citizen):
    settings.SECRET_KEY = OLD_KEY
    token = default_token_generator.make_token(citizen)

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]
    assert default_token_generator.check_token(citizen, token)

    settings.SECRET_KEY_FALLBACKS = []
    assert not default_token_generator.check_token(citizen, token)


def test_a_value_signed_with_the_old_key_still_loads_during_the_rotation(settings):
    settings.SECRET_KEY = OLD_KEY
    signed = signing.dumps({"case": 42})

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    assert signing.loads(signed) == {"case": 42}
