"""Registrations of residence decided by the background workers: moves/s, end to end.

Each is the `issue_decision` task of an approved Wohnsitzanmeldung (issue 14): the
move entered in the resident register (persons found or entered, old residences of a
move within the town ended, new ones started, the household formed, the change handed
to the Fachverfahren adapter), for a move into the town the Rückmeldung to the previous
authority (a file in the eAkte; for another authority on this instance a task of its
own, which the workers run too: that register and basket), the Meldebestätigung as
PDF/A-2b (Typst) filed in the eAkte and delivered encrypted into the citizen's mailbox
with the signed "sent" and "delivered" receipts, the audit entries and the
notification e-mail enqueued; all in one transaction per case.

How it is measured:

1. A fresh instance (`rathaus setup`) on a scratch PostgreSQL database (default;
   BENCH_DATABASE=sqlite for SQLite in the temp dir), with TASK_BACKEND=database.
2. N approved cases, prepared through the services in a child process: citizens with
   the ID card's data of a login at level hoch; for the half that moves within the
   town, their household entered in the register at its old address first
   (`register_move_in`, as the Bürgerbüro did when they moved in); drafts started with
   the ID card's data and filled in through the form engine's validation (the landlord
   step answered "I own the flat myself": no landlord's confirmation to wait for),
   `submit_application`, then `propose_decision` "approve" by a clerk of the
   Bürgerbüro (no four eyes for this service), which enqueues `issue_decision`. To keep
   the preparation short, the submission's receipt PDF is rendered once and reused for
   all cases (the decision does not read it). The other half moves in: from Köln (the
   Rückmeldung is a file) or from Burscheid (the Rückmeldung goes to Burscheid's
   Bürgerbüro, whose register does not know them). A third move alone, a third with a
   spouse, a third with a spouse and a child; every fourth objects to election mail.
3. 2 worker processes are started: `rathaus worker --interval 0.05` (claims with
   SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL). The clock starts when the first
   worker is spawned, so interpreter and Django start-up and each worker's first Typst
   set-up (fonts) count; it stops at the last `issue_decision` finishing (its
   finished_at, found by polling the queue every 0.1 s), or the last Rückmeldung to
   Burscheid if that is later. The rate between the first task starting and the last
   finishing is shown as well.
4. Afterwards the database is checked: every task SUCCESSFUL; N approved cases with
   exactly one Meldebestätigung each; N mailbox messages with one attachment and the
   "sent" and "delivered" receipts each; in the register every mover of every case
   has a current main residence at the new address, a move within the town ended the
   old one on the day of the move (history kept), each household is one household of
   exactly its movers and its move is one change (one audit entry of its kind); one
   Rückmeldung per move into the town, of the right kind; the audit chain verifies.
   The run is bounded: after max(60 s, N × 1 s) the workers are stopped, and what the
   finished tasks left behind is still checked.

N is 30/s × --duration (default 10 s → 300), at least 60, at most 2000, or
BENCH_MOVES=N.
"""

import os
from collections import Counter
from contextlib import ExitStack

import _instance
from _instance import (
    create_citizens,
    drain_with_workers,
    mover,
    moving_pages,
    postgres_server,
    run_child,
)

TARGET_RATE = 30.0  # moves/s
WORKERS = 2
MIN_MOVES, MAX_MOVES = 60, 2000
POLL_SECONDS = 0.1
TASK_PATH = "rathaus.cases.tasks.issue_decision"
# The Rückmeldung to another authority on the instance: queued by the decision, part of
# the work the workers do for a move from there.
REPORT_TASK_PATH = "rathaus.residents.tasks.receive_report"
# Each decision changes the moves per part of town: a refresh of the open data is queued
# unless one is waiting already. The workers run those meanwhile.
REFRESH_TASK_PATH = "rathaus.opendata.publish.tasks.refresh_automatic_datasets"
PASSWORD = "Bench-Passwort-2026!"
SERVICE = _instance.MOVING_SERVICE
PREFIX = "bench-register"  # of the citizens' e-mail addresses
CLERK = "erika.mustermann@leichlingen.example"  # a clerk of the demo's Bürgerbüro


def _move_count(options) -> int:
    if os.environ.get("BENCH_MOVES"):
        return int(os.environ["BENCH_MOVES"])
    return max(MIN_MOVES, min(MAX_MOVES, round(TARGET_RATE * float(options.duration))))


