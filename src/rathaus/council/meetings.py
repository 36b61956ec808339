"""A meeting's way through the Sitzungsdienst: planned, its agenda built, invited
within the notice period (the public agenda published, its papers released), held with
the results per item, its minutes written, approved at a later meeting of the same
body and published; or cancelled.

Every step is a guarded service in one transaction with an audit entry (no personal
data), touches what it changed for OParl's `modified_since`, and marks instead of
removing. A step done twice (a double submit) changes nothing the second time.

Numbering of the agenda: German councils split the agenda into a public part and a
non-public part at its end (§ 48 GO NRW: the public is excluded for single items, which
are taken last, after the public has left), and number each part of its own: "Ö 1,
Ö 2 …" and "N 1, N 2 …", as ALLRIS and SessionNet print them. A public item keeps its
number when a non-public item is added, and "TOP N 2" is unmistakable in the minutes.
"""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record
from rathaus.records.models import Document
from rathaus.records.services import add_document, add_version

from . import announcements
from .documents import council_pdf
from .errors import CouncilError
from .files import PDF, file_pdf, meeting_case_file
from .models import (
    AgendaItem,
    Consultation,
    CouncilFile,
    Location,
    Meeting,
    Organization,
    Paper,
)
from .permissions import may_keep
from .selectors import (
    MEMBERS_INVITATION,
    current_minutes,
    default_name,
    last_day_to_invite,
    live_items,
    members_invitation,
    voting_members,
)

DECIDING = "Entscheidung"
PREPARING = "Vorberatung"
NOT_PUBLIC = "nicht öffentlich"
RESULTS_WITH_VOTES = {AgendaItem.Result.DECIDED, AgendaItem.Result.DECIDED_AMENDED,
                      AgendaItem.Result.REJECTED}


def _locked(meeting: Meeting) -> Meeting:
    # of=self: the place is an outer join, which PostgreSQL does not lock.
    return (Meeting.objects.select_for_update(of=("self",))
            .select_related("organization", "location").get(pk=meeting.pk))


def _save(obj, *fields) -> None:
    obj.touch()
    obj.save(update_fields=[*fields, "modified_at"])


def _day(moment) -> str:
    return date_format(timezone.localtime(moment).date(), "d.m.Y")


def _open_for_agenda(meeting: Meeting) -> None:
    if meeting.deleted or meeting.cancelled:
        raise CouncilError(_("The meeting is cancelled; its agenda cannot be changed."))
    if meeting.state == Meeting.State.HELD:
        raise CouncilError(_("The meeting has been held; its agenda cannot be changed."))


# --- Planning ---------------------------------------------------------------------------

@guarded_by(may_keep)
@transaction.atomic
def plan_meeting(*, actor, organization: Organization, start, end=None,
                 location: Location | None = None, name: str = "") -> Meeting:
    if not organization.is_body or organization.deleted:
        raise CouncilError(_("Only a body meets: choose the council, a committee or a "
                             "district council."))
    if end is not None and end <= start:
        raise CouncilError(_("The meeting must end after it starts."))
    twin = Meeting.objects.filter(organization=organization, start=start, deleted=False,
                                  cancelled=False).first()
    if twin is not None:
        return twin  # the same form sent twice, or the meeting is planned already
    meeting = Meeting.objects.create(
        organization=organization, start=start, end=end,
        location=location or organization.location,
        name=(name.strip() or default_name(organization))[:300])
    record("council.meeting_planned", actor=actor, target=meeting,
           data={"organization": organization.pk, "start": start.isoformat()})
    return meeting


