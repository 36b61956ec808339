"""Messages to the members' mailboxes: the invitation, a changed agenda, a new paper,
a cancelled meeting. A councillor's mailbox is their citizen mailbox (the account
linked to their `Person`); delivering writes the "sent" and "delivered" receipts.

Each message is sent once per person and occasion (`MemberMessage`): a step done
again, or a double submit, sends nothing twice. Members without a linked account get
their papers as before, on paper; the page says how many were reached.
"""

from django.urls import reverse
from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module
from rathaus.authorities.links import portal_url
from rathaus.mailbox.services import NewAttachment, deliver_message

from .models import Meeting, MemberMessage, Membership, Paper, Person

unguarded_module(__name__, "building blocks called inside the guarded services of "
                           "meetings.py and papers.py, which asked the Sitzungsdienst's rule")

Kind = MemberMessage.Kind


def members(meeting: Meeting) -> list[Person]:
    """The body's members today who have a reading room account."""
    today = timezone.localdate()
    person_ids = (Membership.objects.filter(organization=meeting.organization, deleted=False)
                  .exclude(start_date__gt=today).exclude(end_date__lt=today)
                  .values_list("person_id", flat=True))
    return [person for person in Person.objects.filter(
        pk__in=person_ids, deleted=False, user__isnull=False).select_related("user")
        if person.user.acts_in_portal and person.user.is_active]


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.start)
    return f"{start:%d.%m.%Y} um {start:%H:%M} Uhr"


def _send(meeting: Meeting, *, kind: str, occasion: str, subject: str, body: str,
          paper: Paper | None = None, attachments=(), actor=None) -> int:
    sent = 0
    for person in members(meeting):
        if MemberMessage.objects.filter(person=person, kind=kind, occasion=occasion).exists():
            continue
        message = deliver_message(
            recipient=person.user, subject=subject,
            body=f"Guten Tag {person.name},\n\n{body}", attachments=attachments,
            reference=meeting.name[:100], actor=actor,
            link_for=lambda m: portal_url(reverse("mailbox:message", args=[m.pk])))
        MemberMessage.objects.create(person=person, kind=kind, occasion=occasion,
                                     meeting=meeting, paper=paper, message=message)
        sent += 1
    return sent


def invitation(meeting: Meeting, *, pdf: bytes, file_name: str, actor=None) -> int:
    """The members' invitation, with the whole agenda (non-public items included)."""
    body = (f"hiermit laden wir Sie zur {meeting.name} am {_when(meeting)} ein"
            + (f" ({meeting.location.description})" if meeting.location else "") + ".\n\n"
            "Die Einladung mit der vollständigen Tagesordnung ist angehängt; die Vorlagen "
            "finden Sie im Mandatsbereich des Ratsinformationssystems.")
    if meeting.urgency_reason:
        body += f"\n\nDringlichkeit: {meeting.urgency_reason}"
    return _send(meeting, kind=Kind.INVITATION, occasion=f"meeting:{meeting.pk}",
                 subject=f"Einladung: {meeting.name} am {_when(meeting)}"[:300], body=body,
                 attachments=[NewAttachment(filename=file_name, media_type="application/pdf",
                                            content=pdf)], actor=actor)


def agenda_changed(meeting: Meeting, *, change: str, pdf: bytes | None = None,
                   file_name: str = "", actor=None) -> int:
    """Once per change of the agenda after the invitation (the meeting's version), with
    the invitation typeset again (`pdf`) attached."""
    body = f"die Tagesordnung der {meeting.name} am {_when(meeting)} wurde geändert:\n\n{change}"
    attachments = []
    if pdf:
        body += "\n\nDie Einladung mit der geänderten Tagesordnung ist angehängt."
        attachments.append(NewAttachment(filename=file_name, media_type="application/pdf",
                                         content=pdf))
    return _send(meeting, kind=Kind.AGENDA_CHANGED,
                 occasion=f"meeting:{meeting.pk}:agenda:{meeting.agenda_version}",
                 subject=f"Tagesordnung geändert: {meeting.name} am {_when(meeting)}"[:300],
                 body=body, attachments=attachments, actor=actor)


def new_paper(meeting: Meeting, *, paper: Paper, actor=None) -> int:
    return _send(meeting, kind=Kind.NEW_PAPER, paper=paper,
                 occasion=f"paper:{paper.pk}:meeting:{meeting.pk}",
                 subject=f"Neue Vorlage {paper.reference}: {paper.name}"[:300],
                 body=f"zur {meeting.name} am {_when(meeting)} liegt eine neue Vorlage vor: "
                      f"{paper.reference} „{paper.name}“. Sie finden sie im Mandatsbereich.",
                 actor=actor)


def cancelled(meeting: Meeting, *, actor=None) -> int:
    return _send(meeting, kind=Kind.CANCELLED, occasion=f"meeting:{meeting.pk}:cancelled",
                 subject=f"Abgesagt: {meeting.name} am {_when(meeting)}"[:300],
                 body=f"die {meeting.name} am {_when(meeting)} findet nicht statt.",
                 actor=actor)