def run(options) -> list[dict]:
    n = _move_count(options)
    server_url = postgres_server(options)
    load_before = os.getloadavg()[0]  # before our own setup adds to it
    database = "postgresql" if server_url else "sqlite"
    with ExitStack() as stack:  # unwinds in reverse: workers, database, temp dir
        tmp, env = _instance.queued_instance(stack, server_url, name="moves")

        print(f"   preparing {n} approved registrations …", flush=True)
        prepared, prepare_seconds = _instance.prepare_tasks(
            __file__, n, env, tmp, timeout=60 + 2 * n, what="issue_decision")
        command = prepared["worker_command"]
        print(f"   {WORKERS} × `rathaus {' '.join(command)}` …", flush=True)
        reports = sum(1 for i in range(n) if mover(i)["city"] == "Burscheid")
        drained = drain_with_workers(stack, env, tmp, command, workers=WORKERS,
                                     task_paths=(TASK_PATH, REPORT_TASK_PATH),
                                     n=n + reports, poll_seconds=POLL_SECONDS)
        check = run_child(__file__, ["verify", str(n)], env, tmp, timeout=300)

    done = check["tasks"].get("SUCCESSFUL", 0)
    spawned_at, first_start, last_finish = (drained[k] for k in (
        "spawned_at", "first_start", "last_finish"))
    elapsed = (last_finish - spawned_at) if last_finish else 0.0
    rate = done / elapsed if elapsed > 0 else 0.0
    steady = (last_finish - first_start) if first_start and last_finish else 0.0
    steady_rate = done / steady if steady > 0 else 0.0
    startup = (first_start - spawned_at) if first_start else 0.0
    per_move = max(1, done)
    locks = drained["locks"]
    print(f"   prepared in {prepare_seconds:.0f} s; {done}/{n} registrations in "
          f"{elapsed:.1f} s = {rate:.1f}/s (steady {steady_rate:.1f}/s, first task after "
          f"{startup:.1f} s); worker CPU {drained['worker_cpu'] * 1000 / per_move:.0f} "
          "ms/move", flush=True)
    if drained["timed_out"]:
        print(f"   STOPPED: time bound reached with {done} of {n} done", flush=True)
    for problem in check["problems"] + check["audit_findings"][:5]:
        print(f"   PROBLEM: {problem}", flush=True)
    tasks_ok = check["tasks"] == {"SUCCESSFUL": n}
    delivered = (check["certificates"] == check["messages"] == n
                 and check["receipts"] == 2 * n)
    register_ok = check["registered"] == n and not check["problems"]
    within = sum(1 for i in range(n) if mover(i)["within"])
    return [
        {"metric": "setup",
         "value": f"{database}, {WORKERS} × rathaus {' '.join(command)}, {n} registrations "
                  f"({within} within the town, {n - within} into it; households of 1–3)"},
        {"metric": "machine load (1-min avg) before / at the end",
         "value": f"{load_before:.2f} / {drained['load_after']:.2f}"},
        {"metric": "register update + Meldebestätigung (from worker start)", "value": rate,
         "unit": "moves/s", "target": f">= {TARGET_RATE:g}/s", "ok": rate >= TARGET_RATE},
        {"metric": "register update + Meldebestätigung (first task to last)",
         "value": steady_rate, "unit": "moves/s"},
        {"metric": "worker start-up until first task", "value": startup, "unit": "s"},
        {"metric": "worker CPU per move", "value": drained["worker_cpu"] * 1000 / per_move,
         "unit": "ms"},
        *([{"metric": "PostgreSQL CPU per move",
            "value": drained["db_cpu"] * 1000 / per_move, "unit": "ms"},
           {"metric": "PG sessions in a transaction (avg)",
            "value": round(locks.average_in_transaction(), 2)},
           {"metric": "PG sessions waiting for a lock (avg)",
            "value": round(locks.average_waiting(), 2)},
           {"metric": "lock waits by table", "value": locks.summary()}] if server_url else []),
        {"metric": "issue_decision tasks successful", "value": done,
         "target": f"= {n}, none failed", "ok": tasks_ok},
        {"metric": "Meldebestätigungen, messages, receipts",
         "value": f"{check['certificates']}, {check['messages']}, {check['receipts']}",
         "target": f"= {n}, {n}, {2 * n}", "ok": delivered and not check["problems"]},
        {"metric": "households registered at the new address (one change each)",
         "value": check["registered"], "target": f"= {n}", "ok": register_ok},
        {"metric": "Rückmeldungen: files, tasks of the other authority",
         "value": f"{check['report_files']}, {check['report_tasks']}",
         "target": f"= {check['expected_files']}, {check['expected_tasks']}",
         "ok": (check["report_files"], check["report_tasks"])
         == (check["expected_files"], check["expected_tasks"])},
        {"metric": "notification e-mails sent meanwhile", "value": check["emails_sent"],
         "unit": f"of {check['emails_queued']}"},
        {"metric": "open data refreshes run meanwhile (their time in the workers)",
         "value": f"{check['refreshes']} ({check['refresh_ms'] / 1000:.1f} s)"},
        {"metric": "audit chain entries verified", "value": check["audit_entries"],
         "target": "no findings", "ok": not check["audit_findings"]},
    ]


