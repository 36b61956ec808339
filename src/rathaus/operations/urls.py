"""Probes and metrics: /healthz, /readyz and /metrics (docs/operations.md)."""

from django.urls import path

from . import metrics, probes

app_name = "operations"

urlpatterns = [
    path("healthz", probes.health, name="health"),
    path("readyz", probes.ready, name="ready"),
    path("metrics", metrics.metrics, name="metrics"),
]
