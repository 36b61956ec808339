"""Shared by the load and the fault test: the cluster (scripts/cluster.py), the Django
steps in a child process (_steps.py), waiting for the queue to drain, the tables."""

import json
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

LOAD_DIR = Path(__file__).resolve().parent
BENCH_DIR = LOAD_DIR.parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(BENCH_DIR), str(ROOT / "scripts")]

from _instance import TaskQueue, percentile  # noqa: E402
from cluster import Cluster  # noqa: E402

__all__ = ["Cluster", "cluster_up", "TaskQueue", "percentile", "run_step", "wait_for_empty_queue",
           "print_rows", "LOAD_DIR", "ROOT"]


@contextmanager
def cluster_up(*, before_start=None, attempts: int = 3, **options):
    """A started Cluster(**options), stopped on leaving. The cluster picks its ports
    before `rathaus setup` (minutes on a busy machine); when another program took one
    meanwhile, it is started again (`before_start` is called before each start)."""
    for attempt in range(1, attempts + 1):
        if before_start:
            before_start()
        cluster = Cluster(**options)
        try:
            cluster.start()
            break
        except RuntimeError as error:
            if "Address already in use" not in str(error) or attempt == attempts:
                raise
            print("A port the cluster chose was taken meanwhile; starting it again.",
                  flush=True)
    try:
        yield cluster
    finally:
        cluster.stop()


def run_step(cluster, step: str, args: dict, timeout: float = 900) -> dict:
    """One step of _steps.py against the cluster's database; its JSON answer."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(args, handle)
    try:
        done = subprocess.run(
            [sys.executable, str(LOAD_DIR / "_steps.py"), step, handle.name],
            env=cluster.env | {"DJANGO_SETTINGS_MODULE": "rathaus.settings"}, cwd=ROOT,
            capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        Path(handle.name).unlink(missing_ok=True)
    if done.returncode:
        raise RuntimeError(f"step {step} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def wait_for_empty_queue(database_url: str, timeout: float = 600) -> float:
    """Seconds until no task is waiting or running (the workers have done everything);
    RuntimeError after `timeout`."""
    import psycopg

    started = time.monotonic()
    while True:
        try:
            with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
                left = conn.execute(
                    f"SELECT COUNT(*) FROM {TaskQueue.TABLE} "
                    "WHERE status NOT IN ('SUCCESSFUL', 'FAILED')").fetchone()[0]
        except psycopg.OperationalError:
            left = -1  # the database is coming back
        if left == 0:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{left} tasks still waiting after {timeout:.0f} s")
        time.sleep(1)


def print_rows(header: tuple, rows: list[tuple]) -> None:
    text = [tuple(str(x) for x in row) for row in [header, *rows]]
    widths = [max(len(row[i]) for row in text) for i in range(len(header))]
    for n, row in enumerate(text):
        print("  ".join(cell.rjust(w) if i else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
