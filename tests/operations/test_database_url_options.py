"""The options of DATABASE_URL reach PostgreSQL: a data centre's `?sslmode=verify-full`
is not dropped for the prepared statements' options."""

import json
import os
import subprocess
import sys

PROBE = "from django.conf import settings; import json; " \
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"


def _options(tmp_path, **env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120,
        env={**os.environ, "RATHAUS_VAR_DIR": str(tmp_path),
             "DJANGO_SETTINGS_MODULE": "rathaus.settings", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_url_options_stay_beside_the_prepared_statements(tmp_path):
    options = _options(tmp_path, DATABASE_URL="postgres://rathaus:pw@db.rz.example:5432/"
                                              "rathaus?sslmode=verify-full")

    assert options == {"sslmode": "verify-full", "server_side_binding": True,
                       "prepare_threshold": 5}


def test_without_prepared_statements_the_url_options_alone(tmp_path):
    options = _options(tmp_path, DATABASE_PREPARED_STATEMENTS="0",
                       DATABASE_URL="postgres://rathaus:pw@db/rathaus?sslmode=require")

    assert options == {"sslmode": "require"}
