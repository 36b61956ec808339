"""The steps of the load and fault tests that need Django: run as a child process
against the cluster's database (`python bench/load/_steps.py STEP ARGS.json`), each
printing its answer as one JSON line.

- citizens: verified citizens with a profile and a logged-in session each (bench's
  `create_citizens` and `logged_in_sessions`: no Argon2 check per login);
- clerks: staff of the Steueramt with a TOTP device, each with a session as the office
  login leaves it (password and code checked: `otp_device_id` in the session);
- messages: the mailbox messages of the decided cases of some drafts, so that their
  citizens can open them (which writes the "retrieved" receipt);
- verify: what must hold afterwards (exactly one case per draft, one notice and one
  message per decided case, every receipt's signature, no failed task, the audit chain).
"""

import json
import sys
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH_DIR))

SERVICE = "hundeanmeldung"
DECIDING_DEPARTMENT = "steueramt"
STAFF_PASSWORD = "Last-Test-Passwort-2026!"


def citizens(args: dict) -> dict:
    from _instance import create_citizens, logged_in_sessions

    emails = create_citizens(args["count"], prefix=args["prefix"], password=STAFF_PASSWORD)
    return {"sessions": logged_in_sessions(emails)}


def clerks(args: dict) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rathaus.accounts.models import StaffMembership, User
    from rathaus.authorities.models import Authority, Department
    from rathaus.authorities.tenancy import authority_context

    town = Authority.objects.get(is_default=True)
    with authority_context(town):
        department = Department.objects.get(slug=DECIDING_DEPARTMENT)
    sessions = []
    for i in range(args["count"]):
        user = User.objects.create_user(
            f"{args['prefix']}-{i:03d}@example.org", STAFF_PASSWORD, first_name="Lara",
            last_name=f"Last{i:03d}", kind=User.Kind.STAFF)
        device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
        with authority_context(town):
            StaffMembership.objects.create(user=user, department=department, role="clerk")
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["otp_device_id"] = device.persistent_id  # as django_otp.login() leaves it
        session.create()
        sessions.append({settings.SESSION_COOKIE_NAME: session.session_key,
                         settings.CSRF_COOKIE_NAME: get_random_string(32)})
    return {"sessions": sessions}


def messages(args: dict) -> dict:
    """draft id -> the ids of the mailbox messages of its case (decided cases only)."""
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Case
    from rathaus.mailbox.models import Message

    with authority_context(Authority.objects.get(is_default=True)):
        cases = {c.reference: str(c.draft_id) for c in Case.objects.filter(
            draft_id__in=args["drafts"], status=Case.Status.APPROVED)}
        found: dict[str, list[str]] = {}
        for message_id, reference in Message.objects.filter(
                reference__in=list(cases)).values_list("id", "reference"):
            found.setdefault(cases[reference], []).append(str(message_id))
    return {"messages": found}


