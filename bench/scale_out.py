"""Scale-out: complete submissions with 2 web processes and 2 workers against 1 and 1.

A "complete submission" is the final POST of a filled-in Hundeanmeldung draft answered
with the redirect to the new case (as in bench/submissions.py), AND the follow-up work
it queued done by the background workers: the queue drained. The rate is the number of
submissions over the wall time from the first send to the last queued task finished.

A "web process" is one gunicorn with one sync worker (`--workers 1 --threads 1`): a
process that serves one request at a time and can keep one core busy. Two of them are
two such gunicorns on two loopback ports, as two machines would be; a "worker" is one
`rathaus worker`. There is no reverse proxy in front: the client sends its requests
round-robin to the web processes itself (citizen i to process i mod N, each session in
the database, so any process could serve it). nginx would add its CPU on this 2-core
machine to both sides of the comparison and measure nginx; scripts/cluster.py (with
nginx) is what the load and fault tests use.

How it is measured:

1. A fresh instance (`rathaus setup`, demo) on a scratch PostgreSQL database, tasks in
   the database queue (TASK_BACKEND=database); 2 × (N + warm-up) citizens with logged-in
   sessions (bench/submissions.py's child).
2. For each configuration, 1 web + 1 worker, then 2 web + 2 workers: the gunicorns
   start, N + warm-up drafts are filled in over HTTP (start and four pages), the
   workers start, the warm-up drafts are sent (each web process loads Typst's fonts
   once, each worker its own) and the queue drained. Then the N sends, 8 client
   threads in closed loop (one request at a time each; 8 > 2 so that neither
   configuration waits for the client), while the workers run; the clock stops when
   the queue is drained again. CPU seconds of the gunicorns, the workers and the
   PostgreSQL server (all of its processes: whatever else runs on it counts too) over
   that span.
3. Afterwards: one case per draft, none lost or doubled, with its documents, task and
   history; the audit chain verifies (bench/submissions.py's check); no task failed.

The target: rate(2+2) ≥ 1.6 × rate(1+1). Two web and two worker machines have four
machines' cores; this machine has two, shared with PostgreSQL and the client, and one
web process with one worker already keep more than one of them busy. So each web
process and each worker runs under a CPU budget, as on a machine of its own: a cgroup
with a CFS quota of BENCH_SCALE_CPU_BUDGET cores (default 0.35; cgroup v1's cpu
controller, which this kind of machine has), its gunicorn workers in it too.
PostgreSQL and the client run outside the budgets. 2 × 2 × 0.35 = 1.4 cores leave
PostgreSQL and the client room, so the factor says whether Rathaus scales (no lock,
queue or hot row that makes a second process wait), not how many cores the machine
has. Where no cgroup can be made (not root, no cpu controller) the processes run
unbudgeted and the report says so; BENCH_SCALE_CPU_BUDGET=0 asks for that too. The
report gives the CPU split either way.

N per configuration: BENCH_SCALE_SENDS (default 400).
"""

import contextlib
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import submissions
from _instance import (
    TaskQueue,
    gunicorn,
    percentile,
    postgres_cpu_seconds,
    postgres_server,
    run_child,
    scratch_instance,
    tree_cpu_seconds,
    worker_log_tail,
    worker_process,
)

TARGET_FACTOR = 1.6
CONFIGURATIONS = ((1, 1), (2, 2))  # (web processes, workers)
CONNECTIONS = submissions.CONNECTIONS  # its sender's client threads (8), closed loop
WARMUP_PER_WEB = 4  # sends before measuring, per web process
PREPARE_THREADS = 4
WORKER_COMMAND = ["worker", "--interval", "0.05"]
DRAIN_TIMEOUT = 300  # seconds after the last send; slower is a failure
POLL_SECONDS = 0.05


def _cpu_budget() -> float:
    return float(os.environ.get("BENCH_SCALE_CPU_BUDGET", "0.35"))


class CpuBudget:
    """A CFS quota of `cores` cores for a process and its children, as a machine with
    that many cores would give them: a cgroup of cgroup v1's cpu controller, removed
    on close. `usable` is False where it cannot be made; `add` then does nothing."""

    ROOT = Path("/sys/fs/cgroup/cpu")
    PERIOD_US = 100_000

    def __init__(self, name: str, cores: float):
        self.path = self.ROOT / f"rathaus-bench-{os.getpid()}-{name}"
        self.usable = False
        if cores <= 0:
            return
        try:
            self.path.mkdir()
            (self.path / "cpu.cfs_period_us").write_text(str(self.PERIOD_US))
            (self.path / "cpu.cfs_quota_us").write_text(str(int(cores * self.PERIOD_US)))
            self.usable = True
        except OSError:
            self.close()

    def add(self, root_pid: int) -> None:
        """The process and its children (a gunicorn master and its workers)."""
        if not self.usable:
            return
        for pid in [root_pid, *_children(root_pid)]:
            try:
                (self.path / "cgroup.procs").write_text(str(pid))
            except OSError:
                continue  # it ended meanwhile

    def close(self) -> None:
        # Stopped processes have left it; a cgroup without any is removed like this.
        with contextlib.suppress(OSError):
            self.path.rmdir()


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _send_count() -> int:
    return int(os.environ.get("BENCH_SCALE_SENDS", "400"))


