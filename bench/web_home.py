"""Portal home (`GET /`) against a trivial view (`GET /healthz`) under load.

A fresh instance in a temporary RATHAUS_VAR_DIR (SQLite, or a scratch PostgreSQL
database with --database-url / BENCH_DATABASE_URL) is set up with `rathaus setup`
and served by gunicorn with 2 workers on a free loopback port. The figure that
counts is home req/s divided by trivial req/s: it cancels out the machine's speed
and isolates what the home page costs on top of Django's fixed per-request work.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import _instance
from _instance import (
    gunicorn,
    instance_env,
    python_load,
    scratch_database,
    tree_cpu_seconds,
)

HOME, TRIVIAL = "/", "/healthz"
RATIO_TARGET = 0.5
WORKERS = 2
# 2 client threads keep wrk's own CPU use small next to 2 gunicorn workers on 2
# cores; 8 connections keep both workers busy without queueing deep in the backlog.
CLIENT_THREADS, CONNECTIONS = 2, 8
REQUEST_TIMEOUT = 5  # seconds; a slower answer counts as an error, not as a latency
# The measurement alternates between the two URLs in rounds of this length, so that
# other work on the machine (test suites, browsers) weighs on both alike instead of
# landing on one URL's single window and skewing the ratio.
ROUND_SECONDS = 2

# wrk's --latency prints fixed percentiles without p95. done() prints the totals and
# the whole latency histogram (distinct value in µs, count), so that the rounds can
# be merged and p95 computed exactly over all of them.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status))
  for i = 1, #latency do
    local us, count = latency(i)
    io.write(string.format("LAT %d %d\\n", us, count))
  end
end
"""

@dataclass
class Tally:
    """One URL's measurement, summed over the rounds."""

    requests: int = 0
    seconds: float = 0.0
    errors: int = 0  # socket errors, timeouts and 4xx/5xx answers
    cpu_seconds: float = 0.0  # the server's, master and workers
    latency_us: Counter = field(default_factory=Counter)

    def add(self, sample: dict, cpu_seconds: float) -> None:
        self.requests += sample["requests"]
        self.seconds += sample["seconds"]
        self.errors += sample["errors"]
        self.cpu_seconds += cpu_seconds
        self.latency_us.update(sample["latency_us"])

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / self.requests if self.requests else 0.0

    def percentile_ms(self, q: float) -> float:
        rank, seen = q / 100 * self.latency_us.total(), 0
        for us in sorted(self.latency_us):
            seen += self.latency_us[us]
            if seen >= rank:
                return us / 1000
        return 0.0


