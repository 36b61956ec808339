"""What the audit log's entries are called on the office's page: the kind of an entry
in words, who acted and what it concerned. An entry names a citizen by account number
only, and the page shows no more of them than that (never the name its actor label
keeps); kinds without words here are shown as they are stored."""

import re

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

KINDS = {
    # The citizen's copy of their data (Art. 15 GDPR).
    "subject_access.requested": _("Copy of personal data requested (Art. 15 GDPR)"),
    "subject_access.produced": _("Copy of personal data delivered to the mailbox"),
    "subject_access.failed": _("Copy of personal data could not be produced"),
    "personal_data.viewed": _("Personal data opened"),
    # The eAkte.
    "records.case_file_opened": _("File created"),
    "records.case_file_closed": _("File closed"),
    "records.document_added": _("Document added to a file"),
    "records.version_added": _("New version of a document"),
    "records.document_moved": _("Document moved to another file"),
    "records.note_added": _("Note added to a file"),
    "records.file_plan_entry_added": _("File plan entry added"),
    "records.file_plan_entry_changed": _("File plan entry changed"),
    "records.integrity_mismatch": _("Integrity check: document changed or missing"),
    # Incoming mail.
    "intake.item_received": _("Incoming mail received"),
    "intake.item_recognised": _("Incoming mail read (text recognition)"),
    "intake.recognition_failed": _("Incoming mail could not be read"),
    "intake.retry": _("Incoming mail read again"),
    "intake.item_filed": _("Incoming mail filed"),
    "intake.item_discarded": _("Incoming mail discarded"),
    # Hand-over to the archive (Aussonderung).
    "archive.legal_hold_set": _("Legal hold set on a file"),
    "archive.legal_hold_lifted": _("Legal hold lifted"),
    "archive.offered": _("Files offered to the archive (xdomea 0501)"),
    "archive.handed_over": _("Files handed over to the archive (xdomea 0503)"),
    "archive.file_disposed": _("File removed at the end of its retention"),
    "archive.completed": _("Disposal completed"),
    # Applications and cases.
    "application.draft_started": _("Application started"),
    "application.draft_discarded": _("Unsent application discarded"),
    "application.draft_expired": _("Unsent application deleted after its time"),
    "case.submitted": _("Application submitted"),
    "case.task_taken": _("Task taken on"),
    "case.task_given_back": _("Task given back"),
    "case.task_completed": _("Task completed"),
    "case.note_added": _("Note added to a case"),
    "case.information_requested": _("Information requested from the applicant"),
    "case.information_given": _("Applicant answered"),
    "case.decision_proposed": _("Decision proposed"),
    "case.decision_sent_back": _("Proposed decision sent back"),
    "case.decision_refused": _("Decision refused"),
    "case.decided": _("Case decided"),
    "case.forwarded": _("Application forwarded to another authority"),
    # Accounts and the mailbox.
    "account.registered": _("Citizen account registered"),
    "account.email_verified": _("E-mail address confirmed"),
    "account.logged_in": _("Logged in"),
    "account.password_reset": _("Password reset"),
    "account.profile_changed": _("Account details changed"),
    "account.staff_created": _("Staff account created"),
    "account.totp_enabled": _("Two-factor login switched on"),
    "account.totp_disabled": _("Two-factor login switched off"),
    "mailbox.message_delivered": _("Message delivered to a mailbox"),
    "mailbox.message_retrieved": _("Message opened by its recipient"),
    "residents.person_viewed": _("Entry of the resident register opened"),
    "background.task_retried": _("Failed background work sent off again"),
}

# The archive's answers are recorded by their xdomea message code.
_ARCHIVE_MESSAGE = re.compile(r"^archive\.message_(?P<code>\d{4})_imported$")

# Families of kinds, offered as starts to filter by.
FAMILIES = {
    "subject_access.": _("Copies of personal data (Art. 15 GDPR)"),
    "personal_data.": _("Personal data opened"),
    "records.": _("eAkte"),
    "intake.": _("Incoming mail"),
    "archive.": _("Hand-over to the archive"),
    "case.": _("Cases"),
    "application.": _("Applications"),
    "account.": _("Accounts"),
    "mailbox.": _("Mailbox"),
}


def kind_label(action: str) -> str:
    if action in KINDS:
        return str(KINDS[action])
    if found := _ARCHIVE_MESSAGE.match(action):
        return _("Message of the archive imported (xdomea %(code)s)") % {
            "code": found["code"]}
    return action


def who(entry) -> str:
    """A staff member by name; a citizen by account number; "System" for work that no
    person started."""
    if entry.actor_id is None:
        return str(_("System"))
    actor = entry.actor  # None when the account no longer exists
    if actor is None:
        return _("Account %(id)s (deleted)") % {"id": entry.actor_id}
    if actor.is_citizen:
        return _("Citizen (account %(id)s)") % {"id": entry.actor_id}
    return actor.full_name


def target(entry) -> str:
    """The kind of object and its number, as the entry stores them, and what was opened,
    the reference (Aktenzeichen) or the citizen's account number where the entry's
    data holds them."""
    parts = [_object_name(entry)] if entry.object_type else []
    data = entry.data if isinstance(entry.data, dict) else {}
    for key in ("what", "aktenzeichen"):  # references, never names
        if isinstance(data.get(key), str):
            parts.append(data[key])
    if isinstance(data.get("citizen"), int):
        parts.append(_("citizen's account %(id)s") % {"id": data["citizen"]})
    return " · ".join(parts)


def _object_name(entry) -> str:
    try:
        name = capfirst(apps.get_model(entry.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = entry.object_type
    return f"{name} {entry.object_id}".strip()