def run(options) -> list[dict]:
    n = _send_count()
    server_url = postgres_server(options)
    if not server_url:
        return [{"metric": "skipped", "value": "needs PostgreSQL (BENCH_DATABASE=sqlite set)"}]
    load_before = os.getloadavg()
    with ExitStack() as stack:
        tmp, env = scratch_instance(stack, "postgresql", server_url, TASK_BACKEND="database")
        per_config = n + WARMUP_PER_WEB * max(web for web, _ in CONFIGURATIONS)
        total = per_config * len(CONFIGURATIONS)
        print(f"   creating {total} citizens …", flush=True)
        sessions = run_child(submissions.__file__, ["citizens", str(total)], env, tmp,
                             timeout=600)["sessions"]
        measured, drafts = {}, []
        for k, (web, workers) in enumerate(CONFIGURATIONS):
            first = k * per_config
            result = measure(env, tmp, web=web, workers=workers, n=n,
                             sessions=list(enumerate(sessions))[first:first + per_config])
            measured[web, workers] = result
            drafts += result["drafts"]
        drafts_file = tmp / "drafts.json"
        drafts_file.write_text(json.dumps(drafts))
        check = run_child(submissions.__file__, ["verify", str(drafts_file)], env, tmp,
                          timeout=600)
    return report(measured, check, n=n, drafts=len(drafts), load_before=load_before)


def measure(env: dict, cwd: Path, *, web: int, workers: int, n: int,
            sessions: list[tuple[int, dict]]) -> dict:
    """`web` gunicorns of one sync worker and `workers` workers on the instance; the
    first WARMUP_PER_WEB × web of `sessions` (citizen number, cookies) warm up, the
    next n are measured. Returns the rate, latencies, CPU and the draft ids sent."""
    label = f"{web} web + {workers} worker{'s' if workers > 1 else ''}"
    warmup_count = WARMUP_PER_WEB * web
    sessions = sessions[:warmup_count + n]
    with ExitStack() as stack:
        servers = [stack.enter_context(gunicorn(env, cwd, workers=1, threads=1,
                                                log_name=f"gunicorn-{web}-{i}.log"))
                   for i in range(web)]
        bases = [base for base, _ in servers]
        budgets = [CpuBudget(f"{web}-{kind}-{i}", _cpu_budget())
                   for kind, count in (("web", web), ("worker", workers))
                   for i in range(count)]
        for budget in budgets:
            stack.callback(budget.close)  # after the processes stopped (LIFO)
        for budget, (_, pid) in zip(budgets, servers, strict=False):
            budget.add(pid)
        print(f"   [{label}] {len(sessions)} drafts filled in over HTTP …", flush=True)
        with ThreadPoolExecutor(PREPARE_THREADS) as pool:
            citizens = list(pool.map(
                lambda item: submissions._prepare(bases[item[0] % web], *item), sessions))
        queue = TaskQueue(env)
        stack.callback(queue.close)
        processes = [stack.enter_context(worker_process(env, cwd, WORKER_COMMAND, i))
                     for i in range(workers)]
        for budget, process in zip(budgets[web:], processes, strict=True):
            budget.add(process.pid)
        warmup = submissions._fire(None, citizens[:warmup_count])
        _wait_drained(queue, processes, cwd)

        print(f"   [{label}] {n} sends, {CONNECTIONS} client threads, queue drained …",
              flush=True)
        pids = [pid for _, pid in servers]
        worker_pids = [p.pid for p in processes]
        web_before, worker_before = tree_cpu_seconds(*pids), tree_cpu_seconds(*worker_pids)
        db_before, cpu_before = postgres_cpu_seconds(), time.process_time()
        started = time.time()
        sent = submissions._fire(None, citizens[warmup_count:])
        _wait_drained(queue, processes, cwd)
        drained_at = max(queue.last_finish_of_any() or 0.0, started)
        web_cpu = tree_cpu_seconds(*pids) - web_before
        worker_cpu = tree_cpu_seconds(*worker_pids) - worker_before
        db_cpu = postgres_cpu_seconds() - db_before
        client_cpu = time.process_time() - cpu_before
        load = os.getloadavg()
        tasks = queue.counts_by_path()
        if sent.errors or warmup.errors:
            for i in range(web):
                print((cwd / f"gunicorn-{web}-{i}.log").read_text(errors="replace")[-3000:])
    elapsed = drained_at - started
    return {
        "label": label, "good": sent.good, "errors": sent.errors + warmup.errors,
        "statuses": sent.statuses + warmup.statuses,
        "rate": sent.good / elapsed if elapsed > 0 else 0.0,
        "send_rate": sent.good / sent.seconds if sent.seconds else 0.0,
        "seconds": elapsed, "drain_lag": drained_at - (started + sent.seconds),
        "p50": percentile(sent.latency_ms, 50), "p95": percentile(sent.latency_ms, 95),
        "web_cpu": web_cpu, "worker_cpu": worker_cpu, "db_cpu": db_cpu,
        "client_cpu": client_cpu, "load": load, "tasks": tasks,
        "drafts": [c.draft_id for c in citizens],
        "budget": _cpu_budget() if budgets and all(b.usable for b in budgets) else 0.0,
    }


