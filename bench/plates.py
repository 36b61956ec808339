"""Is a chosen plate free? `GET /kennzeichen/?kennzeichen=…` over a register of 200,000
plates: p95 latency.

The question a citizen asks while choosing a Wunschkennzeichen in the town's form or on
the public page: the town's portal finds its district (the Rheinisch-Bergischer Kreis)
and asks the district's plate register, whose key is unique per district.

How it is measured:

1. A fresh instance (`rathaus setup`: Leichlingen, in the Kreis) on a scratch
   PostgreSQL database (default; BENCH_DATABASE=sqlite for SQLite in the temp dir).
2. A child process fills the Kreis's register with 200,000 plates (BENCH_PLATES=N), as
   a district's register looks: GL, one or two letters, one to four digits; nine in
   ten assigned to vehicles, one in ten reserved for 90 days; then ANALYZE.
3. gunicorn with 2 workers, as `rathaus serve` runs it. The Python client keeps 4
   connections busy (closed loop), each asking about its own list of plates in turn:
   a third taken, a third free, a third refused by the rules (§ 8 FZV or the format),
   so every answer path is measured. Every answer must be 200 and say what the plate
   is (free, taken or refused), else it counts as an error.
4. p50, p95 and p99 over all answers; the target is p95 < 20 ms.

N defaults to 200,000, as the issue asks.
"""

import datetime
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import _instance
from _instance import (
    gunicorn,
    instance_env,
    percentile,
    postgres_server,
    run_child,
    scratch_database,
    tree_cpu_seconds,
)

TARGET_P95_MS = 20.0
WORKERS = 2
CONNECTIONS = 4
PLATES = 200_000
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
SEED = 15
# What each answer must contain: the page's sentence for a free plate, for a taken one,
# and the refusal's message (German, the portal's default language).
SAYS = {"free": "ist frei", "taken": "schon vergeben", "refused": 'id="id_kennzeichen-error"'}


def _plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(LETTERS) for _ in range(rng.choice((1, 2))))
    digits = str(rng.randrange(1, 10 ** rng.choice((2, 3, 4))))
    return f"GL{letters}{digits}"


def _plates(n: int) -> list[str]:
    rng, seen = random.Random(SEED), set()
    while len(seen) < n:
        key = _plate(rng)
        if key[2:4] not in ("HJ", "KZ", "NS", "SA", "SS"):
            seen.add(key)
    return sorted(seen)


def _questions(taken: list[str], count: int) -> list[tuple[str, str]]:
    """(what is typed, what the answer must say): taken, free and refused plates."""
    rng, taken_set = random.Random(SEED + 1), set(taken)
    questions = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            key = rng.choice(taken)
            questions.append((f"{key[:2]}-{key[2:].rstrip('0123456789')} "
                              f"{key[len(key.rstrip('0123456789')):]}", "taken"))
        elif kind == 1:
            while (key := _plate(rng)) in taken_set or key[2:4] in ("HJ", "KZ", "NS", "SA",
                                                                    "SS"):
                pass
            questions.append((f"GL {key[2:]}", "free"))
        else:
            questions.append((rng.choice(["GL-SS 12", "GL-ABC 1", "GL-KZ 7", "GL-AB 01"]),
                              "refused"))
    return questions


def _prepare(n: int) -> dict:
    from django.db import connection

    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.vehicles.models import PlateEntry

    kreis = Authority.objects.get(slug="rbk")
    keys = _plates(n)
    until = datetime.date.today() + datetime.timedelta(days=90)
    with authority_context(kreis):
        PlateEntry.objects.bulk_create([
            PlateEntry(key=key, state=PlateEntry.State.ASSIGNED)
            if i % 10 else
            PlateEntry(key=key, state=PlateEntry.State.RESERVED, holder_reference=f"b-{i}",
                       reserved_until=until)
            for i, key in enumerate(keys)], batch_size=5000)
        count = PlateEntry.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE vehicles_plateentry")
    return {"plates": count}


def _load(base: str, questions: list[tuple[str, str]], *, seconds: float) -> dict:
    host, port = base.removeprefix("http://").split(":")
    deadline = time.monotonic() + seconds
    latencies = [Counter() for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        j = i
        while time.monotonic() < deadline:
            typed, kind = questions[j % len(questions)]
            j += CONNECTIONS
            started = time.perf_counter()
            try:
                conn.request("GET", f"/kennzeichen/?kennzeichen={quote(typed)}")
                response = conn.getresponse()
                body = response.read().decode()
                ok = response.status == 200 and SAYS[kind] in body
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            if ok:
                latencies[i][round((time.perf_counter() - started) * 1e6)] += 1
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True)
               for i in range(CONNECTIONS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 10)
    return {"latency_us": sum(latencies, Counter()), "errors": sum(errors),
            "seconds": time.monotonic() - started}


def run(options) -> list[dict]:
    n = int(os.environ.get("BENCH_PLATES", PLATES))
    server_url = postgres_server(options)
    database = "postgresql" if server_url else "sqlite"
    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-plates-")))
        env = instance_env(tmp / "var")
        if server_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
        _instance.setup(env, tmp)
        print(f"   filling the Kreis's plate register with {n} plates …", flush=True)
        prepared = run_child(__file__, ["prepare", str(n)], env, tmp, timeout=600)
        taken = _plates(n)
        questions = _questions(taken, 3000)
        base, server_pid = stack.enter_context(
            gunicorn(env, tmp, workers=WORKERS, ready_paths=("/healthz", "/kennzeichen/")))
        _load(base, questions, seconds=options.warmup)
        cpu_before = tree_cpu_seconds(server_pid)
        measured = _load(base, questions, seconds=options.duration)
        cpu = tree_cpu_seconds(server_pid) - cpu_before
    latencies = measured["latency_us"]
    answers = latencies.total()
    p50, p95, p99 = (percentile(latencies, q) / 1000 for q in (50, 95, 99))
    print(f"   {answers / measured['seconds']:.0f} answers/s  p50 {p50:.1f} ms  "
          f"p95 {p95:.1f} ms  p99 {p99:.1f} ms  errors {measured['errors']}", flush=True)
    return [
        {"metric": "setup", "value": f"{database}, {prepared['plates']} plates in the Kreis's "
                                     f"register, {WORKERS} gunicorn workers, Python client "
                                     f"{CONNECTIONS} connections, {options.duration:g} s"},
        {"metric": "machine load (1-min avg) before", "value": round(load_before, 2)},
        {"metric": "answers (a third taken, free, refused)",
         "value": round(answers / measured["seconds"], 1), "unit": "req/s"},
        {"metric": "plate check p50 / p99 latency", "value": f"{p50:.1f} / {p99:.1f} ms"},
        {"metric": "plate check p95 latency", "value": round(p95, 2), "unit": "ms",
         "target": f"< {TARGET_P95_MS:g} ms", "ok": p95 < TARGET_P95_MS},
        {"metric": "server CPU per answer",
         "value": round(cpu * 1000 / answers, 2) if answers else 0.0, "unit": "ms"},
        {"metric": "wrong or failed answers", "value": measured["errors"], "target": "= 0",
         "ok": measured["errors"] == 0},
    ]


def _child(command: str, arg: str) -> dict:
    import django

    django.setup()
    if command == "prepare":
        return _prepare(int(arg))
    raise SystemExit(f"unknown child command {command!r}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "plates", *sys.argv[1:]]))
