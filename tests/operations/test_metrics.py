"""Prometheus metrics at /metrics: only for allowed addresses; requests by route,
method and status, their durations, and what the database knows at each scrape
(docs/operations.md, "Health, metrics and logs")."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from rathaus.authorities.tenancy import authority_context
from rathaus.operations import heartbeat
from rathaus.outbound_email import send_email
from rathaus.records.models import CaseFile, Document
from tests.factories import dog_register

TOWN = "leichlingen.localhost"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def scrape(client=None, **extra) -> dict:
    response = (client or Client()).get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples}


def requests_counted(samples, route, method="GET", status="200") -> float:
    key = ("rathaus_http_requests_total",
           (("method", method), ("route", route), ("status", status)))
    return samples.get(key, 0.0)


def test_other_addresses_get_not_found(db):
    response = Client().get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert b"rathaus_" not in response.content


def test_behind_the_proxy_the_client_it_saw_counts(settings, db):
    settings.RATHAUS_PROXY_COUNT = 1
    outside = Client().get("/metrics", REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert outside.status_code == 404
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_networks_may_be_allowed(settings, db):
    settings.RATHAUS_METRICS_ALLOWED = ["10.20.0.0/16", "2001:db8::/32"]
    assert Client().get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="2001:db8::5").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 404
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_prometheus_scrapes_by_address(db):
    assert Client().get("/metrics", HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_requests_are_counted_by_route_never_by_path(town):
    client = Client()
    before = scrape()
    client.get("/impressum/", HTTP_HOST=TOWN)
    client.get("/vorgaenge/8d4bd6a4-0000-4000-8000-000000000000/", HTTP_HOST=TOWN)
    client.get("/gibt-es-nicht-4711/", HTTP_HOST=TOWN)
    client.post("/impressum/", HTTP_HOST=TOWN)
    after = scrape()

    assert requests_counted(after, "impressum/") == requests_counted(before, "impressum/") + 1
    assert (requests_counted(after, "impressum/", method="POST")
            == requests_counted(before, "impressum/", method="POST") + 1)
    assert (requests_counted(after, "vorgaenge/<uuid:case_id>/", status="302")
            == requests_counted(before, "vorgaenge/<uuid:case_id>/", status="302") + 1)
    assert (requests_counted(after, "unmatched", status="404")
            == requests_counted(before, "unmatched", status="404") + 1)
    text = Client().get("/metrics").content.decode()
    assert "8d4bd6a4" not in text and "gibt-es-nicht" not in text
    durations = ("rathaus_http_request_duration_seconds_count", (("route", "impressum/"),))
    assert after[durations] == before.get(durations, 0) + 2


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_TASKS


def test_the_queue_and_failed_tasks_are_read_at_each_scrape(database_queue, db):
    empty = scrape()
    assert empty[("rathaus_tasks", (("status", "READY"),))] == 0
    assert empty[("rathaus_tasks_oldest_ready_age_seconds", ())] == 0
    assert empty[("rathaus_metrics_database_up", ())] == 1

    with transaction.atomic():
        send_email.enqueue(to="a@example.org", subject="s", body="b")
        send_email.enqueue(to="b@example.org", subject="s", body="b")
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.first().pk).update(status="FAILED")
    queued = scrape()

    assert queued[("rathaus_tasks", (("status", "READY"),))] == 1
    assert queued[("rathaus_tasks", (("status", "RUNNING"),))] == 0
    assert queued[("rathaus_tasks_failed", ())] == 1
    assert queued[("rathaus_tasks_oldest_ready_age_seconds", ())] > 0


def test_notices_issued_by_authority_and_the_worker_seen(town, citizen):
    assert scrape()[("rathaus_worker_last_seen_seconds", ())] == float("inf")
    with authority_context(town):
        dog_register(citizen)("Nord", 1)
        case_file = CaseFile.objects.get()
        Document.objects.create(case_file=case_file, title="Bescheid", kind="notice")
        Document.objects.create(case_file=case_file, title="Antrag", kind="application")
    heartbeat.beat("worker-host:7")

    samples = scrape()
    assert samples[("rathaus_notices_issued", (("authority", "leichlingen"),))] == 1
    assert 0 <= samples[("rathaus_worker_last_seen_seconds", ())] < 60


SCRAPE = textwrap.dedent("""
    import sys, django
    django.setup()
    from rathaus.operations import metrics
    if sys.argv[1] == "count":
        metrics.REQUESTS.labels("impressum/", "GET", "200").inc()
        metrics.DURATION.labels("impressum/").observe(0.02)
    else:
        from prometheus_client import generate_latest
        sys.stdout.write(generate_latest(metrics._scrape_registry()).decode())
""")


def test_gunicorn_workers_add_up_in_multiprocess_mode(tmp_path):
    """Two processes count, a third answers the scrape with their sum."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rathaus.settings",
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "RATHAUS_VAR_DIR": str(tmp_path),
           # No database here: the collector says so, the processes' counts still come.
           "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", SCRAPE, "count"], env=env, check=True,
                       timeout=120)
    result = subprocess.run([sys.executable, "-c", SCRAPE, "scrape"], env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(result.stdout)
               for s in family.samples}
    assert requests_counted(samples, "impressum/") == 2
    assert samples[("rathaus_http_request_duration_seconds_count",
                    (("route", "impressum/"),))] == 2
    assert samples[("rathaus_metrics_database_up", ())] == 0
