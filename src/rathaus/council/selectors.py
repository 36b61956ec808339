"""What the Sitzungsdienst reads: the overview's lists, a meeting's state and next step,
the papers waiting, and the figures the services check (the invitation's last day, the
members with a voting right). Everything here is for the office: it sees non-public
things too, so no public surface reads from this module (they read visibility.py)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.records.models import Document

from .models import (
    AgendaItem,
    CouncilFile,
    CouncilUpload,
    Meeting,
    Membership,
    Organization,
    Paper,
)
from .permissions import council

# The members' invitation names the non-public items: a document of the meeting's case
# file in the eAkte, never a `CouncilFile` (so never in OParl or on a public page).
MEMBERS_INVITATION = "Einladung (Mitglieder, mit nichtöffentlichem Teil)"


def default_name(organization: Organization) -> str:
    return f"Sitzung des {organization.name}"


def live_items(meeting: Meeting) -> QuerySet:
    return meeting.agenda_items.filter(deleted=False)


def last_day_to_invite(meeting: Meeting) -> date:
    """The invitation period counts whole days between the invitation and the meeting's
    day (the Geschäftsordnung's "spätestens sieben Tage vor der Sitzung"): inviting on
    this day still keeps it."""
    kept_by = council()
    days = kept_by.notice_days if kept_by else 7
    return timezone.localtime(meeting.start).date() - timedelta(days=days)


def voting_members(meeting: Meeting) -> int:
    """The body's members with a voting right on the meeting's day."""
    day = timezone.localtime(meeting.start).date()
    return (Membership.objects.filter(organization=meeting.organization, deleted=False,
                                      voting_right=True, person__deleted=False)
            .exclude(start_date__gt=day).exclude(end_date__lt=day)
            .values("person").distinct().count())


def members_invitation(meeting: Meeting) -> Document | None:
    """The eAkte document of the members' invitation (its versions: the invitation and
    each one typeset again after a change), if the meeting was invited in Rathaus."""
    if meeting.case_file_id is None:
        return None
    return (Document.objects.filter(case_file_id=meeting.case_file_id, title=MEMBERS_INVITATION,
                                    kind=Document.Kind.COUNCIL).order_by("pk").first())


def current_minutes(meeting: Meeting) -> QuerySet:
    return meeting.files.filter(deleted=False, role__in=[
        CouncilFile.Role.MINUTES, CouncilFile.Role.NONPUBLIC_MINUTES])


def bodies() -> QuerySet:
    return Organization.objects.filter(deleted=False).exclude(
        kind=Organization.Kind.PARTY_GROUP)


def party_groups() -> QuerySet:
    return Organization.objects.filter(deleted=False, kind=Organization.Kind.PARTY_GROUP)


def upcoming_meetings(*, limit: int = 10) -> QuerySet:
    return (_with_step_facts(Meeting.objects.filter(
        deleted=False, cancelled=False, start__gte=timezone.now() - timedelta(hours=12)))
            .select_related("organization", "location").order_by("start")[:limit])


def _with_step_facts(meetings: QuerySet) -> QuerySet:
    """What meeting_step asks of each meeting, read with the list: not two queries a row."""
    return meetings.annotate(
        has_live_items=Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"),
                                                        deleted=False)),
        has_current_minutes=Exists(CouncilFile.objects.filter(
            meeting=OuterRef("pk"), deleted=False,
            role__in=[CouncilFile.Role.MINUTES, CouncilFile.Role.NONPUBLIC_MINUTES])))


def meetings(*, organization: Organization | None = None, year: int | None = None
             ) -> QuerySet:
    found = _with_step_facts(Meeting.objects.filter(deleted=False)).select_related(
        "organization")
    if organization is not None:
        found = found.filter(organization=organization)
    if year is not None:
        found = found.filter(start__year=year)
    return found.annotate(items=Count("agenda_items", filter=Q(agenda_items__deleted=False))) \
        .order_by("-start")


def papers_waiting(*, limit: int = 20) -> QuerySet:
    """Papers not yet on any agenda, or not released: the Sitzungsdienst's work."""
    on_agenda = Q(consultations__agenda_item__isnull=False, consultations__deleted=False)
    return (Paper.objects.filter(deleted=False)
            .filter(Q(released_at__isnull=True) | ~Q(pk__in=Paper.objects.filter(on_agenda)))
            .distinct().order_by("-date", "-id")[:limit])