def _wait_drained(queue: TaskQueue, processes, cwd: Path) -> None:
    deadline = time.monotonic() + DRAIN_TIMEOUT
    # A task enqueued by a commit is visible at once: the sends have all been answered.
    while queue.unfinished():
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a worker exited with {process.returncode}:\n"
                                   f"{worker_log_tail(cwd)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the queue was not drained within {DRAIN_TIMEOUT} s")
        time.sleep(POLL_SECONDS)


def cpu_split(result: dict) -> str:
    """CPU ms per complete submission: web, workers, PostgreSQL, client."""
    per = 1000 / max(1, result["good"])
    return (f"web {result['web_cpu'] * per:.0f}, workers {result['worker_cpu'] * per:.0f}, "
            f"PostgreSQL {result['db_cpu'] * per:.0f}, client {result['client_cpu'] * per:.0f}")


def result_rows(result: dict, prefix: str = "") -> list[dict]:
    """The rows of one measured configuration."""
    label = prefix + result["label"]
    busy = (result["web_cpu"] + result["worker_cpu"] + result["db_cpu"]) / max(
        0.001, result["seconds"])
    return [
        {"metric": f"{label}: complete submissions", "value": result["rate"], "unit": "/s"},
        {"metric": f"{label}: sends answered (queue not yet drained)",
         "value": result["send_rate"], "unit": "/s"},
        {"metric": f"{label}: queue drained after the last answer",
         "value": result["drain_lag"], "unit": "s"},
        {"metric": f"{label}: send p50 / p95 latency",
         "value": f"{result['p50']:.0f} / {result['p95']:.0f}", "unit": "ms"},
        {"metric": f"{label}: CPU ms per submission", "value": cpu_split(result)},
        {"metric": f"{label}: cores busy (web + workers + PostgreSQL)", "value": busy},
        {"metric": f"{label}: load (1/5/15 min) at the end",
         "value": " / ".join(f"{x:.2f}" for x in result["load"])},
    ]


def failed_tasks(result: dict) -> int:
    return sum(count for (_, status), count in result["tasks"].items() if status == "FAILED")


def report(measured: dict, check: dict, *, n: int, drafts: int, load_before) -> list[dict]:
    one, two = measured[CONFIGURATIONS[0]], measured[CONFIGURATIONS[1]]
    factor = two["rate"] / one["rate"] if one["rate"] else 0.0
    errors = one["errors"] + two["errors"]
    failed = failed_tasks(two)  # the queue is the instance's: two's counts include one's
    tasks = Counter({path.rsplit(".", 2)[-2] + "." + path.rsplit(".", 1)[-1]: count
                     for (path, status), count in two["tasks"].items()})
    print(f"   1+1 {one['rate']:.1f}/s, 2+2 {two['rate']:.1f}/s: factor {factor:.2f}",
          flush=True)
    for problem in check["problems"] + check["audit_findings"][:5]:
        print(f"   PROBLEM: {problem}", flush=True)
    for status, count in sorted((one["statuses"] + two["statuses"]).items()):
        if status != "302 case":
            print(f"   answers {status}: {count}", flush=True)
    return [
        {"metric": "setup", "value": (
            f"postgresql, web process = gunicorn --workers 1 --threads 1, worker = rathaus "
            f"{' '.join(WORKER_COMMAND)}, client {CONNECTIONS} threads round-robin, "
            f"{n} sends per configuration, {os.cpu_count()} cores, "
            + (f"each web process and worker under a CPU budget of {one['budget']:g} cores"
               if one["budget"] and two["budget"] else "no CPU budgets (unconstrained)"))},
        {"metric": "machine load (1/5/15 min) before",
         "value": " / ".join(f"{x:.2f}" for x in load_before)},
        *result_rows(one), *result_rows(two),
        {"metric": "tasks run (all configurations)",
         "value": ", ".join(f"{k} {v}" for k, v in sorted(tasks.items()))},
        {"metric": "scale-out factor (2+2 / 1+1)", "value": factor,
         "target": f">= {TARGET_FACTOR:g}", "ok": factor >= TARGET_FACTOR},
        {"metric": "failed sends", "value": errors, "target": "= 0", "ok": errors == 0},
        {"metric": "failed tasks", "value": failed, "target": "= 0", "ok": failed == 0},
        {"metric": "cases in the database", "value": check["cases"],
         "target": f"= {drafts}, one per draft",
         "ok": not check["problems"] and check["cases"] == drafts},
        {"metric": "audit chain entries verified", "value": check["audit_entries"],
         "target": "no findings", "ok": not check["audit_findings"]},
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import main

    sys.exit(main(["--only", "scale_out", *sys.argv[1:]]))
