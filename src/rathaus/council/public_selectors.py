"""What the public pages of the council information (/ratsinfo/) read: meetings by month,
a meeting with its agenda as the public sees it, papers, bodies, persons, and the paper
search. Everything is read through `visibility`, the one rule of what the public sees;
nothing here reads the models' managers directly for public objects.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from rathaus.records.models import DocumentVersion
from rathaus.records.search import PAGE_SIZE, SearchPage, document_snippets, newest_among
from rathaus.records.search_terms import query_terms

from . import visibility
from .models import (
    AgendaItem,
    Consultation,
    CouncilFile,
    Meeting,
    Organization,
    Paper,
    Person,
)
from .permissions import council

UPCOMING = 10
RECENT_PAPERS = 10
SEARCH_PAGE_SIZE = PAGE_SIZE
SEARCH_CANDIDATES = 500
BODY_MEETINGS = 20
FEED_DAYS_BACK = 365


def is_offered() -> bool:
    """The authority keeps its council information in Rathaus."""
    return council() is not None


# --- Meetings ------------------------------------------------------------------------


def _meetings() -> QuerySet:
    return visibility.meetings().select_related("organization", "location")


def upcoming_meetings(*, limit: int = UPCOMING, body: Organization | None = None) -> list:
    """The next meetings from today on (cancelled ones included: people look for them)."""
    start_of_today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    found = _meetings().filter(start__gte=start_of_today)
    if body is not None:
        found = found.filter(organization=body)
    return list(found.order_by("start", "id")[:limit])


def past_meetings(*, body: Organization, limit: int = BODY_MEETINGS) -> list:
    start_of_today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return list(_meetings().filter(organization=body, start__lt=start_of_today)
                .order_by("-start", "-id")[:limit])


def meetings_in_month(*, month: date) -> list:
    """The meetings of the month that `month` (its first day) opens, by start."""
    following = (month + timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(following, time.min))
    return list(_meetings().filter(start__gte=start, start__lt=end).order_by("start", "id"))


def feed_meetings(*, body: Organization | None = None) -> list:
    """The meetings of the iCalendar feed: from a year ago on."""
    found = _meetings().filter(start__gte=timezone.now() - timedelta(days=FEED_DAYS_BACK))
    if body is not None:
        found = found.filter(organization=body)
    return list(found.order_by("start", "id"))


def meeting(meeting_uuid: UUID) -> Meeting | None:
    return _meetings().filter(uuid=meeting_uuid).first()


@dataclass(frozen=True)
class ShownItem:
    """An agenda item as the public sees it. A non-public item carries its number only:
    `item` is None, so no template can print its title, papers or result by mistake."""

    number: str
    item: AgendaItem | None
    papers: list = field(default_factory=list)


def shown_agenda(meeting: Meeting) -> list[ShownItem]:
    items = visibility.shown_agenda(meeting)
    public_ids = set(visibility.agenda_items().filter(meeting=meeting)
                     .values_list("id", flat=True))
    papers_of: dict[int, list] = {}
    treated = (visibility.consultations().filter(agenda_item_id__in=public_ids)
               .select_related("paper").order_by("position", "id"))
    for consultation in treated:
        papers_of.setdefault(consultation.agenda_item_id, []).append(consultation.paper)
    return [ShownItem(number=item.number, item=item, papers=papers_of.get(item.pk, []))
            if item.pk in public_ids else ShownItem(number=item.number, item=None)
            for item in items]


def meeting_files(meeting: Meeting) -> list:
    return list(visibility.files().filter(meeting=meeting).order_by("position", "id"))


def meeting_months() -> tuple[date | None, date | None]:
    """The first and last month with a meeting (for the calendar's bounds)."""
    found = _meetings().order_by("start").values_list("start", flat=True)
    first, last = found.first(), found.last()
    if first is None:
        return None, None
    return (timezone.localtime(first).date().replace(day=1),
            timezone.localtime(last).date().replace(day=1))


# --- Papers --------------------------------------------------------------------------


def recent_papers(*, limit: int = RECENT_PAPERS) -> list:
    return list(visibility.papers().select_related("originator")
                .order_by("-released_at", "-id")[:limit])


def paper(paper_uuid: UUID) -> Paper | None:
    return visibility.papers().select_related("originator").filter(uuid=paper_uuid).first()


def paper_files(paper: Paper) -> list:
    return list(visibility.files().filter(paper=paper).order_by("position", "id"))


@dataclass(frozen=True)
class ShownConsultation:
    consultation: Consultation
    meeting: Meeting | None  # when the public sees it
    item: AgendaItem | None  # when public, its meeting's agenda published


def paper_consultations(paper: Paper) -> list[ShownConsultation]:
    visible_meetings = set(visibility.meetings().values_list("id", flat=True)
                           .filter(consultations__paper=paper))
    shown = []
    for consultation in (visibility.consultations().filter(paper=paper)
                         .select_related("organization", "meeting", "agenda_item__meeting")
                         .order_by("position", "id")):
        meeting = consultation.meeting if consultation.meeting_id in visible_meetings else None
        shown.append(ShownConsultation(consultation=consultation, meeting=meeting,
                                       item=visibility.consultation_item(consultation)))
    return shown


def file(file_uuid: UUID) -> CouncilFile | None:
    return visibility.files().filter(uuid=file_uuid).first()


def file_version(council_file: CouncilFile) -> DocumentVersion | None:
    """The stored bytes of a public file: the latest version of its eAkte document."""
    return (DocumentVersion.objects.filter(document_id=council_file.document_id)
            .order_by("-number").first())


# --- Bodies and persons --------------------------------------------------------------


def bodies() -> list:
    return list(visibility.organizations().exclude(kind=Organization.Kind.PARTY_GROUP))


def party_groups() -> list:
    return list(visibility.organizations().filter(kind=Organization.Kind.PARTY_GROUP))


def organization(organization_id: int) -> Organization | None:
    return visibility.organizations().filter(pk=organization_id).first()


def _current(memberships: QuerySet) -> QuerySet:
    today = timezone.localdate()
    return (memberships.filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)))


