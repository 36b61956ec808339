"""The load test: `make loadtest` (or `python bench/load/run_load.py`).

Mixed traffic (bench/load/locustfile.py: portal pages, the service finder, open data,
complete dog registrations, staff decisions with four eyes) from Locust's simulated
users, against the cluster of scripts/cluster.py: PostgreSQL, two web processes
behind nginx, two workers, documents in an S3-protocol server, all on loopback.

1. The cluster comes up (a scratch database, `rathaus setup` with the demo).
2. Citizens with a logged-in session (one per Citizen user) and pairs of Steueramt
   clerks with an office session (two-factor login as its result) are made in the
   database; no Argon2 or TOTP check per user over HTTP.
3. Locust runs headless: USERS users (default 200), spawned at 20/s, for MINUTES
   (default 10), as a subprocess with --csv.
4. The queue is left to drain (the notices the decisions asked for, the e-mails).
5. Printed: requests and failures, per route count, p50/p95/p99 and max; the dog
   registrations sent vs. the cases in the database (lost, doubled), notices and
   messages of the decided cases, failed tasks, the audit chain.

Exits non-zero on any failed request, lost or doubled application, or failed check.
LOAD_USERS / LOAD_MINUTES (or --users / --minutes) make it shorter.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import LOAD_DIR, ROOT, cluster_up, print_rows, run_step, wait_for_empty_queue

CITIZEN_PREFIX = "load-citizen"
CLERK_PREFIX = "load-clerk"
CLERK_USERS = 6  # Locust users deciding; each is a pair of clerks (four eyes)
CITIZEN_SHARE = 3 / 10  # the Citizen class's weight among the weighted ones


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 200)))
    parser.add_argument("--minutes", type=float,
                        default=float(os.environ.get("LOAD_MINUTES", 10)))
    parser.add_argument("--spawn-rate", type=float,
                        default=float(os.environ.get("LOAD_SPAWN_RATE", 20)))
    return parser.parse_args(argv)


def main(argv=None) -> int:
    options = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="rathaus-load-"))
    print(f"Load test: {options.users} users for {options.minutes:g} min "
          f"(spawn {options.spawn_rate:g}/s); files in {work}", flush=True)
    with cluster_up(web=2, workers=2, s3=True) as cluster:
        print(f"cluster up at {cluster.url}", flush=True)
        citizens = int(options.users * CITIZEN_SHARE) + 10
        config = {
            "citizens": run_step(cluster, "citizens",
                                 {"count": citizens, "prefix": CITIZEN_PREFIX})["sessions"],
            "clerks": _pairs(run_step(cluster, "clerks", {
                "count": 2 * CLERK_USERS, "prefix": CLERK_PREFIX})["sessions"]),
            "clerk_users": min(CLERK_USERS, max(1, options.users // 20)),
            "results": str(work / "sent.json"),
            **_discover(cluster.url),
        }
        (work / "config.json").write_text(json.dumps(config))
        print(f"prepared {citizens} citizens, {2 * CLERK_USERS} clerks; services "
              f"{len(config['services'])}, datasets {len(config['datasets'])}, OGC "
              f"collections {len(config['collections'])}", flush=True)

        started = time.monotonic()
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(LOAD_DIR / "locustfile.py"),
             "--headless", "--users", str(options.users),
             "--spawn-rate", str(options.spawn_rate),
             "--run-time", f"{round(options.minutes * 60)}s", "--stop-timeout", "90",
             "--host", cluster.url, "--csv", str(work / "locust"), "--only-summary",
             "--loglevel", "WARNING"],
            env=os.environ | {"LOAD_CONFIG": str(work / "config.json")}, cwd=ROOT,
            capture_output=True, text=True, check=False)
        ran = time.monotonic() - started
        (work / "locust.log").write_text(locust.stdout + locust.stderr)
        print(f"Locust ran {ran:.0f} s (exit {locust.returncode})", flush=True)

        drained = wait_for_empty_queue(cluster.database_url)
        sent = json.loads((work / "sent.json").read_text())["sent"]
        check = run_step(cluster, "verify", {
            "drafts": list(sent), "prefix": CITIZEN_PREFIX,
            "confirmed": [d for d, outcome in sent.items() if outcome == "case"]})
        server_errors = _server_errors(cluster)

    stats = _read_stats(work / "locust_stats.csv")
    failures = _read_failures(work / "locust_failures.csv")
    exceptions = _read_failures(work / "locust_exceptions.csv")
    _print_stats(stats)
    total = stats.get("Aggregated", {})
    requests, failed = int(total.get("Request Count", 0)), int(total.get("Failure Count", 0))
    print(f"\nrequests {requests}, failures {failed}, "
          f"{requests / max(1.0, ran):.1f} requests/s over {ran:.0f} s")
    for row in failures:
        print(f"  FAILURE {row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error']}")
    for row in exceptions:
        print(f"  EXCEPTION in the test itself {row['Count']}×: {row['Message']}")
    sent_ok = sum(1 for outcome in sent.values() if outcome == "case")
    print(f"\ndog registrations sent {len(sent)} (answered with the case {sent_ok}); "
          f"cases in the database {check['cases']}; lost {check['lost']}, "
          f"doubled {check['doubled']}, never arrived {check['never_arrived']}")
    print(f"decided (approved) {check['decided']}: notices {check['notices']}, mailbox "
          f"messages {check['messages']}, receipts verified {check['receipts_verified']} "
          f"{check['receipt_events']}")
    print(f"queue drained {drained:.0f} s after the run; failed tasks "
          f"{sum(check['failed_tasks'].values())}; audit chain: {check['audit_entries']} "
          f"entries, {check['audit_findings']} findings")
    if server_errors:
        print("server errors in the cluster's logs:")
        for line in server_errors[:20]:
            print("  " + line)
    for problem in check["problems"]:
        print(f"PROBLEM: {problem}")
    bad = (failed or exceptions or locust.returncode or check["problems"] or check["lost"]
           or check["doubled"] or not requests)
    print("RESULT: " + ("FAIL" if bad else "PASS (0 errors, nothing lost or doubled)"))
    if bad:
        print(f"(Locust's output: {work / 'locust.log'})")
    return 1 if bad else 0


def _pairs(sessions: list[dict]) -> list[list[dict]]:
    return [sessions[i:i + 2] for i in range(0, len(sessions) - 1, 2)]


def _discover(base: str) -> dict:
    """The services, open datasets and OGC collections the demo instance offers."""
    def text(path):
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.read().decode()

    services = sorted(set(re.findall(r'href="/leistungen/([a-z0-9-]+)/"', text("/"))))
    datasets = sorted(set(re.findall(r'href="/daten/([a-z0-9-]+)/"', text("/daten/"))))
    collections = [c["id"] for c in json.loads(text("/ogc/collections?f=json"))["collections"]]
    if not (services and datasets and collections):
        raise RuntimeError(f"the demo offers too little: {services} {datasets} {collections}")
    return {"services": services, "datasets": datasets, "collections": collections}


def _read_stats(path: Path) -> dict[str, dict]:
    with open(path, newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _read_failures(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def _print_stats(stats: dict[str, dict]) -> None:
    rows = []
    for name, row in sorted(stats.items(), key=lambda item: (item[0] == "Aggregated", item[0])):
        rows.append((name if name != "Aggregated" else "all routes", row["Request Count"],
                     row["Failure Count"], row["50%"], row["95%"], row["99%"],
                     round(float(row["Max Response Time"]))))
    print()
    print_rows(("route", "requests", "failures", "p50 ms", "p95 ms", "p99 ms", "max ms"), rows)


def _server_errors(cluster) -> list[str]:
    """Lines of the cluster's logs that tell of a server error (a 5xx, a traceback)."""
    found = []
    pattern = re.compile(r'Traceback|"(?:status|status_code)": 5\d\d|" 5\d\d |\[error\]|ERROR')
    for path in sorted(Path(cluster.var_dir).rglob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if pattern.search(line):
                found.append(f"{path.name}: {line[:300]}")
    return found


if __name__ == "__main__":
    sys.exit(main())
