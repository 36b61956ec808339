"""The `rathaus` command: `rathaus serve`, `rathaus setup`, `rathaus audit verify`,
and every Django management command (`rathaus migrate`, `rathaus db_worker` …)."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rathaus", *argv])


def setup() -> None:
    """Bring the database up to date and load the demo once."""
    _django(["migrate", "--no-input", "-v", "0"])
    _django(["collectstatic", "--no-input", "-v", "0"])
    _django(["load_demo"])
    # Service definition files may have changed since the services were last saved.
    _django(["rebuild_search_index", "-v", "0"])
    # Documents filed before the eAkte's search existed, or whose text is not read yet.
    _django(["index_documents", "-v", "0"])


def serve(argv: list[str]) -> int:
    """Web server and background worker together, until Ctrl-C."""
    bind = os.environ.get("RATHAUS_BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    # One thread per worker (gunicorn's sync worker) unless asked for more: measured
    # under load it takes less CPU per request and has shorter tail latencies than 2 or
    # 4 threads contending for the GIL. Slow clients are the reverse proxy's to buffer.
    threads = os.environ.get("RATHAUS_WEB_THREADS", "1")
    web_cmd = [
        sys.executable, "-m", "gunicorn", "rathaus.wsgi:application",
        "--bind", bind, "--workers", workers, "--threads", threads,
        "--access-logfile", "-", *argv,
    ]
    worker_cmd = [sys.executable, "-m", "rathaus", "worker", "--interval", "0.5"]
    metrics_dir, own_metrics_dir = _metrics_dir()
    web_env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": metrics_dir}
    web = subprocess.Popen(web_cmd, env=web_env)  # noqa: S603
    worker = subprocess.Popen(worker_cmd)  # noqa: S603
    print(f"Rathaus läuft auf http://{bind}/ — beenden mit Strg+C.", flush=True)

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            if web.poll() is not None:
                break
            if worker.poll() is not None:
                # The queue lives in the database, so a restarted worker loses nothing.
                print("Worker stopped; starting it again.", file=sys.stderr, flush=True)
                worker = subprocess.Popen(worker_cmd)  # noqa: S603
            time.sleep(0.5)
    finally:
        for process in (worker, web):
            if process.poll() is None:
                process.terminate()
        for process in (worker, web):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if own_metrics_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return web.returncode or 0


def _metrics_dir() -> tuple[str, bool]:
    """Where gunicorn's workers keep their metrics (prometheus_client's multiprocess
    mode, rathaus.operations.metrics): PROMETHEUS_MULTIPROC_DIR emptied, or a new
    temporary directory (True: remove it at the end). Counts of a former run would
    otherwise be added to this one's."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not given:
        return tempfile.mkdtemp(prefix="rathaus-metrics-"), True
    Path(given).mkdir(parents=True, exist_ok=True)
    for stale in Path(given).glob("*.db"):
        stale.unlink()
    return given, False


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["help"]
    if argv[0] == "serve":
        return serve(argv[1:])
    if argv[0] == "setup":
        setup()
        return 0
    argv[0] = {"verify-receipt": "verify_receipt"}.get(argv[0], argv[0])
    if argv[0] == "audit" and len(argv) > 1:  # `rathaus audit verify` → audit_verify
        argv = [f"audit_{argv[1]}", *argv[2:]]
    _django(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
