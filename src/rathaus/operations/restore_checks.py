"""What a restore proves before it calls itself done: the audit log verifies, every
document version's bytes match their hash, every mailbox message (subject, body,
attachments) decrypts with the restored keys, and the tables hold as many rows as the
backup's manifest says. Nothing a message says is ever printed, only counts."""

import hashlib
from dataclasses import dataclass

from django.db import connection

from rathaus.accounts.permissions import unguarded_module
from rathaus.audit import triggers
from rathaus.audit.verification import verify_all
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox import keys as mailbox_keys
from rathaus.mailbox import sealing as mailbox_sealing
from rathaus.mailbox.crypto import DecryptionFailed
from rathaus.mailbox.models import Attachment, DataKey, Message
from rathaus.records.integrity import check_integrity

from .database_copy import COUNTED_TABLES

unguarded_module(__name__, "the operator's restore command and its checks: no person acts")


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def run_all(*, expected_counts: dict[str, int]) -> list[Check]:
    # The counts first: the integrity check writes its runs (and an audit entry for
    # each mismatch) into the restored database.
    return [row_counts(expected_counts), audit_log(), documents(), mailbox_messages()]


def row_counts(expected: dict[str, int]) -> Check:
    found, differing = {}, []
    with connection.cursor() as cursor:
        for label, table in COUNTED_TABLES.items():
            if label not in expected:
                continue
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (fixed names)
            found[label] = cursor.fetchone()[0]
            if found[label] != expected[label]:
                differing.append(f"{label} {found[label]} (backup: {expected[label]})")
    if differing:
        return Check("row counts", False, "; ".join(differing))
    return Check("row counts", True, ", ".join(f"{k} {v}" for k, v in found.items()))


def audit_log() -> Check:
    total, findings = verify_all([])
    problems = [str(finding) for finding in findings]
    if not triggers.installed():
        problems.append("the append-only triggers of the audit tables are missing")
    if problems:
        return Check("audit log", False, f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
    return Check("audit log", True, f"{total} entries verified")


def documents() -> Check:
    runs = check_integrity()
    checked = sum(run.checked for run in runs)
    mismatches = [f"{run.authority.slug}: {m['problem']} {m['version']} ({m['aktenzeichen']})"
                  for run in runs for m in run.mismatches]
    if mismatches:
        return Check("document hashes", False,
                     f"{len(mismatches)} of {checked} versions: " + "; ".join(mismatches[:5]))
    return Check("document hashes", True, f"{checked} versions match")


def mailbox_messages() -> Check:
    messages = attachments = 0
    failures: list[str] = []
    for authority in Authority.objects.order_by("pk"):
        with authority_context(authority):
            opened = _MessageOpener()
            for message in Message.objects.order_by("pk").iterator(chunk_size=500):
                messages += 1
                problem = opened.problem_of(message)
                if problem:
                    failures.append(f"{authority.slug}: message {message.pk}: {problem}")
                attachments += opened.attachments_opened
    if failures:
        return Check("mailbox", False, f"{len(failures)} of {messages} messages do not "
                                       "decrypt: " + "; ".join(failures[:5]))
    return Check("mailbox", True, f"{messages} messages and {attachments} attachments decrypt")


class _MessageOpener:
    """Opens messages of the active authority, unwrapping each data key version once."""

    def __init__(self):
        self._keys: dict[int, bytes] = {}
        self.attachments_opened = 0

    def _key(self, version: int) -> bytes:
        if version not in self._keys:
            self._keys[version] = mailbox_keys.data_key(version)
        return self._keys[version]

    def problem_of(self, message: Message) -> str | None:
        self.attachments_opened = 0
        try:
            key = self._key(message.key_version)
            mailbox_sealing.open_subject(message, key=key)
            mailbox_sealing.open_body(message, key=key)
            for attachment in Attachment.objects.filter(message=message):
                key = self._key(attachment.key_version)
                mailbox_sealing.open_filename(attachment, key=key)
                content = mailbox_sealing.open_attachment(attachment, key=key)
                if hashlib.sha256(content).hexdigest() != attachment.sha256:
                    return f"attachment {attachment.pk} does not match its SHA-256"
                self.attachments_opened += 1
        except DataKey.DoesNotExist:
            return "its data key is missing"
        except DecryptionFailed:
            return "does not decrypt (another master key, or changed)"
        except FileNotFoundError:
            return "an attachment's file is missing"
        return None
