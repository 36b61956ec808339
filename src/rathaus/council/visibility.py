"""What the public may see of the council information: the one place that decides it.

OParl, the public pages, the paper search and the iCalendar feed read only through
these querysets, so a non-public item, paper or file cannot reach any of them by
another path (tests/council/test_nothing_non_public.py walks all of them).

- A meeting is public once planned, unless deleted; its agenda once published.
- An agenda item is public when it is marked public and its meeting's agenda is
  published. A non-public item is shown as its number and "nicht öffentlich" only
  (`shown_agenda`), and never in OParl.
- A paper is public when it is marked public and the Sitzungsdienst released it.
- A file is public with its paper; a meeting's invitation once the agenda is
  published; the public minutes once published. The non-public minutes never are.
- Persons, bodies, memberships, terms and places are public by office.

`with_deleted=True` adds objects that were public and are now deleted, for OParl's
`deleted: true`; they show nothing but that.
"""

from django.db.models import Q, QuerySet

from .models import (
    AgendaItem,
    Consultation,
    CouncilFile,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)


def _live(queryset: QuerySet, with_deleted: bool) -> QuerySet:
    return queryset if with_deleted else queryset.filter(deleted=False)


def meetings(*, with_deleted: bool = False) -> QuerySet:
    return _live(Meeting.objects.all(), with_deleted)


def agenda_items(*, with_deleted: bool = False) -> QuerySet:
    return _live(AgendaItem.objects.filter(
        public=True, meeting__deleted=False, meeting__agenda_published_at__isnull=False,
    ), with_deleted)


def _public_paper(via: str, with_deleted: bool) -> Q:
    """The paper rule, on the paper itself (`via` "") or across a relation ("paper__"):
    a join, not a subquery, so that reading a page of consultations or files costs an
    index lookup per row instead of a pass over every paper."""
    rule = Q(**{f"{via}public": True, f"{via}released_at__isnull": False})
    return rule if with_deleted else rule & Q(**{f"{via}deleted": False})


def papers(*, with_deleted: bool = False) -> QuerySet:
    return Paper.objects.filter(_public_paper("", with_deleted))


def consultations(*, with_deleted: bool = False) -> QuerySet:
    return _live(Consultation.objects.filter(_public_paper("paper__", with_deleted)),
                 with_deleted)


def files(*, with_deleted: bool = False) -> QuerySet:
    of_papers = _public_paper("paper__", with_deleted)
    of_meetings = Q(meeting__deleted=False) & (
        Q(role=CouncilFile.Role.INVITATION, meeting__agenda_published_at__isnull=False)
        | Q(role=CouncilFile.Role.MINUTES, meeting__minutes_published_at__isnull=False))
    return _live(CouncilFile.objects.filter(of_papers | of_meetings), with_deleted)


def organizations(*, with_deleted: bool = False) -> QuerySet:
    return _live(Organization.objects.all(), with_deleted)


def persons(*, with_deleted: bool = False) -> QuerySet:
    return _live(Person.objects.all(), with_deleted)


def memberships(*, with_deleted: bool = False) -> QuerySet:
    return _live(Membership.objects.all(), with_deleted)


def legislative_terms(*, with_deleted: bool = False) -> QuerySet:
    return _live(LegislativeTerm.objects.all(), with_deleted)


def locations(*, with_deleted: bool = False) -> QuerySet:
    return _live(Location.objects.all(), with_deleted)


def agenda_public(meeting: Meeting) -> bool:
    return meeting.agenda_published_at is not None and not meeting.deleted


def consultation_item(consultation: Consultation) -> AgendaItem | None:
    """The agenda item of a public paper's consultation, if the public may see it."""
    item = consultation.agenda_item
    if item is None or not item.public or item.deleted:
        return None
    return item if agenda_public(item.meeting) else None


def shown_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda as the public sees it: every item in order, a non-public one with its
    number only (`public` False: the page writes "nicht öffentlich"). Empty until the
    agenda is published."""
    if not agenda_public(meeting):
        return []
    return list(meeting.agenda_items.filter(deleted=False).order_by("position", "id"))