# --- child process: Django set up against the instance -----------------------------------

def _household(i: int):
    """Mover i and those moving with them, as the register's newcomers."""
    from datetime import date

    from rathaus.residents.models import Relationship
    from rathaus.residents.services import Newcomer

    m = mover(i)
    head = Newcomer(family_name=m["family_name"], given_names=m["given_name"],
                    date_of_birth=date.fromisoformat(m["birth_date"]),
                    place_of_birth=m["birth_place"], sex="w", relationship=Relationship.HEAD)
    return [head, *(
        Newcomer(family_name=m["family_name"], given_names=given,
                 date_of_birth=date.fromisoformat(born), place_of_birth=place, sex=sex,
                 relationship=relationship)
        for given, born, place, sex, relationship in _instance.MEMBERS[:m["members"]])]


def _prepare(n: int) -> dict:
    from datetime import date

    from django_tasks_db.models import DBTaskResult

    from rathaus.accounts.models import User
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases import submission
    from rathaus.cases.actions import propose_decision
    from rathaus.catalog.registry import definition
    from rathaus.forms import services as drafts
    from rathaus.identity.models import IdCardData
    from rathaus.residents.directory import dwelling_at, street_named
    from rathaus.residents.models import ResidenceKind
    from rathaus.residents.services import register_move_in

    emails = create_citizens(n, prefix=PREFIX, password=PASSWORD)
    _instance.create_id_cards(emails)
    service = definition(SERVICE)
    clerk = User.objects.get(email=CLERK)
    authority = Authority.objects.get(is_default=True)
    render_receipt, receipt = submission.receipt_pdf, None

    def reused_receipt(**kwargs) -> bytes:
        nonlocal receipt
        receipt = receipt or render_receipt(**kwargs)
        return receipt

    submission.receipt_pdf = reused_receipt
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    cards = {c.user_id: c for c in IdCardData.objects.filter(user__in=users.values())}
    with authority_context(authority):
        for i, email in enumerate(emails):
            m, user = mover(i), users[email]
            if m["within"]:  # they live in the town: the register knows them
                old = street_named(m["street"])
                register_move_in(actor=clerk, household=_household(i),
                                 dwelling=dwelling_at(street=old,
                                                      house_number=m["house_number"]),
                                 moved_in=date(2020, 1, 1), kind=ResidenceKind.MAIN)
            draft = drafts.start_draft(user=user, definition=service, id_card=cards[user.pk])
            draft = drafts.fill_in(draft=draft, definition=service,
                                   pages=moving_pages(i, landlord={"landlord_mode": "self"}))
            case = submission.submit_application(user=user, draft_id=draft.pk,
                                                 definition=service)
            propose_decision(case=case, staff=clerk, decision="approve")
    ready = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count()
    return {"ready": ready, "worker_command": _instance.worker_command()}