@guarded_by(may_keep)
@transaction.atomic
def change_meeting(*, actor, meeting: Meeting, name: str, start, end=None,
                   location: Location | None = None) -> Meeting:
    meeting = _locked(meeting)
    _open_for_agenda(meeting)
    if end is not None and end <= start:
        raise CouncilError(_("The meeting must end after it starts."))
    values = {"name": name.strip()[:300] or meeting.name, "start": start, "end": end,
              "location": location}
    changed = [field for field, value in values.items() if getattr(meeting, field) != value]
    if not changed:
        return meeting
    moved = meeting.start != start or meeting.location != location
    for field, value in values.items():
        setattr(meeting, field, value)
    _save(meeting, *changed)
    record("council.meeting_changed", actor=actor, target=meeting, data={"fields": changed})
    if moved and meeting.invited_at:
        place = f", {location.description}" if location else ""
        _agenda_changed(meeting, _("The meeting now takes place on %(when)s%(place)s.") % {
            "when": timezone.localtime(start).strftime("%d.%m.%Y, %H:%M Uhr"),
            "place": place}, actor=actor)
    elif meeting.invited_at:
        _typeset_invitations_again(meeting, actor=actor)  # a new name or end: no message
    return meeting


@guarded_by(may_keep)
@transaction.atomic
def cancel_meeting(*, actor, meeting: Meeting) -> Meeting:
    """A planned meeting is deleted (nobody knew of it beyond the calendar); an invited
    one stays, marked cancelled, and its members are told."""
    meeting = _locked(meeting)
    if meeting.cancelled or meeting.deleted:
        return meeting
    if meeting.state == Meeting.State.HELD:
        raise CouncilError(_("The meeting has been held and cannot be cancelled."))
    meeting.cancelled = True
    _save(meeting, "cancelled")
    record("council.meeting_cancelled", actor=actor, target=meeting)
    if meeting.invited_at:
        announcements.cancelled(meeting, actor=actor)
    return meeting


# --- The agenda -------------------------------------------------------------------------

def _renumber(meeting: Meeting) -> None:
    """Public items first, then the non-public ones, each part numbered on its own
    (see the module's docstring); a deleted item keeps the number it had."""
    items = sorted(live_items(meeting), key=lambda item: (not item.public, item.position,
                                                           item.pk))
    counts = {True: 0, False: 0}
    for position, item in enumerate(items, start=1):
        counts[item.public] += 1
        number = f"{'Ö' if item.public else 'N'} {counts[item.public]}"
        if (item.position, item.number) != (position, number):
            item.position, item.number = position, number
            _save(item, "position", "number")


def _agenda_changed(meeting: Meeting, change: str, *, actor) -> None:
    """After the invitation every change is announced once to the members, with the
    invitation typeset again (see `_typeset_invitations_again`)."""
    meeting.agenda_version += 1
    _save(meeting, "agenda_version")
    members_pdf, file_name = _typeset_invitations_again(meeting, actor=actor)
    announcements.agenda_changed(meeting, change=change, pdf=members_pdf, file_name=file_name,
                                 actor=actor)


def _role_for(meeting: Meeting) -> str:
    return DECIDING if meeting.organization.kind == Organization.Kind.COUNCIL else PREPARING


def _link_paper(item: AgendaItem, paper: Paper, *, role: str, actor) -> bool:
    """The paper's consultation by the meeting's body, at this item: the one waiting
    for a meeting of the body, or a new one. True if the paper is new on the agenda."""
    meeting = item.meeting
    if paper.deleted:
        raise CouncilError(_("The paper %(reference)s has been deleted.")
                           % {"reference": paper.reference})
    if paper.public and not item.public:
        raise CouncilError(_("The public paper %(reference)s cannot be treated under a "
                             "non-public item: make the item public or the paper "
                             "non-public.") % {"reference": paper.reference})
    consultations = Consultation.objects.select_for_update().filter(paper=paper, deleted=False)
    if consultations.filter(agenda_item=item).exists():
        return False
    consultation = (consultations.filter(meeting=meeting, agenda_item__isnull=True).first()
                    or consultations.filter(organization=meeting.organization,
                                            meeting__isnull=True).first())
    new_on_meeting = not consultations.filter(meeting=meeting).exists()
    role = role or (consultation.role if consultation and consultation.role else
                    _role_for(meeting))
    if consultation is None:
        consultation = Consultation(paper=paper, position=consultations.count())
    consultation.organization, consultation.meeting = meeting.organization, meeting
    consultation.agenda_item, consultation.role = item, role
    consultation.authoritative = role == DECIDING
    consultation.touch()
    consultation.save()
    if meeting.agenda_published_at and paper.released_at is None:
        # The agenda is out: the paper goes with it (a non-public one to members only).
        paper.released_at = timezone.now()
        _save(paper, "released_at")
    return new_on_meeting


