"""Flat cost as the data grows: complete submissions and the work basket on an empty
instance, then again with 1,000,000 cases and 5,000,000 audit entries in the database.

How it is measured:

1. A fresh instance (`rathaus setup`, demo) on a scratch PostgreSQL database, tasks in
   the database queue. The production layout of bench/scale_out.py: 2 web processes
   (gunicorn, one sync worker each) and 2 `rathaus worker`, the client sending
   round-robin. A "complete submission" is as there: the final POST of a Hundeanmeldung
   answered with the redirect to the new case, and the work it queued done (queue
   drained); rate = submissions / (first send … queue drained).
2. Empty: N complete submissions. Their tasks land in the Steueramt's basket; all but
   OPEN_IN_BASKET of them are then marked done (the clerks worked them off), so that
   the basket lists the same OPEN_IN_BASKET rows before and after the growth: what is
   measured is the cost of the data around it, not of a longer list. Then the work
   basket (`/verwaltung/`) of a clerk of the Steueramt (Max Mustermann, logged in with
   his TOTP device as `django_otp.login` leaves the session), BASKET_REQUESTS GETs one
   after the other from one client (one person's browser) against one gunicorn with
   the default 2 sync workers; p50/p95 of the full answer.
3. The growth, loaded with INSERT … SELECT generate_series in one transaction (foreign
   key triggers off, as pg_restore --disable-triggers loads), then
   ANALYZE (the mix is printed):
   - 40 more municipalities (a data centre's customers), 5 departments and file plan
     entries each; 100,000 citizen accounts (one per 10 cases);
   - 1,000,000 cases, each with its eAkte file (records_casefile), one task and one
     history event: 90% in the other municipalities (1% of them still open), 10% in
     Leichlingen, all decided (a third of those in the Steueramt, as Hundesteuer files;
     the rest in the Bürgerbüro); submitted over the last ten years;
   - 5,000,000 audit entries of the other municipalities, numbered 1…n per authority,
     with their chain heads (AuditChain) and the Merkle tree's stored subtrees
     (~10,000,000 nodes), as years of signing would have left them. Their hashes are
     placeholders: no chain of theirs is verified. Leichlingen's chain is left as it
     is, so its appends after the growth are checked by `verify_authority`.
   Documents (bodies, versions) of the old cases are not loaded: neither the basket
   nor a submission reads another case's documents.
4. Grown: the basket again, then N more complete submissions.
5. Afterwards: one case per sent draft, no failed task, Leichlingen's audit chain
   verifies.

Targets: rate(grown) ≥ 0.90 × rate(empty); basket p95 < 100 ms with the data.

Options (environment): BENCH_GROWTH_CASES (1000000), BENCH_GROWTH_AUDIT (5000000),
BENCH_GROWTH_SENDS (300 per phase), BENCH_GROWTH_BASKET (200 requests).
"""

import json
import os
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import scale_out
import submissions
from _instance import (
    Browser,
    gunicorn,
    percentile,
    postgres_server,
    run_child,
    scratch_instance,
)

TARGET_RATIO = 0.90
TARGET_BASKET_P95_MS = 100.0
WEB, WORKERS = 2, 2
OTHER_AUTHORITIES = 40
DEPARTMENTS_PER_AUTHORITY = 5
CASES_PER_CITIZEN = 10
OPEN_IN_BASKET = 100  # rows the measured basket lists, before and after the growth
OTHERS_OPEN_PERCENT = 1  # of the other municipalities' cases, still open
CLERK = "max.mustermann@leichlingen.example"  # a clerk of the Steueramt only
DEPARTMENT = "steueramt"  # the department deciding the Hundeanmeldung
BASKET_PATH = "/verwaltung/"