def _verify(n: int) -> dict:
    """What the successful issue_decision tasks left behind, case by case: one
    Meldebestätigung, one message with its attachment and receipts, the movers at the
    new address and no one else in their household, one change, the Rückmeldung;
    nothing for the others."""
    from datetime import date

    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from rathaus.audit.models import AuditEntry
    from rathaus.audit.verification import verify_all
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Case, Task
    from rathaus.mailbox.models import Attachment, Message, Receipt
    from rathaus.records.models import Document
    from rathaus.residents.models import HouseholdMember, Residence
    from rathaus.residents.registration import REPORT_TITLE
    from rathaus.residents.services import find_person

    problems = []
    results = DBTaskResult.objects.filter(task_path=TASK_PATH)
    tasks = dict(results.values_list("status").annotate(n=Count("id")))
    report_tasks_done = DBTaskResult.objects.filter(task_path=REPORT_TASK_PATH,
                                                    status="SUCCESSFUL").count()
    emails = dict(DBTaskResult.objects.filter(task_path="rathaus.outbound_email.send_email")
                  .values_list("status").annotate(n=Count("id")))
    refreshes = DBTaskResult.objects.filter(task_path=REFRESH_TASK_PATH, status="SUCCESSFUL")
    refresh_ms = [(r.finished_at - r.started_at).total_seconds() * 1000 for r in refreshes]
    failed = DBTaskResult.objects.filter(status="FAILED").first()
    if failed is not None:
        problems.append(f"failed task {failed.task_path}: {failed.traceback[-800:]}")
    done_ids = {r.args_kwargs["kwargs"]["case_id"]
                for r in results.filter(status="SUCCESSFUL")}
    burscheid = Authority.objects.get(slug="burscheid")
    with authority_context(burscheid):
        report_tasks = set(Task.objects.values_list("reference", flat=True))
    figures = {"certificates": 0, "messages": 0, "receipts": 0, "registered": 0,
               "report_files": 0, "report_tasks": 0, "expected_files": 0,
               "expected_tasks": 0}
    with authority_context(Authority.objects.get(is_default=True)):
        cases = (Case.objects.filter(service_id=SERVICE, applicant__email__startswith=PREFIX)
                 .select_related("applicant", "case_file").order_by("applicant__email"))
        if cases.count() != n or cases.exclude(status=Case.Status.APPROVED).exists():
            problems.append(f"expected {n} approved cases")
        changes = Counter(AuditEntry.objects.filter(
            action__in=("residents.move_in", "residents.move_within"))
            .values_list("object_id", "action"))
        for i, case in enumerate(cases):
            finished = str(case.pk) in done_ids
            m = mover(i)
            if case.applicant.email != f"{PREFIX}-{i:05d}@example.org":
                problems.append(f"case {case.reference} is not of mover {i}")
                break
            kinds = dict(Document.objects.filter(case_file=case.case_file)
                         .values_list("kind").annotate(k=Count("id")))
            kinds["report"] = Document.objects.filter(case_file=case.case_file,
                                                      title=REPORT_TITLE).count()
            messages = Message.objects.filter(reference=case.reference)
            receipts = set(Receipt.objects.filter(message__in=messages)
                           .values_list("event", flat=True))
            figures["certificates"] += kinds.get("notice", 0)
            figures["messages"] += messages.count()
            figures["receipts"] += Receipt.objects.filter(message__in=messages).count()
            if not finished:
                if kinds.get("notice") or messages.exists():
                    problems.append(f"{case.reference}: output without a finished task")
                continue
            if kinds.get("notice") != 1 or messages.count() != 1 or \
                    Attachment.objects.filter(message__in=messages).count() != 1 or \
                    receipts != {"sent", "delivered"}:
                problems.append(f"{case.reference}: not one Meldebestätigung delivered with "
                                "its attachment and receipts")
            if not m["within"]:
                from_burscheid = m["city"] == "Burscheid"
                figures["expected_tasks" if from_burscheid else "expected_files"] += 1
                figures["report_files"] += kinds["report"]
                figures["report_tasks"] += case.reference in report_tasks
            moved_in = date.fromisoformat(case.answers["move_in_date"])
            persons = [find_person(newcomer) for newcomer in _household(i)]
            street, number = m["new"]
            current = [p and p.residences.filter(moved_out__isnull=True).select_related(
                "dwelling").first() for p in persons]
            at_new = all(r is not None and r.kind == "main" and r.moved_in == moved_in
                         and r.dwelling.street == street and r.dwelling.house_number == number
                         for r in current)
            ended = [p.residences.filter(moved_out=moved_in).count() for p in persons if p]
            history = ended == ([1] * len(persons) if m["within"] else [0] * len(persons))
            households = {h for p in persons if p
                          for h in HouseholdMember.objects.filter(person=p)
                          .values_list("household_id", flat=True)}
            household = next(iter(households)) if len(households) == 1 else None
            one_household = household is not None and HouseholdMember.objects.filter(
                household_id=household).count() == len(persons)
            kind = "residents.move_within" if m["within"] else "residents.move_in"
            one_change = changes.get((str(household), kind), 0) == 1
            if at_new and history and one_household and one_change:
                figures["registered"] += 1
            else:
                problems.append(f"{case.reference}: register not as expected (at the new "
                                f"address {at_new}, history {history}, one household "
                                f"{one_household}, one change {one_change})")
        if len(problems) > 20:
            problems = [*problems[:20], f"… and {len(problems) - 20} more"]
        if Residence.objects.filter(moved_out__isnull=True, kind="main").values("person") \
                .annotate(k=Count("id")).filter(k__gt=1).exists():
            problems.append("a person with two current main residences")
    entries, findings = verify_all()
    if report_tasks_done != figures["report_tasks"]:
        problems.append(f"{report_tasks_done} Rückmeldung tasks successful for "
                        f"{figures['report_tasks']} tasks in the other authority's basket")
    return {**figures, "tasks": tasks, "problems": problems,
            "emails_queued": sum(emails.values()), "emails_sent": emails.get("SUCCESSFUL", 0),
            "refreshes": len(refresh_ms), "refresh_ms": sum(refresh_ms),
            "audit_entries": entries, "audit_findings": [str(f) for f in findings]}


if __name__ == "__main__":
    _instance.worker_bench_main(__file__, prepare=_prepare, verify=_verify)
