"""Proofs over a large audit log: an inclusion proof over 1,000,000 entries.

How it is measured:

1. A scratch database (PostgreSQL by default; BENCH_DATABASE=sqlite for SQLite),
   migrated, with one authority whose audit log holds N entries (default 1,000,000;
   BENCH_AUDIT_ENTRIES=N): realistic entries (case and notice events with ids), their
   hash chain computed, written with COPY (PostgreSQL) or bulk inserts (SQLite).
2. The Merkle tree grown over all of them and a head signed, as the worker does it
   (`tree_heads.sign_head`): the time and CPU per entry.
3. 2,000 inclusion proofs for entries picked at random (seeded), each timed on its own:
   `tree.inclusion_proof` (one query for the ~20 stored subtrees it needs, then the
   hashing), as the citizen's "Nachweis" download computes it, and its verification.
   Then 200 consistency proofs between random sizes.
"""

import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from _instance import instance_env, postgres_server, run_child, scratch_database

TARGET_PROOF_MS = 5.0
PROOFS, CONSISTENCY_PROOFS = 2000, 200


def _entries() -> int:
    return int(os.environ.get("BENCH_AUDIT_ENTRIES", "1000000"))


def run(options) -> list[dict]:
    n = _entries()
    server_url = postgres_server(options)
    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var")
        if server_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
        print(f"   {n} audit entries, tree, head, {PROOFS} proofs …", flush=True)
        result = run_child(__file__, ["measure", str(n)], env, tmp, timeout=3600)
    database = "postgresql" if server_url else "sqlite"
    proof_p95 = result["proof_p95_ms"]
    print(f"   written in {result['write_s']:.0f} s; tree grown in {result['grow_s']:.0f} s "
          f"({result['grow_cpu_us']:.0f} µs CPU per entry); proof p50 "
          f"{result['proof_p50_ms']:.2f} ms p95 {proof_p95:.2f} ms", flush=True)
    return [
        {"metric": "setup", "value": f"{database}, one authority, {n:,} audit entries"},
        # Other processes compete for the cores; the proof times depend on it.
        {"metric": "machine load (1-min avg) before / after",
         "value": f"{load_before:.2f} / {os.getloadavg()[0]:.2f}"},
        {"metric": "entries written (COPY / bulk, with hash chain)",
         "value": result["write_s"], "unit": "s"},
        {"metric": "tree grown over all entries and head signed", "value": result["grow_s"],
         "unit": "s"},
        {"metric": "growing: CPU of the signer per entry", "value": result["grow_cpu_us"],
         "unit": "µs"},
        {"metric": "stored tree nodes", "value": result["nodes"]},
        {"metric": f"inclusion proof over {n:,} entries, p50", "value": result["proof_p50_ms"],
         "unit": "ms"},
        {"metric": f"inclusion proof over {n:,} entries, p95", "value": proof_p95,
         "unit": "ms", "target": f"< {TARGET_PROOF_MS:g} ms", "ok": proof_p95 < TARGET_PROOF_MS},
        {"metric": "inclusion proof, max", "value": result["proof_max_ms"], "unit": "ms"},
        {"metric": "inclusion proof verified (client side), p50",
         "value": result["verify_p50_ms"], "unit": "ms"},
        {"metric": "consistency proof between random sizes, p95",
         "value": result["consistency_p95_ms"], "unit": "ms"},
        {"metric": "proofs that verified", "value": result["verified"],
         "target": f"= {PROOFS + CONSISTENCY_PROOFS}",
         "ok": result["verified"] == PROOFS + CONSISTENCY_PROOFS},
    ]


# --- inside the child process ------------------------------------------------------------

def _write_entries(authority, n: int) -> None:
    """n entries with their hash chain, as the application would have written them."""
    import uuid
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from rathaus.audit.chain import entry_hash
    from rathaus.audit.models import AuditChain, AuditEntry

    actions = ["case.submitted", "case.task_completed", "case.decision_proposed",
               "case.decided", "notice.delivered", "personal_data.viewed"]
    start, prev, rows = timezone.now() - timedelta(days=400), "0" * 64, []
    columns = ("authority_id", "seq", "created_at", "actor_id", "actor_label", "action",
               "object_type", "object_id", "data", "prev_hash", "hash")
    rng = random.Random(1)

    def flush():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(
                    f"COPY audit_auditentry ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([getattr(row, c) if c != "data" else json.dumps(row.data)
                                    for c in columns])
        else:
            AuditEntry.objects.bulk_create(rows, batch_size=5000)
        rows.clear()

    for seq in range(1, n + 1):
        case = uuid.UUID(int=rng.getrandbits(128))
        entry = AuditEntry(authority=authority, seq=seq,
                           created_at=start + timedelta(seconds=seq * 30),
                           actor_label="Erika Mustermann <erika@leichlingen.example>",
                           action=actions[seq % len(actions)], object_type="cases.case",
                           object_id=str(case), data={"case": str(case), "step": seq % 7},
                           prev_hash=prev)
        entry.hash = prev = entry_hash(entry, prev)
        rows.append(entry)
        if len(rows) == 20000:
            flush()
    flush()
    AuditChain.objects.create(authority=authority, last_seq=n, last_hash=prev)


def _pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args)
    return (time.perf_counter() - started) * 1000, value


def _measure(n: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rathaus.audit import merkle, tree
    from rathaus.audit.models import AuditEntry, AuditTreeNode
    from rathaus.audit.tree_heads import sign_head
    from rathaus.authorities.models import Authority

    authority = Authority.objects.create(slug="bench", name="Stadt Bench", short_name="Bench")
    started = time.monotonic()
    _write_entries(authority, n)
    write_s = time.monotonic() - started

    started, started_cpu = time.monotonic(), time.process_time()
    head = sign_head(authority)
    grow_s, grow_cpu = time.monotonic() - started, time.process_time() - started_cpu
    root = bytes.fromhex(head.root_hash)

    rng, proof_ms, verify_ms, verified = random.Random(7), [], [], 0
    seqs = [rng.randint(1, n) for _ in range(PROOFS)]
    leaves = {entry.seq: tree.entry_leaf(entry) for entry in
              AuditEntry.all_authorities.filter(authority=authority, seq__in=seqs)}
    for seq in seqs:
        ms, path = _timed(tree.inclusion_proof, authority.pk, seq, n)
        proof_ms.append(ms)
        ms, ok = _timed(merkle.verify_inclusion, leaves[seq], seq - 1, n, path, root)
        verify_ms.append(ms)
        verified += ok

    consistency_ms = []
    for _ in range(CONSISTENCY_PROOFS):
        old = rng.randint(1, n)
        ms, path = _timed(tree.consistency_proof, authority.pk, old, n)
        consistency_ms.append(ms)
        old_root = tree.root(authority.pk, old)
        verified += merkle.verify_consistency(old, n, old_root, root, path)
    return {
        "write_s": write_s, "grow_s": grow_s, "grow_cpu_us": grow_cpu * 1e6 / n,
        "nodes": AuditTreeNode.objects.count(),
        "proof_p50_ms": _pct(proof_ms, 50), "proof_p95_ms": _pct(proof_ms, 95),
        "proof_max_ms": max(proof_ms), "verify_p50_ms": _pct(verify_ms, 50),
        "consistency_p95_ms": _pct(consistency_ms, 95), "verified": verified,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_measure(int(sys.argv[3]))))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "audit_proofs", *sys.argv[1:]]))