def papers(*, paper_type: str = "", year: int | None = None, query: str = "") -> QuerySet:
    found = Paper.objects.filter(deleted=False).select_related("originator")
    if paper_type:
        found = found.filter(paper_type=paper_type)
    if year:
        found = found.filter(date__year=year)
    query = query.strip()
    if query:
        found = found.filter(Q(reference__icontains=query) | Q(name__icontains=query))
    return found.order_by("-date", "-id")


def papers_to_add(meeting: Meeting) -> QuerySet:
    """Papers the meeting may treat: not deleted, not on this meeting's agenda yet;
    those waiting for this body first."""
    on_this = Paper.objects.filter(consultations__agenda_item__meeting=meeting,
                                   consultations__agenda_item__deleted=False,
                                   consultations__deleted=False)
    return Paper.objects.filter(deleted=False).exclude(pk__in=on_this).order_by(
        "-date", "-id")


def waiting_uploads(paper: Paper) -> QuerySet:
    return CouncilUpload.objects.filter(paper=paper).exclude(state=CouncilUpload.State.FILED)


def agenda(meeting: Meeting) -> list[dict]:
    """The agenda as the office edits it: each item with its papers."""
    items = list(live_items(meeting).order_by("position", "id")
                 .prefetch_related("consultations__paper"))
    rows = []
    for item in items:
        same_part = [other for other in items if other.public == item.public]
        rows.append({
            "item": item,
            "papers": [c.paper for c in item.consultations.all() if not c.deleted],
            "first": same_part[0] is item, "last": same_part[-1] is item,
            "result_label": dict(AgendaItem.Result.choices).get(item.result, ""),
        })
    return rows


@dataclass(frozen=True)
class Step:
    state: str  # what the meeting's state reads as
    next_step: str  # what the Sitzungsdienst does next
    can_edit_agenda: bool
    can_invite: bool
    can_record: bool
    can_write_minutes: bool
    can_approve: bool
    can_publish: bool


def meeting_step(meeting: Meeting) -> Step:
    """Where the meeting stands and what comes next, for the meeting's page."""
    now = timezone.now()
    has_items = getattr(meeting, "has_live_items", None)
    if has_items is None:
        has_items = live_items(meeting).exists()
    begun = meeting.start <= now
    minutes = getattr(meeting, "has_current_minutes", None)
    if minutes is None:
        minutes = current_minutes(meeting).exists()
    if meeting.cancelled or meeting.deleted:
        state, nxt = _("Cancelled"), _("Nothing more to do.")
    elif meeting.state == Meeting.State.PLANNED:
        state = _("Planned, not yet invited")
        if not has_items:
            nxt = _("Add the agenda's items, then invite.")
        elif begun:
            nxt = _("The meeting's time has passed without an invitation.")
        else:
            nxt = _("Invite by %(day)s to keep the invitation period.") % {
                "day": last_day_to_invite(meeting).strftime("%d.%m.%Y")}
    elif meeting.state == Meeting.State.INVITED:
        state = _("Invited, agenda published")
        nxt = (_("Record the results of the items.") if begun else
               _("The meeting takes place; afterwards record its results."))
    elif not minutes:
        state, nxt = _("Held"), _("Record the remaining results and write the minutes.")
    elif not meeting.minutes_approved_at:
        state = _("Held, minutes written")
        nxt = _("The minutes are approved at the next meeting of the body.")
    elif not meeting.minutes_published_at:
        state, nxt = _("Minutes approved"), _("Publish the minutes.")
    else:
        state, nxt = _("Minutes published"), _("Nothing more to do.")
    live = not (meeting.cancelled or meeting.deleted)
    return Step(
        state=state, next_step=nxt,
        can_edit_agenda=live and meeting.state != Meeting.State.HELD,
        can_invite=live and meeting.state == Meeting.State.PLANNED and has_items and not begun,
        can_record=live and meeting.invited_at is not None and begun
        and not meeting.minutes_approved_at,
        can_write_minutes=live and meeting.state == Meeting.State.HELD
        and not meeting.minutes_approved_at,
        can_approve=live and minutes and not meeting.minutes_approved_at,
        can_publish=live and bool(meeting.minutes_approved_at)
        and not meeting.minutes_published_at)


def later_meetings(meeting: Meeting) -> QuerySet:
    """Held meetings of the same body after `meeting`: where its minutes are approved."""
    return Meeting.objects.filter(organization=meeting.organization, start__gt=meeting.start,
                                  state=Meeting.State.HELD, deleted=False,
                                  cancelled=False).order_by("start")


def members_of(organization: Organization) -> QuerySet:
    return (Membership.objects.filter(organization=organization, deleted=False)
            .select_related("person", "on_behalf_of").order_by("person__family_name"))