def members(body: Organization) -> list:
    """The body's current members, by name, with their role and party group."""
    return list(_current(visibility.memberships().filter(organization=body,
                                                         person__in=visibility.persons()))
                .select_related("person", "on_behalf_of")
                .order_by("person__family_name", "person__given_name", "id"))


def persons() -> list:
    """Everybody with a current membership, alphabetically."""
    current = _current(visibility.memberships().filter(
        organization__in=visibility.organizations()))
    return list(visibility.persons().filter(memberships__in=current).distinct()
                .prefetch_related(Prefetch(
                    "memberships", to_attr="shown_memberships",
                    queryset=current.select_related("organization")
                    .order_by("organization__position", "organization__name")))
                .order_by("family_name", "given_name", "id"))


def person(person_id: int) -> Person | None:
    return visibility.persons().filter(pk=person_id).first()


def person_memberships(person: Person) -> list:
    """All the person's memberships, current first."""
    found = (visibility.memberships().filter(person=person,
                                             organization__in=visibility.organizations())
             .select_related("organization", "on_behalf_of"))
    return sorted(found, key=lambda m: (m.end_date is not None and m.end_date
                                        < timezone.localdate(), m.organization.position,
                                        m.organization.name))


# --- Search --------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperHit:
    paper: Paper
    snippet: SafeString | str


# A page of found papers is paged as the eAkte's search pages are (20 to a page; its
# hits are PaperHits here).
PaperSearch = SearchPage


def search_papers(*, query: str, page: int = 1) -> PaperSearch:
    """The public papers whose files hold every term of `query` (their text, and the
    case file's title "Drucksache <number>: <title>"), newest file first; a paper whose
    number is the query comes first. Only the public papers' files are searched, so a
    non-public paper's words find nothing."""
    terms = query_terms(query)
    if not terms:
        return PaperSearch(query=query)
    public_files = visibility.files().filter(paper__isnull=False)
    document_ids = newest_among(document_ids=public_files.values("document_id"),
                                terms=terms, limit=SEARCH_CANDIDATES + 1)
    more, document_ids = len(document_ids) > SEARCH_CANDIDATES, document_ids[:SEARCH_CANDIDATES]
    paper_of = dict(public_files.filter(document_id__in=document_ids)
                    .values_list("document_id", "paper_id"))
    first_document: dict[int, int] = {}  # paper id → its newest matching document
    for document_id in document_ids:
        first_document.setdefault(paper_of[document_id], document_id)
    exact = list(visibility.papers().filter(reference__iexact=query.strip())
                 .values_list("id", flat=True))
    paper_ids = list(dict.fromkeys([*exact, *first_document]))
    pages = math.ceil(len(paper_ids) / SEARCH_PAGE_SIZE)
    page = min(max(page, 1), max(pages, 1))
    shown_ids = paper_ids[(page - 1) * SEARCH_PAGE_SIZE:page * SEARCH_PAGE_SIZE]
    found = visibility.papers().select_related("originator").in_bulk(shown_ids)
    snippets = document_snippets(
        document_ids=[first_document[p] for p in shown_ids if p in first_document], terms=terms)
    hits = [PaperHit(paper=found[p], snippet=snippets.get(first_document.get(p), ""))
            for p in shown_ids if p in found]
    return PaperSearch(query=query, terms=terms, hits=hits, total=len(paper_ids), more=more,
                       page=page, pages=pages)
