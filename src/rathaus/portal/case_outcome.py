"""What the citizen's case page says after the decision: the decision, and where each of
its notices (Bescheide) lies in the mailbox.

A notice is filed in the eAkte and delivered as a mailbox attachment with the same
bytes, so the attachment is found by the hash of the filed version."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from rathaus.cases import selectors as case_selectors
from rathaus.cases.models import Case
from rathaus.mailbox.selectors import delivered_files

DECIDED = (Case.Status.APPROVED, Case.Status.REJECTED)


@dataclass(frozen=True)
class NoticeLink:
    title: str
    issued_at: datetime
    message_url: str
    download_url: str
    size: int
    media_type: str


@dataclass(frozen=True)
class Outcome:
    approved: bool
    notices: list[NoticeLink]  # empty while the notice is being made


def notice_links(*, case: Case, user) -> list[NoticeLink]:
    """The case's notices that are in the user's mailbox, oldest first."""
    filed = [(document, version) for document, version in case_selectors.case_documents(case=case)
             if document.kind == "notice" and version is not None]
    delivered = delivered_files(user=user, sha256s={version.sha256 for _, version in filed})
    links = []
    for document, version in filed:
        found = delivered.get(version.sha256)
        if found is None:
            continue
        links.append(NoticeLink(
            title=document.title, issued_at=document.created_at,
            message_url=reverse("mailbox:message", args=[found.message_id]),
            download_url=reverse("mailbox:attachment",
                                 args=[found.message_id, found.attachment_id]),
            size=found.size, media_type=found.media_type,
        ))
    return links


def outcome(*, case: Case, user) -> Outcome | None:
    """None until the case is decided."""
    if case.status not in DECIDED:
        return None
    return Outcome(approved=case.status == Case.Status.APPROVED,
                   notices=notice_links(case=case, user=user))
