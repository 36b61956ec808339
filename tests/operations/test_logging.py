"""Structured logs: one JSON object per line, and a request id that follows the request
into the tasks it enqueued (docs/operations.md, "Health, metrics and logs")."""

import json
import logging
import re

import pytest
from django.core.management import call_command
from django.test import Client

from rathaus.operations.log_format import JsonFormatter
from rathaus.operations.request_ids import RequestIdFilter, set_request_id
from tests.factories import send_application
from tests.operations.log_capture import every_log_line

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TOWN = "leichlingen.localhost"


def _record(message, *args, exc_info=None):
    record = logging.LogRecord("rathaus.test", logging.WARNING, __file__, 1, message, args,
                               exc_info)
    RequestIdFilter().filter(record)
    return record


def test_a_line_is_one_json_object_with_time_level_logger_message_and_request_id():
    token = set_request_id("abc-123")
    try:
        line = JsonFormatter().format(_record("Case %s decided.", "21.33.01-1"))
    finally:
        set_request_id(None)
        del token

    assert "\n" not in line
    fields = json.loads(line)
    assert fields["level"] == "WARNING"
    assert fields["logger"] == "rathaus.test"
    assert fields["message"] == "Case 21.33.01-1 decided."
    assert fields["request_id"] == "abc-123"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", fields["time"])
    assert "exception" not in fields


def test_an_exception_goes_into_the_same_line():
    try:
        raise ValueError("kaputt")
    except ValueError:
        import sys

        line = JsonFormatter().format(_record("Failed.", exc_info=sys.exc_info()))

    fields = json.loads(line)
    assert fields["request_id"] is None
    assert fields["exception"].startswith("Traceback")
    assert "ValueError: kaputt" in fields["exception"]


def test_the_settings_choose_json_in_production_and_plain_in_development(tmp_path):
    import base64
    import os
    import subprocess
    import sys

    probe = ("from django.conf import settings; "
             "print(settings.RATHAUS_LOG_FORMAT, settings.LOGGING['handlers']['console']"
             "['formatter'])")
    base = {**os.environ, "RATHAUS_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "rathaus.settings"}
    base.pop("RATHAUS_LOG_FORMAT", None)
    production = {**base, "RATHAUS_MODE": "production", "SECRET_KEY": "k" * 50,
                  "RATHAUS_MASTER_KEY": base64.b64encode(b"\0" * 32).decode(),
                  "EMAIL_HOST": "mail.example"}
    for env, expected in ((base, "plain plain"), (production, "json json"),
                          ({**production, "RATHAUS_LOG_FORMAT": "plain"}, "plain plain")):
        result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.stdout.strip() == expected, result.stderr


def test_the_request_id_of_the_proxy_comes_back(town):
    response = Client().get("/impressum/", HTTP_HOST=TOWN, HTTP_X_REQUEST_ID="f3a1.b-2_c")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "f3a1.b-2_c"


@pytest.mark.parametrize("sent", ["", "two words", "x" * 65, "ü", "a\nb"])
def test_an_id_that_is_not_a_plain_token_is_replaced(town, sent):
    response = Client().get("/impressum/", HTTP_HOST=TOWN, HTTP_X_REQUEST_ID=sent)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_every_request_gets_an_id_of_its_own(town):
    client = Client()
    first = client.get("/impressum/", HTTP_HOST=TOWN)["X-Request-ID"]
    second = client.get("/impressum/", HTTP_HOST=TOWN)["X-Request-ID"]
    assert first != second


def test_log_lines_written_during_a_request_carry_its_id(town):
    with every_log_line() as lines:
        Client().get("/gibt-es-nicht/", HTTP_HOST=TOWN, HTTP_X_REQUEST_ID="req-404")
    not_found = [json.loads(line) for line in lines if "Not Found" in line]
    assert not_found and {line["request_id"] for line in not_found} == {"req-404"}


@pytest.mark.django_db(transaction=True)
def test_the_tasks_a_request_enqueued_log_with_its_id(settings, dog_town, citizen_client):
    settings.TASKS = DATABASE_TASKS
    citizen_client.defaults["HTTP_X_REQUEST_ID"] = "send-4711"
    send_application(citizen_client)
    citizen_client.defaults.pop("HTTP_X_REQUEST_ID")

    with every_log_line() as lines:
        call_command("worker", "--batch", "--interval", "0")

    fields = [json.loads(line) for line in lines]
    task_lines = [f for f in fields if f["logger"] == "rathaus.tasks"]
    started = [f for f in task_lines if " started: " in f["message"]]
    ended = [f for f in task_lines if f.get("task_status") == "SUCCESSFUL"]
    assert started and len(ended) == len(started)
    # Every task the sending enqueued, and what those tasks enqueued in turn.
    assert {f["request_id"] for f in task_lines} == {"send-4711"}
    assert all(f["task"].startswith("rathaus.") and f["task_id"] for f in task_lines)
    assert all(isinstance(f["duration_ms"], float) for f in ended)
    # After the tasks, the worker's own lines have no request id.
    assert fields[-1]["request_id"] is None or fields[-1]["logger"] == "rathaus.tasks"
