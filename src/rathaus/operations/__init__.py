"""Running Rathaus for a region: health and readiness, metrics, structured logs with
request ids, and backup and restore (docs/operations.md). Sits below the worker
(`background` reports its heartbeat here) and above the blocks it reports on."""
