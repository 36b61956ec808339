"""The multi-process run of `make cluster` (scripts/cluster.py), for real: nginx in front
of two gunicorn web processes, two workers, moto's S3 server, a scratch PostgreSQL
database, and the dog registration journey in the browser against all of it.

PostgreSQL only (SQLite is one machine's database), and only where nginx is installed
(`make test` installs it)."""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.skipif(not DATABASE_URL.startswith("postgres"),
                       reason="the cluster runs on PostgreSQL (set DATABASE_URL=postgres://…)"),
    pytest.mark.skipif(not (Path("/usr/sbin/nginx").exists() or
                            subprocess.run(["sh", "-c", "command -v nginx"],
                                           capture_output=True, check=False).returncode == 0),
                       reason="nginx is not installed (`make test` installs Debian's nginx)"),
]


def _load_cluster_script():
    from tests.e2e.conftest import load_cluster_script

    return load_cluster_script()


def _server_url() -> str:
    """The PostgreSQL server of this run, for the cluster's scratch database."""
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres")).replace(
        "postgres://", "postgresql://", 1)


@pytest.fixture(scope="module")
def cluster():
    with _load_cluster_script().Cluster(postgres_server=_server_url(), supervise=True) as running:
        running.wait_until_idle(timeout=300)
        yield running


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        return response.status, dict(response.headers), response.read()


def upstreams_in_nginx_log(cluster) -> list[str]:
    """The web process (address) that answered each request, from nginx's access log."""
    log = (cluster.var_dir / "nginx" / "access.log").read_text()
    return re.findall(r'"(127\.0\.0\.1:\d+)"', log)


def test_nginx_spreads_the_requests_over_both_web_processes(cluster):
    for _ in range(12):
        status, headers, _body = get(cluster.url + "/healthz")
        assert status == 200
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    answered = set(upstreams_in_nginx_log(cluster)[-12:])
    assert answered == {url.removeprefix("http://") for url in cluster.web_urls}



def test_each_web_process_reports_the_requests_of_all_its_gunicorn_workers(cluster):
    """Prometheus scrapes each web process: its answer is the sum over its gunicorn
    workers (multiprocess mode), and the cluster is ready (database, S3, workers)."""
    from prometheus_client.parser import text_string_to_metric_families

    def healthz_answered(web_url) -> float:
        text = get(web_url + "/metrics")[2].decode()
        return sum(sample.value for family in text_string_to_metric_families(text)
                   for sample in family.samples
                   if sample.name == "rathaus_http_requests_total"
                   and sample.labels["route"] == "healthz")

    web = cluster.web_urls[1]
    before = healthz_answered(web)
    for _ in range(20):  # spread over the process' two gunicorn workers
        assert get(web + "/healthz")[0] == 200
    assert healthz_answered(web) == before + 20
    assert get(cluster.url + "/readyz")[2] == b"ready"

def test_a_killed_web_process_costs_no_request(cluster):
    cluster.kill_web(0)
    try:
        for _ in range(12):
            assert get(cluster.url + "/")[0] == 200
    finally:
        cluster.start_web(0)  # the supervisor may have been first; then a no-op
    assert get(cluster.web_urls[0] + "/healthz")[0] == 200


def test_nginx_serves_the_static_files_with_a_long_cache_for_hashed_names(cluster):
    static = cluster.var_dir / "static"
    stylesheet = next(static.rglob("*.css")).relative_to(static)
    # The cluster runs in development mode, whose names are not hashed: one that is.
    hashed = static / "probe.0123456789ab.txt"
    hashed.write_text("the same for ever")
    before = len(upstreams_in_nginx_log(cluster))

    status, headers, body = get(f"{cluster.url}/static/{stylesheet}")
    assert status == 200 and body == (static / stylesheet).read_bytes()
    assert headers["Cache-Control"] == "max-age=3600"
    status, headers, body = get(f"{cluster.url}/static/{hashed.name}")
    assert status == 200 and body == b"the same for ever"
    assert "immutable" in headers["Cache-Control"]
    # Both from the disk: no web process was asked.
    assert len(upstreams_in_nginx_log(cluster)) == before


def test_the_storage_is_not_reachable_through_nginx(cluster):
    for path in ("/static/../storage/", "/storage/", "/media-not-served/"):
        try:
            status = get(cluster.url + path)[0]
        except urllib.error.HTTPError as error:
            status = error.code
        assert status in (400, 404), path


def test_the_documents_are_in_the_bucket_and_the_workers_did_the_work(cluster):
    """The demo's notices were issued by the workers (tasks), which filed them in the
    eAkte and the mailbox: both in the object store, nothing in a storage directory."""
    import boto3
    import psycopg

    s3 = boto3.client("s3", endpoint_url=cluster.s3_endpoint, region_name="us-east-1",
                      aws_access_key_id=cluster.env["RATHAUS_S3_ACCESS_KEY_ID"],
                      aws_secret_access_key=cluster.env["RATHAUS_S3_SECRET_ACCESS_KEY"])
    for prefix in ("records/", "mailbox/"):
        listed = s3.list_objects_v2(Bucket=cluster.bucket, Prefix=prefix)
        assert listed.get("KeyCount", 0) > 0, f"nothing under {prefix} in the bucket"
    assert not (cluster.var_dir / "storage").exists()

    with psycopg.connect(cluster.database_url.replace("postgres://", "postgresql://"),
                         autocommit=True) as conn:
        done = dict(conn.execute(
            "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
            "GROUP BY status").fetchall())
        workers = conn.execute(
            "SELECT COUNT(DISTINCT worker) FROM django_tasks_database_dbtaskresult, "
            "jsonb_array_elements_text(worker_ids) AS worker").fetchone()[0]
    assert done.get("SUCCESSFUL", 0) > 0, done
    assert not done.get("FAILED"), done
    assert workers >= 1


def test_the_dog_registration_journey_passes_against_the_cluster(tmp_path):
    """tests/e2e/test_dog_registration.py, unchanged in what it checks, in a pytest of
    its own with RATHAUS_E2E_CLUSTER=1: its fixtures start a cluster on that run's test
    database, and the browser goes through nginx."""
    name = urlsplit(DATABASE_URL).path.lstrip("/") or "rathaus"
    database = urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}_cluster_journey"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env |= {"RATHAUS_E2E_CLUSTER": "1", "DATABASE_URL": database}
    run = subprocess.run(  # noqa: S603 - our own test
        [sys.executable, "-m", "pytest", "tests/e2e/test_dog_registration.py", "--create-db",
         "-q", "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'journey'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert re.search(r"\b1 passed\b", output), output[-3000:]