def verify(args: dict) -> dict:
    """The figures of the checks; `problems` lists every one that fails."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from rathaus.audit.verification import verify_all
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Case
    from rathaus.dogs.models import Dog
    from rathaus.forms.models import Draft
    from rathaus.mailbox import receipts
    from rathaus.mailbox.models import Message, Receipt, SigningKey
    from rathaus.records.models import Document

    drafts = set(args["drafts"])  # every draft the clients sent (or tried to)
    confirmed = set(args.get("confirmed", []))  # those the server answered with the case
    problems = []
    with authority_context(Authority.objects.get(is_default=True)):
        cases = Case.objects.filter(service_id=SERVICE, applicant__email__startswith=args["prefix"])
        per_draft = Counter(str(d) for d in cases.values_list("draft_id", flat=True))
        lost_confirmed = confirmed - set(per_draft)
        unsent = drafts - set(per_draft)  # sent but no case: lost unless never arrived
        submitted_without_case = Draft.objects.filter(
            pk__in=list(unsent), submitted_at__isnull=False).count()
        doubled = sorted(d for d, n in per_draft.items() if n > 1)
        foreign = set(per_draft) - drafts
        if lost_confirmed:
            problems.append(f"{len(lost_confirmed)} drafts answered with a case have none")
        if submitted_without_case:
            problems.append(f"{submitted_without_case} drafts marked sent without a case")
        if doubled:
            problems.append(f"{len(doubled)} drafts with more than one case")
        if foreign:
            problems.append(f"{len(foreign)} cases from drafts the clients never sent")

        decided = list(cases.filter(status=Case.Status.APPROVED)
                       .values_list("reference", "case_file_id", "pk"))
        references = [r for r, _f, _p in decided]
        notices = Counter(dict(Document.objects.filter(
            case_file_id__in=[f for _r, f, _p in decided], kind="notice")
            .values_list("case_file_id").annotate(n=Count("id"))))
        notices_by_ref = {r: notices.get(f, 0) for r, f, _p in decided}
        dogs = Counter(dict(Dog.objects.filter(case_id__in=[p for _r, _f, p in decided])
                            .values_list("case_id").annotate(n=Count("id"))))
        mails = Counter(dict(Message.objects.filter(reference__in=references)
                             .values_list("reference").annotate(n=Count("id"))))
        for what, counts in (("notice", notices_by_ref.values()),
                             ("mailbox message", [mails.get(r, 0) for r in references]),
                             ("dog", [dogs.get(p, 0) for _r, _f, p in decided])):
            wrong = sum(1 for n in counts if n != 1)
            if wrong:
                problems.append(f"{wrong} decided cases without exactly one {what}")
        keys = {row.kid: bytes(row.public_key) for row in SigningKey.all_authorities.all()}
        receipt_rows = Receipt.objects.filter(message__reference__in=references)
        verified, invalid, events = 0, 0, Counter()
        for row in receipt_rows:
            document = receipts.document(signed_bytes=bytes(row.signed_bytes),
                                         signature=bytes(row.signature), kid=row.kid)
            try:
                claims = receipts.verify(json.loads(receipts.document_file(document)),
                                         public_key_for=keys.get)
            except receipts.InvalidReceipt:
                invalid += 1
                continue
            verified += 1
            events[claims["event"]] += 1
        if invalid:
            problems.append(f"{invalid} receipts do not verify")
        missing_delivery = len(references) - events["delivered"]
        if missing_delivery:
            problems.append(f"{missing_delivery} decided cases without a delivery receipt")
    failed = DBTaskResult.objects.filter(status="FAILED")
    failed_tasks = Counter(failed.values_list("task_path", flat=True))
    if failed_tasks:
        problems.append(f"failed tasks: {dict(failed_tasks)}")
    unfinished = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).count()
    entries, findings = verify_all()
    if findings:
        problems.append(f"audit verify: {len(findings)} findings, e.g. {findings[0]}")
    return {
        "drafts": len(drafts), "cases": sum(per_draft.values()),
        "drafts_with_case": len(per_draft), "lost": len(lost_confirmed) + submitted_without_case,
        "never_arrived": len(unsent) - submitted_without_case, "doubled": len(doubled),
        "decided": len(decided), "notices": sum(notices_by_ref.values()),
        "messages": sum(mails.get(r, 0) for r in references),
        "receipts_verified": verified, "receipts_invalid": invalid,
        "receipt_events": dict(events), "failed_tasks": dict(failed_tasks),
        "unfinished_tasks": unfinished, "audit_entries": entries,
        "audit_findings": len(findings), "problems": problems,
    }


STEPS = {"citizens": citizens, "clerks": clerks, "messages": messages, "verify": verify}

if __name__ == "__main__":
    import django

    django.setup()
    step = STEPS[sys.argv[1]]
    print(json.dumps(step(json.loads(Path(sys.argv[2]).read_text()))))