def _option(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def run(options) -> list[dict]:
    cases = _option("BENCH_GROWTH_CASES", 1_000_000)
    audit = _option("BENCH_GROWTH_AUDIT", 5_000_000)
    n = _option("BENCH_GROWTH_SENDS", 300)
    basket_requests = _option("BENCH_GROWTH_BASKET", 200)
    server_url = postgres_server(options)
    if not server_url:
        return [{"metric": "skipped", "value": "needs PostgreSQL (BENCH_DATABASE=sqlite set)"}]
    load_before = os.getloadavg()
    with ExitStack() as stack:
        tmp, env = scratch_instance(stack, "postgresql", server_url, TASK_BACKEND="database")
        per_phase = n + scale_out.WARMUP_PER_WEB * WEB
        print(f"   creating {2 * per_phase} citizens …", flush=True)
        sessions = list(enumerate(run_child(
            submissions.__file__, ["citizens", str(2 * per_phase)], env, tmp,
            timeout=600)["sessions"]))
        staff = run_child(__file__, ["staff", CLERK], env, tmp, timeout=120)

        empty = scale_out.measure(env, tmp, web=WEB, workers=WORKERS, n=n,
                                  sessions=sessions[:per_phase])
        left_open = run_child(__file__, ["close", str(OPEN_IN_BASKET)], env, tmp,
                              timeout=120)["open"]
        basket_empty = measure_basket(env, tmp, staff, basket_requests)

        print(f"   loading {cases:,} cases and {audit:,} audit entries …", flush=True)
        loaded = load(env["DATABASE_URL"], cases=cases, audit=audit)
        print(f"   loaded in {loaded['seconds']:.0f} s: {loaded['mix']}", flush=True)
        # What the workers' start would otherwise do inside the measurement: a signed
        # head for each new municipality (their trees are there already).
        run_child(__file__, ["sign", "-"], env, tmp, timeout=600)

        basket_grown = measure_basket(env, tmp, staff, basket_requests)
        grown = scale_out.measure(env, tmp, web=WEB, workers=WORKERS, n=n,
                                  sessions=sessions[per_phase:])
        drafts_file = tmp / "drafts.json"
        drafts_file.write_text(json.dumps(empty["drafts"] + grown["drafts"]))
        check = run_child(__file__, ["verify", str(drafts_file)], env, tmp, timeout=1200)
    return report(empty, grown, basket_empty, basket_grown, loaded, check, n=n,
                  left_open=left_open, load_before=load_before)


# --- the work basket ---------------------------------------------------------------------

def measure_basket(env: dict, cwd: Path, staff: dict, requests: int) -> dict:
    """`requests` GETs of the clerk's basket, one after the other; the first few warm
    the gunicorn workers up and are not counted."""
    warmup = 4
    latencies = Counter()
    with gunicorn(env, cwd, log_name="gunicorn-basket.log") as (base, _):
        browser = Browser(base)
        browser.cookies.update(staff["cookies"])
        for i in range(warmup + requests):
            body = []
            status, location, ms = browser.request("GET", BASKET_PATH, body_out=body)
            if status != 200:
                raise RuntimeError(f"the work basket answered {status} {location}")
            if i >= warmup:
                latencies[round(ms, 1)] += 1
    rows = max(0, body[0].count(b'<tr class="kern-table__row') - 1)  # minus the header
    load = os.getloadavg()
    print(f"   basket: {rows} rows, p50 {percentile(latencies, 50):.0f} ms, "
          f"p95 {percentile(latencies, 95):.0f} ms", flush=True)
    return {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "max": max(latencies), "rows": rows, "load": load}


# --- the growth, in SQL --------------------------------------------------------------------

def load(database_url: str, *, cases: int, audit: int) -> dict:
    """Loads the grown data (see the module's docstring) in one transaction, then
    ANALYZE; returns the seconds it took and the mix."""
    import psycopg

    started = time.monotonic()
    params = {"cases": cases, "audit": audit, "towns": OTHER_AUTHORITIES,
              "depts": DEPARTMENTS_PER_AUTHORITY, "citizens": max(1, cases // CASES_PER_CITIZEN),
              "open_pct": OTHERS_OPEN_PERCENT, "department": DEPARTMENT}
    with psycopg.connect(database_url, autocommit=False) as conn:
        conn.execute("SET synchronous_commit = off")
        # No foreign key checks, as pg_restore --disable-triggers loads: Django's keys
        # are DEFERRABLE INITIALLY DEFERRED, so ~30 million checks would queue up for
        # the COMMIT and take longer than the load. The rows are made consistent here.
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '256MB'")
        conn.execute("SET work_mem = '64MB'")
        for step, statement in LOAD_STEPS:
            step_started = time.monotonic()
            conn.execute(statement, params)
            print(f"      {step}: {time.monotonic() - step_started:.0f} s", flush=True)
        for table in IDENTITY_TABLES:  # explicit ids were given: move the sequences on
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                         f"(SELECT MAX(id) FROM {table}))")
        mix = conn.execute(MIX_QUERY).fetchall()
        conn.commit()
    with psycopg.connect(database_url, autocommit=True) as conn:
        step_started = time.monotonic()
        conn.execute("ANALYZE")
        print(f"      ANALYZE: {time.monotonic() - step_started:.0f} s", flush=True)
    text = "; ".join(f"{what}: {count:,}" for what, count in mix)
    return {"seconds": time.monotonic() - started, "mix": text}


IDENTITY_TABLES = ("accounts_user", "records_casefile")

LOAD_STEPS = [
    ("municipalities", """
        INSERT INTO authorities_authority (slug, name, short_name, municipality_key, street,
            postcode, city, email, phone, accessibility_contact, data_protection_officer,
            is_default, created_at, security_contact, contributor_id, kind, parent_id,
            parent_name, parent_url, name_in_sentence, catalog_revision)
        SELECT 'bench-town-' || g, 'Stadt Benchheim ' || g, 'Benchheim ' || g,
            lpad(g::text, 12, '0'), street, postcode, 'Benchheim ' || g, email, phone,
            accessibility_contact, data_protection_officer, false, now(), security_contact,
            contributor_id, kind, parent_id, parent_name, parent_url,
            'der Stadt Benchheim ' || g, catalog_revision
        FROM authorities_authority a, generate_series(1, %(towns)s) g
        WHERE a.slug = 'burscheid'"""),
    ("departments and file plan entries", """
        WITH made AS (
            INSERT INTO authorities_department (slug, name, code, authority_id)
            SELECT 'abteilung-' || d, 'Abteilung ' || d, (10 * d)::text, a.id
            FROM authorities_authority a, generate_series(1, %(depts)s) d
            WHERE a.slug LIKE 'bench-town-%%'
            RETURNING id, code, authority_id)
        INSERT INTO records_fileplanentry (code, title, retention_years, disposal,
            reference_pattern, authority_id, department_id, parent_id)
        SELECT code, 'Vorgänge', 10, 'V', '{code}-{year}-{number:06d}', authority_id, id,
            NULL
        FROM made"""),
    # Where the cases go: slot 0 … towns × depts - 1 the other municipalities'
    # departments, -1 Leichlingen's Steueramt, -2 its Bürgerbüro.
    # Where the cases go: slot 0 … towns × depts - 1 the other municipalities'
    # departments, -1 Leichlingen's Steueramt, -2 its Bürgerbüro.
    ("slots", """
        CREATE TEMP TABLE bench_slot ON COMMIT DROP AS
        SELECT (row_number() OVER (ORDER BY d.id) - 1)::int AS slot, d.authority_id,
            d.id AS department_id, p.id AS plan_entry_id, p.code,
            (ARRAY['meldebescheinigung', 'hundeanmeldung', 'gewerbeanmeldung',
                   'sperrmuell', 'geburtsurkunde'])[1 + (row_number() OVER (ORDER BY d.id)
                   - 1) %% 5] AS service_id, false AS measured
        FROM authorities_department d JOIN authorities_authority a ON a.id = d.authority_id
        JOIN records_fileplanentry p ON p.department_id = d.id
        WHERE a.slug LIKE 'bench-town-%%'"""),
    ("slot of the Steueramt", """
        INSERT INTO bench_slot
        SELECT -1, d.authority_id, d.id, p.id, p.code, 'hundeanmeldung', true
        FROM authorities_department d JOIN authorities_authority a ON a.id = d.authority_id
        JOIN records_fileplanentry p ON p.department_id = d.id
        WHERE a.is_default AND d.slug = %(department)s AND p.title = 'Hundesteuer'"""),
    ("slot of the Bürgerbüro", """
        INSERT INTO bench_slot
        SELECT -2, d.authority_id, d.id, MIN(p.id), MIN(p.code), 'meldebescheinigung', true
        FROM authorities_department d JOIN authorities_authority a ON a.id = d.authority_id
        JOIN records_fileplanentry p ON p.department_id = d.id
        WHERE a.is_default AND d.slug = 'buergerbuero'
        GROUP BY d.authority_id, d.id"""),
    ("citizens", """
        INSERT INTO accounts_user (id, password, is_superuser, email, first_name, last_name,
            kind, is_active, email_verified_at, date_joined)
        SELECT (SELECT MAX(id) FROM accounts_user) + g, '!', false,
            'bench-growth-' || g || '@example.org', 'Anna', 'Alt' || g, 'citizen', true,
            now(), now() - (g %% 3650) * interval '1 day'
        FROM generate_series(1, %(citizens)s) g"""),
    ("case map", """
        CREATE TEMP TABLE bench_case ON COMMIT DROP AS
        SELECT g, s.authority_id, s.department_id, s.plan_entry_id, s.code, s.service_id,
            (NOT s.measured AND (g / 10) %% 100 < %(open_pct)s) AS open,
            md5('bench-case-' || g)::uuid AS case_id,
            (SELECT COALESCE(MAX(id), 0) FROM records_casefile) + g AS file_id,
            (SELECT MAX(id) FROM accounts_user) - %(citizens)s + 1
                + g %% %(citizens)s AS applicant_id,
            s.code || '-ALT-' || lpad(g::text, 8, '0') AS reference,
            now() - interval '3 days' - (g %% 3650) * interval '1 day' AS submitted_at
        FROM generate_series(1, %(cases)s) g
        JOIN bench_slot s ON s.slot = CASE
            WHEN g %% 10 = 0 THEN CASE WHEN (g / 10) %% 3 = 0 THEN -1 ELSE -2 END
            -- the others numbered 0, 1, 2 … and spread over their departments in turn
            ELSE ((g / 10) * 9 + g %% 10 - 1) %% (%(towns)s * %(depts)s) END"""),
    ("case files", """
        INSERT INTO records_casefile (id, uuid, aktenzeichen, title, retention_years,
            opened_at, closed_at, retention_until, authority_id, subject_id, plan_entry_id,
            department_id, legal_hold)
        SELECT file_id, md5('bench-file-' || g)::uuid, reference, 'Vorgang ' || reference,
            10, submitted_at, CASE WHEN open THEN NULL ELSE submitted_at + interval '20 days'
            END, CASE WHEN open THEN NULL ELSE (submitted_at + interval '10 years')::date END,
            authority_id, applicant_id, plan_entry_id, department_id, ''
        FROM bench_case"""),
    ("cases", """
        INSERT INTO cases_case (id, reference, service_id, service_version, answers,
            answers_sha256, status, submitted_at, applicant_id, authority_id, case_file_id,
            draft_id, decided_at, decided_by_id, decision, decision_reason, proposed_by_id,
            handover_submission_id)
        SELECT case_id, reference, service_id, 1,
            jsonb_build_object('first_name', 'Anna', 'last_name', 'Alt' || g,
                'street', 'Lindenweg', 'house_number', (g %% 200)::text,
                'postcode', '42799', 'note', repeat('x', 120)),
            md5(reference) || md5(reference), CASE WHEN open THEN 'submitted'
            ELSE 'approved' END, submitted_at, applicant_id, authority_id, file_id, NULL,
            CASE WHEN open THEN NULL ELSE submitted_at + interval '20 days' END, NULL,
            CASE WHEN open THEN '' ELSE 'approve' END, '', NULL, NULL
        FROM bench_case"""),
    ("tasks", """
        INSERT INTO cases_task (workflow_task, title, reference, status, due_date,
            created_at, completed_at, authority_id, case_id, completed_by_id, department_id,
            assigned_to_id)
        SELECT 'pruefen', 'Antrag prüfen', reference, CASE WHEN open THEN 'open'
            ELSE 'done' END, (submitted_at + interval '14 days')::date, submitted_at,
            CASE WHEN open THEN NULL ELSE submitted_at + interval '20 days' END,
            authority_id, case_id, NULL, department_id, NULL
        FROM bench_case"""),
    ("case events", """
        INSERT INTO cases_caseevent (at, kind, status, text, internal, actor_id,
            authority_id, case_id)
        SELECT submitted_at, 'submitted', 'submitted', '', false, applicant_id,
            authority_id, case_id
        FROM bench_case"""),
    ("municipalities numbered", """
        CREATE TEMP TABLE bench_town ON COMMIT DROP AS
        SELECT (row_number() OVER (ORDER BY id) - 1)::int AS k, id
        FROM authorities_authority WHERE slug LIKE 'bench-town-%%'"""),
    ("audit entries", """
        INSERT INTO audit_auditentry (seq, created_at, actor_label, action, object_type,
            object_id, data, prev_hash, hash, actor_id, authority_id)
        SELECT (g - 1) / %(towns)s + 1, now() - interval '3 days'
                - ((%(audit)s - g) / 500) * interval '1 minute', '', 'case.submitted',
            'cases.case', md5('bench-case-' || g), jsonb_build_object('reference',
            'ALT-' || g), repeat('0', 64), md5('a' || g) || md5('b' || g), NULL, t.id
        FROM generate_series(1, %(audit)s) g JOIN bench_town t ON t.k = (g - 1) %% %(towns)s"""),
    ("audit chain heads", """
        INSERT INTO audit_auditchain (last_seq, last_hash, authority_id)
        SELECT MAX(seq), md5('head' || authority_id) || md5('head' || authority_id),
            authority_id
        FROM audit_auditentry WHERE authority_id IN (SELECT id FROM bench_town)
        GROUP BY authority_id"""),
    # Every complete subtree of each tree (RFC 9162 as audit.tree keeps them): at level
    # l the nodes 0 … size/2^l - 1. Placeholder hashes: these trees are not verified.
    ("audit tree nodes", """
        INSERT INTO audit_audittreenode (level, index, hash, authority_id)
        SELECT l, i, decode(repeat('00', 32), 'hex'), c.authority_id
        FROM audit_auditchain c JOIN bench_town t ON t.id = c.authority_id
        CROSS JOIN generate_series(0, 62) l
        CROSS JOIN LATERAL generate_series(0, (c.last_seq >> l) - 1) i
        WHERE (c.last_seq >> l) > 0"""),
]

MIX_QUERY = """
    SELECT what, n FROM (
        SELECT 1 AS k, 'municipalities' AS what, COUNT(*) AS n FROM authorities_authority
        UNION ALL SELECT 2, 'citizens', COUNT(*) FROM accounts_user
        UNION ALL SELECT 3, 'cases', COUNT(*) FROM cases_case
        UNION ALL SELECT 4, 'of them Leichlingen', COUNT(*) FROM cases_case c
            JOIN authorities_authority a ON a.id = c.authority_id WHERE a.is_default
        UNION ALL SELECT 5, 'in its Steueramt', COUNT(*) FROM cases_task t
            JOIN authorities_department d ON d.id = t.department_id
            JOIN authorities_authority a ON a.id = d.authority_id
            WHERE a.is_default AND d.slug = 'steueramt'
        UNION ALL SELECT 6, 'open there', COUNT(*) FROM cases_task t
            JOIN authorities_department d ON d.id = t.department_id
            JOIN authorities_authority a ON a.id = d.authority_id
            WHERE a.is_default AND d.slug = 'steueramt' AND t.status <> 'done'
        UNION ALL SELECT 7, 'open tasks elsewhere', COUNT(*) FROM cases_task t
            JOIN authorities_department d ON d.id = t.department_id
            WHERE d.slug <> 'steueramt' AND t.status <> 'done'
        UNION ALL SELECT 8, 'audit entries', COUNT(*) FROM audit_auditentry
        UNION ALL SELECT 9, 'audit tree nodes', COUNT(*) FROM audit_audittreenode
    ) mix ORDER BY k
"""


# --- the report ------------------------------------------------------------------------------

def report(empty, grown, basket_empty, basket_grown, loaded, check, *, n, left_open,
           load_before) -> list[dict]:
    ratio = grown["rate"] / empty["rate"] if empty["rate"] else 0.0
    errors = empty["errors"] + grown["errors"]
    failed = scale_out.failed_tasks(grown)
    print(f"   empty {empty['rate']:.1f}/s, grown {grown['rate']:.1f}/s: ratio {ratio:.2f}; "
          f"basket p95 {basket_empty['p95']:.0f} → {basket_grown['p95']:.0f} ms", flush=True)
    for problem in check["problems"]:
        print(f"   PROBLEM: {problem}", flush=True)

    def basket_rows(label: str, basket: dict) -> list[dict]:
        return [
            {"metric": f"{label}: work basket rows listed", "value": basket["rows"]},
            {"metric": f"{label}: work basket p50 / max", "value":
             f"{basket['p50']:.0f} / {basket['max']:.0f}", "unit": "ms"},
            {"metric": f"{label}: work basket p95", "value": basket["p95"], "unit": "ms",
             **({"target": f"< {TARGET_BASKET_P95_MS:g} ms",
                 "ok": basket["p95"] < TARGET_BASKET_P95_MS} if label == "grown" else {})},
            {"metric": f"{label}: load (1/5/15 min) after the basket",
             "value": " / ".join(f"{x:.2f}" for x in basket["load"])},
        ]

    return [
        {"metric": "setup", "value": (
            f"postgresql, {WEB} web (gunicorn 1 sync worker each) + {WORKERS} workers, "
            f"{n} sends per phase; basket: 1 client, gunicorn 2 sync workers, "
            f"{OPEN_IN_BASKET} open tasks listed ({left_open} found)")},
        {"metric": "machine load (1/5/15 min) before",
         "value": " / ".join(f"{x:.2f}" for x in load_before)},
        *scale_out.result_rows(empty, "empty: "),
        *basket_rows("empty", basket_empty),
        {"metric": "grown data", "value": loaded["mix"]},
        {"metric": "load time (INSERT … SELECT, ANALYZE)", "value": loaded["seconds"],
         "unit": "s"},
        *basket_rows("grown", basket_grown),
        *scale_out.result_rows(grown, "grown: "),
        {"metric": "submission rate grown / empty", "value": ratio,
         "target": f">= {TARGET_RATIO:.2f}", "ok": ratio >= TARGET_RATIO},
        {"metric": "failed sends", "value": errors, "target": "= 0", "ok": errors == 0},
        {"metric": "failed tasks", "value": failed, "target": "= 0", "ok": failed == 0},
        {"metric": "cases of the sent drafts", "value": check["cases"],
         "target": f"= {check['drafts']}, one per draft",
         "ok": not check["problems"] and check["cases"] == check["drafts"]},
        {"metric": "Leichlingen's audit chain after the growth",
         "value": f"{check['audit_entries']} entries",
         "target": "no findings", "ok": not check["audit_findings"]},
    ]


# --- child process: Django set up against the instance ---------------------------------------

def _staff_session(email: str) -> dict:
    """The cookies of the clerk's browser after the office login with TOTP."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rathaus.accounts.models import User

    user = User.objects.get(email=email)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        raise RuntimeError(f"{email} has no TOTP device in the demo")
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id  # as django_otp.login() leaves it
    session.create()
    return {"cookies": {settings.SESSION_COOKIE_NAME: session.session_key,
                        settings.CSRF_COOKIE_NAME: get_random_string(32)}}


def _close(keep_open: int) -> dict:
    """Marks the bench's submitted tasks in the Steueramt done, but the last
    `keep_open`, as the clerks would have worked them off."""
    from django.utils import timezone

    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Task

    with authority_context(Authority.objects.get(is_default=True)):
        tasks = Task.objects.filter(department__slug=DEPARTMENT,
                                    case__applicant__email__startswith=submissions.PREFIX
                                    ).exclude(status=Task.Status.DONE)
        keep = list(tasks.order_by("-created_at").values_list("pk", flat=True)[:keep_open])
        tasks.exclude(pk__in=keep).update(status=Task.Status.DONE,
                                          completed_at=timezone.now())
        return {"open": Task.objects.filter(department__slug=DEPARTMENT).exclude(
            status=Task.Status.DONE).count()}


def _sign() -> dict:
    from rathaus.audit.tree_heads import sign_all_heads

    return {"signed": sign_all_heads()}


def _verify(draft_ids: list[str]) -> dict:
    """One case per draft; Leichlingen's audit chain (the other municipalities' bulk
    entries have placeholder hashes and are not verified)."""
    from rathaus.audit.verification import verify_authority
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Case

    authority = Authority.objects.get(is_default=True)
    problems = []
    with authority_context(authority):
        by_draft = Counter(str(d) for d in Case.objects.filter(
            draft_id__in=draft_ids).values_list("draft_id", flat=True))
    if set(by_draft) != set(draft_ids):
        problems.append(f"{len(set(draft_ids) - set(by_draft))} drafts without a case")
    doubled = [d for d, count in by_draft.items() if count > 1]
    if doubled:
        problems.append(f"{len(doubled)} drafts with more than one case")
    entries, findings = verify_authority(authority)
    return {"cases": sum(by_draft.values()), "drafts": len(draft_ids), "problems": problems,
            "audit_entries": entries, "audit_findings": [str(f) for f in findings]}


def _child(command: str, arg: str) -> dict:
    import django

    django.setup()
    if command == "staff":
        return _staff_session(arg)
    if command == "close":
        return _close(int(arg))
    if command == "sign":
        return _sign()
    if command == "verify":
        return _verify(json.loads(Path(arg).read_text()))
    raise SystemExit(f"unknown child command {command!r}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "data_growth", *sys.argv[1:]]))