def _after_papers(item: AgendaItem, papers, *, actor) -> None:
    """Link papers to an item; once invited, each paper new to the meeting is
    announced."""
    for paper in papers:
        if _link_paper(item, paper, role="", actor=actor) and item.meeting.invited_at:
            announcements.new_paper(item.meeting, paper=paper, actor=actor)


def _item_label(item: AgendaItem) -> str:
    return f"TOP {item.number} „{item.name}“" + ("" if item.public else f" ({NOT_PUBLIC})")


@guarded_by(may_keep)
@transaction.atomic
def add_item(*, actor, meeting: Meeting, name: str, public: bool = True,
             papers=()) -> AgendaItem:
    meeting = _locked(meeting)
    _open_for_agenda(meeting)
    name = name.strip()[:500]
    if not name:
        raise CouncilError(_("Give the item a title."))
    twin = live_items(meeting).filter(name=name, public=public).first()
    if twin is not None:  # the same form sent twice, or the item is there already
        _after_papers(twin, papers, actor=actor)
        return twin
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(meeting=meeting, name=name, public=public,
                                     position=last + 1, number="")
    _after_papers(item, papers, actor=actor)
    _renumber(meeting)
    item.refresh_from_db()
    record("council.item_added", actor=actor, target=item,
           data={"meeting": meeting.pk, "public": public, "papers": [p.pk for p in papers]})
    if meeting.invited_at:
        _agenda_changed(meeting, _("Added: %(item)s") % {"item": _item_label(item)},
                        actor=actor)
    return item


