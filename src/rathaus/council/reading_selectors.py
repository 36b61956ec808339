"""What the reading room shows a member: the meetings of their bodies, a meeting's full
agenda with its papers, a paper with its files and its way through the bodies.

The rules are `permissions.may_read_meeting` and `may_read_paper`; the lists here read
the same rules in bulk: a meeting of a body the member sits in today, and a released
paper treated by one of those bodies. The Sitzungsdienst's draft agenda stays its own
until the members are invited (or the agenda is published).
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rathaus.records.models import DocumentVersion
from rathaus.records.selectors import latest_version

from .models import AgendaItem, Consultation, CouncilFile, Meeting, Paper, Person
from .permissions import current_body_ids, may_read_meeting, may_read_paper


def member_meetings(person: Person) -> QuerySet:
    return (Meeting.objects.filter(organization_id__in=current_body_ids(person), deleted=False)
            .select_related("organization", "location"))


def my_meetings(person: Person, *, past_count: int = 20) -> tuple[list[Meeting], list[Meeting]]:
    """(the coming meetings, soonest first; the latest `past_count` past ones, newest
    first). A meeting counts as coming until its day is over."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    meetings = member_meetings(person)
    coming = list(meetings.filter(start__gte=start_of_today).order_by("start", "id"))
    past = list(meetings.filter(start__lt=start_of_today).order_by("-start", "-id")[:past_count])
    return coming, past


def meeting_or_404(actor, meeting_uuid) -> Meeting:
    meeting = (Meeting.objects.filter(uuid=meeting_uuid, deleted=False)
               .select_related("organization", "location").first())
    if meeting is None or not may_read_meeting(actor, meeting=meeting):
        raise Http404
    return meeting


def paper_or_404(actor, paper_uuid) -> Paper:
    paper = Paper.objects.filter(uuid=paper_uuid, deleted=False).first()
    if paper is None or not may_read_paper(actor, paper=paper):
        raise Http404
    return paper


def agenda_shown(meeting: Meeting) -> bool:
    return meeting.invited_at is not None or meeting.agenda_published_at is not None


@dataclass
class AgendaEntry:
    item: AgendaItem
    papers: list[Paper] = field(default_factory=list)


def full_agenda(meeting: Meeting) -> list[AgendaEntry]:
    """Every item, public and non-public, in order, each with the released papers it
    treats (a member of the meeting's body reads them all: `may_read_paper`)."""
    if not agenda_shown(meeting):
        return []
    entries = {item.pk: AgendaEntry(item) for item in
               meeting.agenda_items.filter(deleted=False).order_by("position", "id")}
    consultations = (Consultation.objects
                     .filter(agenda_item_id__in=entries, deleted=False, paper__deleted=False,
                             paper__released_at__isnull=False)
                     .select_related("paper").order_by("position", "id"))
    for consultation in consultations:
        papers = entries[consultation.agenda_item_id].papers
        if consultation.paper not in papers:
            papers.append(consultation.paper)
    return list(entries.values())


def agenda_papers(meeting: Meeting) -> list[Paper]:
    seen: dict[int, Paper] = {}
    for entry in full_agenda(meeting):
        for paper in entry.papers:
            seen.setdefault(paper.pk, paper)
    return list(seen.values())


def meeting_files(meeting: Meeting) -> list[CouncilFile]:
    """The invitation and minutes filed for the meeting (the members read the
    non-public minutes of their bodies too)."""
    return list(meeting.files.filter(deleted=False).order_by("position", "id"))


def paper_files(paper: Paper) -> list[CouncilFile]:
    return list(paper.files.filter(deleted=False).order_by("position", "id"))


def paper_consultations(actor, paper: Paper) -> list[Consultation]:
    """The paper's way through the bodies, with the meetings the member may open."""
    consultations = list(paper.consultations.filter(deleted=False)
                         .select_related("organization", "meeting", "agenda_item")
                         .order_by("position", "id"))
    for consultation in consultations:
        meeting = consultation.meeting
        consultation.readable_meeting = (
            meeting if meeting is not None and not meeting.deleted
            and may_read_meeting(actor, meeting=meeting) else None)
    return consultations


def file_version_or_404(actor, file_uuid) -> tuple[CouncilFile, DocumentVersion]:
    """A file of a paper or meeting the member may read, with the version to hand out."""
    found = (CouncilFile.objects.filter(uuid=file_uuid, deleted=False)
             .select_related("paper", "meeting", "document").first())
    if found is None:
        raise Http404
    if found.paper_id is not None:
        readable = not found.paper.deleted and may_read_paper(actor, paper=found.paper)
    else:
        readable = not found.meeting.deleted and may_read_meeting(actor, meeting=found.meeting)
    version = latest_version(found.document) if readable else None
    if version is None:
        raise Http404
    return found, version


def offline_papers_and_files(meeting: Meeting) -> tuple[list[Paper], list[CouncilFile]]:
    """What "save for offline" keeps of a meeting: its agenda's papers, their files and
    the meeting's own files."""
    papers = agenda_papers(meeting)
    files = list(CouncilFile.objects.filter(
        Q(paper__in=papers) | Q(meeting=meeting), deleted=False).order_by("position", "id"))
    return papers, files
