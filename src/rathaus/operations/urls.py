"""Probes and metrics: /healthz, /readyz and /metrics (docs/operations.md)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from . import metrics, probes


def _probe(view):
    """GET and HEAD only (a POST gets 405). They are answered before the middleware
    stack's CSRF check and change nothing, so they need none."""
    return csrf_exempt(require_safe(view))


app_name = "operations"

urlpatterns = [
    path("healthz", _probe(probes.health), name="health"),
    path("readyz", _probe(probes.ready), name="ready"),
    path("metrics", _probe(metrics.metrics), name="metrics"),
]
