"""Schemathesis against the OGC API's own OpenAPI document (/ogc/api), through the
Django WSGI application: requests generated from every operation's parameters, and
every answer checked against what the document declares (status codes, content
types, schemas) and for server errors. Few examples, derandomized: the same requests
on every run, so that a failure can be repeated (docs/decisions/0025)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import DISPENSERS, PLAYGROUNDS, publish_csv

HOST = "leichlingen.localhost"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def ogc_schema(town, no_rate_limits):
    publish_csv(town, DISPENSERS)
    publish_csv(town, PLAYGROUNDS, name="spielplaetze", title="Spielplätze")
    # As Django's test client does: a request must not close the connection that holds
    # the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/ogc/api", get_wsgi_application(),
                                             headers={"Host": HOST})
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_ogc_api_answers_as_its_openapi_document_says(ogc_schema):
    # Each operation on its own (schemathesis' pytest plugin does not run on pytest 9),
    # every failure collected before the test fails.
    failures = []
    operations = [result.ok() for result in ogc_schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert {"GET /collections/spielplaetze/items", "GET /collections/spender/items"} <= labels
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers={"Host": HOST}, checks=CHECKS)

        try:
            check()
        except Exception as failure:  # noqa: BLE001 – collected, reported below
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)