@guarded_by(may_keep)
@transaction.atomic
def change_item(*, actor, item: AgendaItem, name: str, public: bool) -> AgendaItem:
    meeting = _locked(item.meeting)
    _open_for_agenda(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    name = name.strip()[:500]
    if not name:
        raise CouncilError(_("Give the item a title."))
    if item.deleted or (item.name, item.public) == (name, public):
        return item
    if not public and item.consultations.filter(deleted=False, paper__public=True).exists():
        raise CouncilError(_("The item treats a public paper and cannot become "
                             "non-public."))
    item.name, item.public = name, public
    _save(item, "name", "public")
    _renumber(meeting)
    item.refresh_from_db()
    record("council.item_changed", actor=actor, target=item, data={"public": public})
    if meeting.invited_at:
        _agenda_changed(meeting, _("Changed: %(item)s") % {"item": _item_label(item)},
                        actor=actor)
    return item


@guarded_by(may_keep)
@transaction.atomic
def add_paper_to_item(*, actor, item: AgendaItem, paper: Paper) -> AgendaItem:
    meeting = _locked(item.meeting)
    _open_for_agenda(meeting)
    if item.deleted:
        raise CouncilError(_("This item has been removed from the agenda."))
    item.meeting = meeting
    before = _agenda_rows(meeting, for_members=True)
    _after_papers(item, [paper], actor=actor)
    _save(item)
    record("council.paper_put_on_agenda", actor=actor, target=item, data={"paper": paper.pk})
    if meeting.invited_at and _agenda_rows(meeting, for_members=True) != before:
        _typeset_invitations_again(meeting, actor=actor)  # the item names its papers
    return item


@guarded_by(may_keep)
@transaction.atomic
def move_item(*, actor, item: AgendaItem, direction: str) -> AgendaItem:
    """One place up or down within its part (public or non-public)."""
    meeting = _locked(item.meeting)
    _open_for_agenda(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    part = list(live_items(meeting).filter(public=item.public).order_by("position", "id"))
    if item not in part:
        return item
    index = part.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(part):
        return item  # first or last already: nothing to do
    neighbour = part[other]
    item.position, neighbour.position = neighbour.position, item.position
    if item.position == neighbour.position:
        item.position += 1 if direction == "down" else -1
    item.save(update_fields=["position"])
    neighbour.save(update_fields=["position"])
    _renumber(meeting)
    item.refresh_from_db()
    record("council.item_moved", actor=actor, target=item, data={"direction": direction})
    if meeting.invited_at:
        _agenda_changed(meeting, _("Moved: %(item)s") % {"item": _item_label(item)},
                        actor=actor)
    return item


@guarded_by(may_keep)
@transaction.atomic
def remove_item(*, actor, item: AgendaItem) -> AgendaItem:
    """The item is marked deleted; its papers wait for another meeting of the body."""
    meeting = _locked(item.meeting)
    _open_for_agenda(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.deleted:
        return item
    item.deleted = True
    _save(item, "deleted")
    for consultation in item.consultations.filter(deleted=False):
        consultation.meeting = consultation.agenda_item = None
        _save(consultation, "meeting", "agenda_item")
    _renumber(meeting)
    record("council.item_removed", actor=actor, target=item)
    if meeting.invited_at:
        _agenda_changed(meeting, _("Removed: %(item)s") % {"item": _item_label(item)},
                        actor=actor)
    return item


# --- The invitation ---------------------------------------------------------------------

def _agenda_rows(meeting: Meeting, *, for_members: bool) -> list[tuple[str, str, str]]:
    rows = []
    for item in live_items(meeting).order_by("position", "id"):
        if not item.public and not for_members:
            rows.append((item.number, NOT_PUBLIC, ""))
            continue
        references = ", ".join(c.paper.reference for c in item.consultations.filter(
            deleted=False).select_related("paper"))
        note = ("" if item.public else f"{NOT_PUBLIC}. ") + (
            f"Vorlage {references}" if references else "")
        rows.append((item.number, item.name, note.strip()))
    return rows


def _meeting_facts(meeting: Meeting) -> list[tuple[str, str]]:
    start = timezone.localtime(meeting.start)
    facts = [("Gremium", meeting.organization.name),
             ("Datum", date_format(start.date(), "l, d.m.Y")),
             ("Beginn", start.strftime("%H:%M Uhr"))]
    if meeting.location:
        place = meeting.location
        facts.append(("Ort", ", ".join(filter(None, [place.description, place.room,
                                                     place.street_address, place.locality]))))
    return facts


def _reference(meeting: Meeting) -> str:
    body = meeting.organization.short_name or meeting.organization.name
    return f"{body} {timezone.localtime(meeting.start):%d.%m.%Y}"


def _invitation_pdf(meeting: Meeting, *, for_members: bool, changed_at=None) -> bytes:
    facts = _meeting_facts(meeting)
    if meeting.urgency_reason:
        facts.append(("Dringlichkeit", meeting.urgency_reason))
    if changed_at:
        moment = timezone.localtime(changed_at)
        facts.append(("Stand", f"geändert am {moment:%d.%m.%Y, %H:%M} Uhr"))
    return council_pdf(kind="Einladung", title=meeting.name, reference=_reference(meeting),
                       public=not for_members, facts=facts,
                       items=_agenda_rows(meeting, for_members=for_members))


@guarded_by(may_keep)
@transaction.atomic
def invite(*, actor, meeting: Meeting, urgency_reason: str = "") -> Meeting:
    """Invite the members and publish the agenda. Within the notice period only with
    the reason why the matter cannot wait (Dringlichkeit)."""
    meeting = _locked(meeting)
    if meeting.invited_at is not None:
        return meeting  # invited already: a second click sends nothing
    if meeting.deleted or meeting.cancelled:
        raise CouncilError(_("The meeting is cancelled."))
    now = timezone.now()
    if meeting.start <= now:
        raise CouncilError(_("The meeting has begun already; it can no longer be invited "
                             "to."))
    if not live_items(meeting).exists():
        raise CouncilError(_("The agenda is empty. Add its items before inviting."))
    last_day = last_day_to_invite(meeting)
    urgency_reason = urgency_reason.strip()
    if timezone.localdate() > last_day and not urgency_reason:
        raise CouncilError(_(
            "The invitation period of %(days)s days can no longer be kept: the last day to "
            "invite to the meeting on %(meeting_day)s was %(last_day)s. Invite only if the "
            "matter is urgent, and give the reason.") % {
            "days": (timezone.localtime(meeting.start).date() - last_day).days,
            "meeting_day": _day(meeting.start), "last_day": date_format(last_day, "d.m.Y")})
    if timezone.localdate() <= last_day:
        urgency_reason = ""  # in time: no urgency to record
    meeting.urgency_reason = urgency_reason
    meeting.state = Meeting.State.INVITED
    meeting.invited_at = meeting.agenda_published_at = now
    _save(meeting, "urgency_reason", "state", "invited_at", "agenda_published_at")
    file_pdf(owner=meeting, role=CouncilFile.Role.INVITATION, name="Einladung",
             file_name=_invitation_file_name(meeting),
             pdf=_invitation_pdf(meeting, for_members=False), date=now.date(), actor=actor)
    members_pdf = _invitation_pdf(meeting, for_members=True)
    members_file = _invitation_file_name(meeting, for_members=True)
    # The members' invitation names the non-public items: filed in the eAkte only, never
    # as an OParl file.
    meeting.case_file = meeting_case_file(meeting, actor=actor)  # opened by file_pdf
    add_document(case_file=meeting.case_file, title=MEMBERS_INVITATION,
                 kind=Document.Kind.COUNCIL, content=members_pdf, media_type=PDF,
                 filename=members_file, created_by=actor)
    released = _release_agenda_papers(meeting, now)
    sent = announcements.invitation(meeting, pdf=members_pdf, file_name=members_file,
                                    actor=actor)
    record("council.meeting_invited", actor=actor, target=meeting,
           data={"urgent": bool(urgency_reason), "papers_released": released,
                 "members_reached": sent})
    return meeting


def _invitation_file_name(meeting: Meeting, *, for_members: bool = False) -> str:
    day = f"{timezone.localtime(meeting.start):%Y-%m-%d}"
    return f"einladung-{day}{'-mitglieder' if for_members else ''}.pdf"


def _typeset_invitations_again(meeting: Meeting, *, actor) -> tuple[bytes, str]:
    """The agenda (or the meeting) changed after the invitation: both invitations are
    typeset again, each as a new version of its eAkte document, so that a citizen who
    downloads the invitation reads the agenda as it is now. The eAkte keeps every
    earlier version (what was sent is still on file); the public file's hash and size
    follow the new version, and touching it tells OParl's `modified_since` clients.
    Runs in the caller's transaction, with the change and its message. Returns the
    members' invitation for the message."""
    changed_at = timezone.now()
    public_pdf = _invitation_pdf(meeting, for_members=False, changed_at=changed_at)
    public_file = (meeting.files.select_for_update()
                   .filter(role=CouncilFile.Role.INVITATION, deleted=False).first())
    if public_file is None:  # invited elsewhere (an imported meeting): filed now
        file_pdf(owner=meeting, role=CouncilFile.Role.INVITATION, name="Einladung",
                 file_name=_invitation_file_name(meeting), pdf=public_pdf,
                 date=changed_at.date(), actor=actor)
    else:
        add_version(document=public_file.document, content=public_pdf, media_type=PDF,
                    filename=public_file.file_name, created_by=actor)
        public_file.sha256 = hashlib.sha256(public_pdf).hexdigest()
        public_file.size = len(public_pdf)
        _save(public_file, "sha256", "size")
    members_pdf = _invitation_pdf(meeting, for_members=True, changed_at=changed_at)
    members_file = _invitation_file_name(meeting, for_members=True)
    document = members_invitation(meeting)
    if document is None:
        add_document(case_file=meeting_case_file(meeting, actor=actor), title=MEMBERS_INVITATION,
                     kind=Document.Kind.COUNCIL, content=members_pdf, media_type=PDF,
                     filename=members_file, created_by=actor)
    else:
        add_version(document=document, content=members_pdf, media_type=PDF,
                    filename=members_file, created_by=actor)
    record("council.invitation_typeset_again", actor=actor, target=meeting,
           data={"agenda_version": meeting.agenda_version})
    return members_pdf, members_file


def _release_agenda_papers(meeting: Meeting, now) -> int:
    """The papers on the agenda are released with it: a public one to everybody, a
    non-public one to the members only (it stays non-public)."""
    papers = Paper.objects.filter(
        consultations__agenda_item__meeting=meeting, consultations__deleted=False,
        consultations__agenda_item__deleted=False, released_at__isnull=True,
        deleted=False).distinct()
    count = 0
    for paper in papers:
        paper.released_at = now
        _save(paper, "released_at")
        count += 1
    return count


# --- Results ----------------------------------------------------------------------------

@guarded_by(may_keep)
@transaction.atomic
def record_result(*, actor, item: AgendaItem, result: str, votes_for: int | None = None,
                  votes_against: int | None = None, votes_abstaining: int | None = None,
                  resolution_text: str = "") -> AgendaItem:
    """The outcome of one item; the first one marks the meeting held."""
    meeting = _locked(item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.deleted or item.meeting_id != meeting.pk:
        raise CouncilError(_("This item has been removed from the agenda."))
    if meeting.cancelled or meeting.deleted or meeting.invited_at is None:
        raise CouncilError(_("Results are recorded for a meeting that was invited to and "
                             "held."))
    if meeting.start > timezone.now():
        raise CouncilError(_("The meeting has not begun yet; its results are recorded "
                             "from its start."))
    if meeting.minutes_approved_at:
        raise CouncilError(_("The minutes are approved; the results can no longer be "
                             "changed."))
    if result not in AgendaItem.Result.values:
        raise CouncilError(_("Choose a result."))
    votes = [votes_for, votes_against, votes_abstaining]
    if any(v is not None and v < 0 for v in votes):
        raise CouncilError(_("Votes cannot be negative."))
    counted = sum(v or 0 for v in votes)
    members = voting_members(meeting)
    if counted > members:
        raise CouncilError(_("%(counted)s votes are more than the %(members)s members of "
                             "%(body)s with a voting right.") % {
            "counted": counted, "members": members, "body": meeting.organization.name})
    values = {"result": result, "votes_for": votes_for, "votes_against": votes_against,
              "votes_abstaining": votes_abstaining, "resolution_text": resolution_text.strip()}
    changed = [field for field, value in values.items() if getattr(item, field) != value]
    if changed:
        for field, value in values.items():
            setattr(item, field, value)
        _save(item, *changed)
        record("council.result_recorded", actor=actor, target=item,
               data={"result": result, "votes": votes})
    if meeting.state != Meeting.State.HELD:
        meeting.state = Meeting.State.HELD
        _save(meeting, "state")
    return item


# --- Minutes ----------------------------------------------------------------------------

def _minutes_sections(items) -> list[tuple[str, list[str]]]:
    labels = dict(AgendaItem.Result.choices)
    sections = []
    for item in items:
        lines = [f"Ergebnis: {labels.get(item.result, 'ohne Ergebnis')}"]
        if item.votes_for is not None or item.votes_against is not None:
            lines.append(f"Abstimmung: {item.votes_for or 0} Ja, {item.votes_against or 0} "
                         f"Nein, {item.votes_abstaining or 0} Enthaltungen")
        if item.resolution_text:
            lines.append(f"Beschluss: {item.resolution_text}")
        sections.append((f"TOP {item.number} {item.name}", lines))
    return sections


@guarded_by(may_keep)
@transaction.atomic
def write_minutes(*, actor, meeting: Meeting) -> list[CouncilFile]:
    """Typeset the minutes from the recorded results: the public part and, if there
    are non-public items, the non-public part. Written again while not approved, the
    earlier version is marked deleted; unchanged results write nothing new."""
    meeting = _locked(meeting)
    if meeting.state != Meeting.State.HELD:
        raise CouncilError(_("Minutes are written after the meeting: record its results "
                             "first."))
    if meeting.minutes_approved_at:
        raise CouncilError(_("The minutes are approved and cannot be written again."))
    items = list(live_items(meeting).order_by("position", "id"))
    missing = [item.number for item in items if not item.result]
    if missing:
        raise CouncilError(_("No result is recorded yet for: %(items)s.")
                           % {"items": ", ".join(f"TOP {number}" for number in missing)})
    existing = list(current_minutes(meeting))
    if existing and not live_items(meeting).filter(
            modified_at__gt=min(f.created_at for f in existing)).exists():
        return existing  # nothing changed since they were written
    for old in existing:
        old.deleted = True
        _save(old, "deleted")
    day = f"{timezone.localtime(meeting.start):%Y-%m-%d}"
    written = []
    for public, role, name, file_name in (
            (True, CouncilFile.Role.MINUTES, "Niederschrift", f"niederschrift-{day}.pdf"),
            (False, CouncilFile.Role.NONPUBLIC_MINUTES, "Niederschrift (nichtöffentlicher Teil)",
             f"niederschrift-{day}-nichtoeffentlich.pdf")):
        part = [item for item in items if item.public == public]
        if not part and not public:
            continue
        pdf = council_pdf(kind="Niederschrift", title=meeting.name, public=public,
                          reference=_reference(meeting), facts=_meeting_facts(meeting),
                          items=[(i.number, i.name, "") for i in part],
                          sections=_minutes_sections(part))
        written.append(file_pdf(owner=meeting, role=role, name=name, file_name=file_name,
                                pdf=pdf, date=timezone.localdate(), actor=actor))
    record("council.minutes_written", actor=actor, target=meeting,
           data={"files": [f.pk for f in written]})
    return written


@guarded_by(may_keep)
@transaction.atomic
def approve_minutes(*, actor, meeting: Meeting, approved_in: Meeting) -> Meeting:
    """The minutes are approved at a later meeting of the same body (its item
    "Genehmigung der Niederschrift"), once that meeting has been held."""
    meeting = _locked(meeting)
    if meeting.minutes_approved_at:
        return meeting
    if not current_minutes(meeting).exists():
        raise CouncilError(_("The minutes have not been written yet."))
    if (approved_in.organization_id != meeting.organization_id
            or approved_in.start <= meeting.start or approved_in.deleted
            or approved_in.cancelled):
        raise CouncilError(_("Minutes are approved at a later meeting of the same body."))
    if approved_in.state != Meeting.State.HELD:
        raise CouncilError(_("The meeting that approves the minutes has not been held yet."))
    meeting.minutes_approved_at, meeting.minutes_approved_in = timezone.now(), approved_in
    _save(meeting, "minutes_approved_at", "minutes_approved_in")
    record("council.minutes_approved", actor=actor, target=meeting,
           data={"approved_in": approved_in.pk})
    return meeting


@guarded_by(may_keep)
@transaction.atomic
def publish_minutes(*, actor, meeting: Meeting) -> Meeting:
    meeting = _locked(meeting)
    if meeting.minutes_published_at:
        return meeting
    if not meeting.minutes_approved_at:
        raise CouncilError(_("Only approved minutes are published."))
    meeting.minutes_published_at = timezone.now()
    _save(meeting, "minutes_published_at")
    for minutes in current_minutes(meeting).filter(role=CouncilFile.Role.MINUTES):
        _save(minutes)  # OParl's clients see the file become public
    record("council.minutes_published", actor=actor, target=meeting)
    return meeting
