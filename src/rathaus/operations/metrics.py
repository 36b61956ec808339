"""Prometheus metrics at /metrics, for the addresses in RATHAUS_METRICS_ALLOWED only.

Two kinds:
- what the web processes count themselves (requests by route, method and status, and
  their durations): cheap, no database query per request. With several gunicorn
  workers per web process, set PROMETHEUS_MULTIPROC_DIR (an empty directory at every
  start; `rathaus serve` makes one): every worker writes its counts there, and any of
  them answers the scrape with the sum;
- what the database knows (the queue, failed tasks, notices issued, the workers'
  heartbeat): read at every scrape by `DatabaseCollector`, so the figures are right
  whichever process answers.
"""

import ipaddress
import logging
import os
import time
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from rathaus.rate_limits.client_address import client_address
from rathaus.records.models import Document

from .heartbeat import last_seen_age

logger = logging.getLogger(__name__)

_PROCESS_REGISTRY = CollectorRegistry()
REQUESTS = Counter("rathaus_http_requests", "HTTP requests answered, by URL pattern, "
                   "method and status", ["route", "method", "status"],
                   registry=_PROCESS_REGISTRY)
DURATION = Histogram("rathaus_http_request_duration_seconds",
                     "Time to answer a request, by URL pattern", ["route"],
                     buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30),
                     registry=_PROCESS_REGISTRY)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
# Tasks not yet finished well; the operations migration indexes exactly these.
OPEN_STATUSES = (TaskResultStatus.READY, TaskResultStatus.RUNNING, TaskResultStatus.FAILED)


class MetricsMiddleware:
    """Counts every request by its URL pattern (never the path: it holds ids)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        began = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None and match.route else UNMATCHED
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        DURATION.labels(route).observe(time.perf_counter() - began)
        return response


class DatabaseCollector:
    """Gauges read from the database at each scrape."""

    def collect(self):
        try:
            families = list(_database_families())
        except Exception as error:  # noqa: BLE001 (the process's own metrics still count)
            logger.warning("Reading the metrics from the database failed: %s",
                           type(error).__name__)
            up = GaugeMetricFamily("rathaus_metrics_database_up",
                                   "1 if the database answered this scrape")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("rathaus_metrics_database_up",
                               "1 if the database answered this scrape")
        up.add_metric([], 1)
        yield up
        yield from families


def _database_families():
    counts = dict(DBTaskResult.objects.filter(status__in=OPEN_STATUSES)
                  .values_list("status").annotate(n=Count("pk")).order_by())
    queue = GaugeMetricFamily("rathaus_tasks", "Tasks waiting (READY) and being run "
                              "(RUNNING), by status", labels=["status"])
    for status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
        queue.add_metric([status.value], counts.get(status.value, 0))
    yield queue
    failed = GaugeMetricFamily("rathaus_tasks_failed", "Tasks that failed and wait for "
                               "staff to retry them")
    failed.add_metric([], counts.get(TaskResultStatus.FAILED.value, 0))
    yield failed
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    age = GaugeMetricFamily("rathaus_tasks_oldest_ready_age_seconds",
                            "How long the oldest task ready to run has waited (0: none)")
    age.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
    yield age
    notices = GaugeMetricFamily("rathaus_notices_issued", "Notices (Bescheide) issued, "
                                "by authority", labels=["authority"])
    for slug, n in (Document.all_authorities.filter(kind=Document.Kind.NOTICE)
                    .values_list("authority__slug").annotate(n=Count("pk")).order_by()):
        notices.add_metric([slug], n)
    yield notices
    seen = last_seen_age()
    worker = GaugeMetricFamily("rathaus_worker_last_seen_seconds",
                               "Seconds since a worker was last seen (+Inf: never)")
    worker.add_metric([], float("inf") if seen is None else seen)
    yield worker


_PROCESS_REGISTRY.register(DatabaseCollector())


def _scrape_registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return _PROCESS_REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(DatabaseCollector())
    return registry


@lru_cache(maxsize=8)
def _allowed_networks(setting: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in setting)


def allowed(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # a dual-stack socket's IPv4 client
        ip = ip.ipv4_mapped
    return any(ip in network
               for network in _allowed_networks(tuple(settings.RATHAUS_METRICS_ALLOWED)))


@never_cache
def metrics(request):
    # Behind a proxy (RATHAUS_PROXY_COUNT), the client it saw: a visitor from outside
    # is refused even when the proxy passes the URL on.
    if not allowed(client_address(request)):
        return HttpResponseNotFound("Not Found", content_type="text/plain")
    return HttpResponse(generate_latest(_scrape_registry()), content_type=CONTENT_TYPE_LATEST)