def run(options) -> list[dict]:
    wrk = _find_wrk(options.client)
    client = (f"wrk {CLIENT_THREADS} threads" if wrk else "Python client (fallback)") + \
        f", {CONNECTIONS} connections"

    def load(url: str, seconds: float) -> dict:
        if wrk:
            return wrk_load(wrk, tmp, url, seconds=seconds)
        return python_load(url, seconds=seconds, connections=CONNECTIONS,
                           timeout=REQUEST_TIMEOUT)

    rounds = max(1, round(options.duration / ROUND_SECONDS))
    load_before = os.getloadavg()[0]  # before our own setup adds to it
    with ExitStack() as stack:  # unwinds in reverse: server, database, temp dir
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var")
        if options.database_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(options.database_url))
        _instance.setup(env, tmp)
        # Both URLs must answer 200: a misconfigured instance answers `/` with the
        # fast 503 "no authority" page, which would make the home page look cheap.
        base, server_pid = stack.enter_context(
            gunicorn(env, tmp, workers=WORKERS, ready_paths=(TRIVIAL, HOME)))

        for path in (HOME, TRIVIAL):  # first requests fill caches and open connections
            load(base + path, options.warmup)
        tallies = {HOME: Tally(), TRIVIAL: Tally()}
        for _ in range(rounds):
            for path, tally in tallies.items():
                cpu_before = tree_cpu_seconds(server_pid)
                sample = load(base + path, options.duration / rounds)
                tally.add(sample, tree_cpu_seconds(server_pid) - cpu_before)

    for path, t in tallies.items():
        print(f"   GET {path:<8} {t.rps:8.1f} req/s  p50 {t.percentile_ms(50):.1f} ms  "
              f"p95 {t.percentile_ms(95):.1f} ms  server CPU {t.cpu_ms:.2f} ms/req  "
              f"errors {t.errors}", flush=True)
    home, trivial = tallies[HOME], tallies[TRIVIAL]
    ratio = home.rps / trivial.rps if trivial.rps else 0.0
    failed = home.errors + trivial.errors
    database = "postgresql" if options.database_url else "sqlite"
    setup = (f"{database}, {WORKERS} workers, {client}, "
             f"{options.duration:g}s/URL in {rounds} rounds (+{options.warmup:g}s warm-up)")
    return [
        {"metric": "setup", "value": setup},
        # Other processes on the machine lower req/s and can skew the ratio; the load
        # average tells whether there were any, and the server's CPU time per request,
        # which depends far less on them, cross-checks the throughput ratio.
        {"metric": "machine load (1-min avg) before", "value": round(load_before, 2)},
        {"metric": "GET / throughput", "value": home.rps, "unit": "req/s"},
        {"metric": "GET / p95 latency", "value": home.percentile_ms(95), "unit": "ms"},
        {"metric": "GET / server CPU per request", "value": home.cpu_ms, "unit": "ms"},
        {"metric": "GET /healthz throughput", "value": trivial.rps, "unit": "req/s"},
        {"metric": "GET /healthz p95 latency", "value": trivial.percentile_ms(95), "unit": "ms"},
        {"metric": "GET /healthz server CPU per request", "value": trivial.cpu_ms, "unit": "ms"},
        {"metric": "CPU-cost ratio (healthz/home)",
         "value": round(trivial.cpu_ms / home.cpu_ms, 3) if home.cpu_ms else 0.0},
        {"metric": "failed or non-2xx requests", "value": failed, "target": "= 0",
         "ok": failed == 0},
        {"metric": "home/trivial throughput ratio", "value": round(ratio, 3),
         "target": f">= {RATIO_TARGET}", "ok": ratio >= RATIO_TARGET},
    ]


# --- load generators ---------------------------------------------------------------------

def _find_wrk(choice: str) -> str | None:
    if choice == "python":
        return None
    wrk = shutil.which("wrk") or _apt_install_wrk()
    if wrk is None:
        if choice == "wrk":
            raise RuntimeError("wrk is not installed and could not be installed")
        print("   NOTE: wrk unavailable, falling back to the Python client. It competes "
              "with gunicorn for the 2 cores, so absolute figures are low; the ratio "
              "still compares like with like.", flush=True)
    return wrk


def _apt_install_wrk() -> str | None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    print("   installing wrk with apt-get …", flush=True)
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    # A machine that never ran `apt-get update` has no package lists yet: update once.
    for cmd in (install, ["apt-get", "update", "-qq"], install):
        try:
            subprocess.run(cmd, env=env, capture_output=True, timeout=300, check=True)
        except (OSError, subprocess.SubprocessError):
            continue
        if shutil.which("wrk"):
            return shutil.which("wrk")
    return None


def wrk_load(wrk: str, tmp: Path, url: str, *, seconds: float, threads: int = CLIENT_THREADS,
             connections: int = CONNECTIONS, timeout: float = REQUEST_TIMEOUT) -> dict:
    """Requests, seconds, errors and the latency histogram (µs -> count) from wrk with
    WRK_SCRIPT; the same shape as `_instance.python_load`."""
    script = tmp / "histogram.lua"
    script.write_text(WRK_SCRIPT)
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
           f"--timeout={timeout}s", "-s", str(script), url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, check=True)
    totals, latency_us = None, Counter()
    for line in out.stdout.splitlines():
        kind, *numbers = line.split() or [""]
        if kind == "BENCH":
            totals = [int(n) for n in numbers]
        elif kind == "LAT":
            latency_us[int(numbers[0])] += int(numbers[1])
    if totals is None:
        raise RuntimeError(f"unexpected wrk output:\n{out.stdout}{out.stderr}")
    requests, duration_us, errors = totals
    return {"requests": requests, "seconds": duration_us / 1e6, "errors": errors,
            "latency_us": latency_us}




if __name__ == "__main__":
    # `python bench/web_home.py [options]` runs just this benchmark, with the table.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import main

    sys.exit(main(["--only", "web_home", *sys.argv[1:]]))
