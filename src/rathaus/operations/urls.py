"""Probes and metrics: /healthz, /readyz and /metrics (docs/operations.md)."""

urlpatterns: list = []
