"""The Sitzungsdienst's pages (/verwaltung/sitzungsdienst/): the overview, the structure
(bodies, persons, memberships, places and terms), the meetings with their agenda,
invitation, results and minutes, and the papers with their files and consultations.

Staff of the council's department only: for everybody else the pages are not found.
The Sitzungsdienst reads every file it keeps (the members' invitation and the non-
public minutes included) as the eAkte stores it: shown in the browser, or downloaded.
Views parse the form, call one service and go back to the page; a service's refusal
(`CouncilError`) is shown as the form's error. Every service is idempotent, so a
double submit changes nothing the second time.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import allows
from rathaus.audit.services import record_access
from rathaus.records.errors import ContentIntegrityError
from rathaus.records.responses import document_response
from rathaus.records.selectors import latest_version

from . import meetings, papers, selectors, structure, uploads
from .errors import CouncilError
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
from .office_forms import (
    AccountForm,
    ApproveForm,
    ChangeMeetingForm,
    ChangePaperForm,
    ConsultationForm,
    InviteForm,
    ItemForm,
    LocationForm,
    MeetingForm,
    MembershipForm,
    OrganizationForm,
    PaperFilterForm,
    PaperForm,
    PersonForm,
    ResultForm,
    TermForm,
    TextForm,
    UploadForm,
)
from .permissions import may_keep

GET_POST = ["GET", "HEAD", "POST"]


def _keeps(request) -> None:
    if not allows(may_keep, request.user):
        raise Http404


def _live(model, pk):
    return get_object_or_404(model, pk=pk, deleted=False)


def _attempt(request, form, call, success: str) -> bool:
    """Run the service; its refusal becomes the form's error."""
    try:
        call()
    except CouncilError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, success)
    return True


def _act(request, call, success: str) -> None:
    """A button without fields: the refusal is shown as an error message."""
    try:
        call()
    except CouncilError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)


# --- Overview ---------------------------------------------------------------------------

@staff_required
@require_safe
def home(request):
    _keeps(request)
    upcoming = [{"meeting": meeting, "step": selectors.meeting_step(meeting)}
                for meeting in selectors.upcoming_meetings()]
    return render(request, "council/office/home.html", {
        "here": "home", "upcoming": upcoming, "waiting": selectors.papers_waiting()})


# --- Bodies and memberships -------------------------------------------------------------

@staff_required
@require_http_methods(GET_POST)
def bodies(request):
    _keeps(request)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _attempt(
            request, form, lambda: structure.save_organization(
                actor=request.user, values=form.cleaned_data), _("The body is saved.")):
        return redirect("council_office:bodies")
    organizations = Organization.objects.filter(deleted=False).order_by("kind", "position",
                                                                         "name")
    return render(request, "council/office/bodies.html", {
        "here": "bodies", "form": form, "organizations": organizations})


@staff_required
@require_http_methods(GET_POST)
def body(request, body_id: int):
    _keeps(request)
    organization = _live(Organization, body_id)
    form = OrganizationForm(request.POST or None, initial={
        name: getattr(organization, name) for name in OrganizationForm.base_fields})
    if request.method == "POST" and form.is_valid() and _attempt(
            request, form, lambda: structure.save_organization(
                actor=request.user, organization=organization, values=form.cleaned_data),
            _("The body is saved.")):
        return redirect("council_office:body", body_id)
    return _body_page(request, organization, form=form)


def _body_page(request, organization, *, form=None, membership_form=None):
    return render(request, "council/office/body.html", {
        "here": "bodies", "organization": organization,
        "form": form or OrganizationForm(initial={
            name: getattr(organization, name) for name in OrganizationForm.base_fields}),
        "membership_form": membership_form or MembershipForm(initial={"voting_right": True}),
        "memberships": selectors.members_of(organization)})


@staff_required
@require_POST
def body_delete(request, body_id: int):
    _keeps(request)
    organization = get_object_or_404(Organization, pk=body_id)
    try:
        structure.delete_organization(actor=request.user, organization=organization)
    except CouncilError as error:
        messages.error(request, str(error))
        return redirect("council_office:body", body_id)
    messages.success(request, _("The body is deleted."))
    return redirect("council_office:bodies")


@staff_required
@require_POST
def membership_add(request, body_id: int):
    _keeps(request)
    organization = _live(Organization, body_id)
    form = MembershipForm(request.POST)
    if form.is_valid() and _attempt(request, form, lambda: structure.save_membership(
            actor=request.user, values={**form.cleaned_data, "organization": organization}),
            _("The membership is saved.")):
        return redirect("council_office:body", body_id)
    return _body_page(request, organization, membership_form=form)


@staff_required
@require_POST
def membership_delete(request, membership_id: int):
    _keeps(request)
    membership = get_object_or_404(Membership, pk=membership_id)
    _act(request, lambda: structure.delete_membership(actor=request.user, membership=membership),
         _("The membership is ended and marked deleted."))
    return redirect("council_office:body", membership.organization_id)


# --- Persons ----------------------------------------------------------------------------

@staff_required
@require_http_methods(GET_POST)
def persons(request):
    _keeps(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holder = {}
        if _attempt(request, form, lambda: holder.update(person=structure.save_person(
                actor=request.user, values=form.cleaned_data)), _("The person is saved.")):
            return redirect("council_office:person", holder["person"].pk)
    return render(request, "council/office/persons.html", {
        "here": "persons", "form": form,
        "persons": Person.objects.filter(deleted=False).prefetch_related(
            "memberships__organization")})


@staff_required
@require_http_methods(GET_POST)
def person(request, person_id: int):
    _keeps(request)
    found = _live(Person, person_id)
    form = PersonForm(request.POST or None, initial={
        name: getattr(found, name) for name in PersonForm.base_fields})
    if request.method == "POST" and form.is_valid() and _attempt(
            request, form, lambda: structure.save_person(
                actor=request.user, person=found, values=form.cleaned_data),
            _("The person is saved.")):
        return redirect("council_office:person", person_id)
    return _person_page(request, found, form=form)


def _person_page(request, found, *, form=None, account_form=None):
    if found.user_id:
        record_access(staff=request.user, citizen=found.user,
                      what="Konto für den Mandatsbereich (Sitzungsdienst)", target=found)
    return render(request, "council/office/person.html", {
        "here": "persons", "person": found,
        "form": form or PersonForm(initial={
            name: getattr(found, name) for name in PersonForm.base_fields}),
        "account_form": account_form or AccountForm(),
        "memberships": found.memberships.filter(deleted=False).select_related(
            "organization", "on_behalf_of")})


@staff_required
@require_POST
def person_account(request, person_id: int):
    _keeps(request)
    found = _live(Person, person_id)
    if request.POST.get("remove"):
        structure.unlink_account(actor=request.user, person=found)
        messages.success(request, _("The reading room account is removed."))
        return redirect("council_office:person", person_id)
    form = AccountForm(request.POST)
    if form.is_valid() and _attempt(request, form, lambda: structure.link_account(
            actor=request.user, person=found, email=form.cleaned_data["email"]),
            _("The account opens the reading room now.")):
        return redirect("council_office:person", person_id)
    return _person_page(request, found, account_form=form)


@staff_required
@require_POST
def person_delete(request, person_id: int):
    _keeps(request)
    structure.delete_person(actor=request.user, person=get_object_or_404(Person, pk=person_id))
    messages.success(request, _("The person is deleted."))
    return redirect("council_office:persons")


# --- Places and terms -------------------------------------------------------------------

@staff_required
@require_http_methods(GET_POST)
def places(request):
    _keeps(request)
    what = request.POST.get("what")
    place_form = LocationForm(request.POST if what == "place" else None, prefix="place")
    term_form = TermForm(request.POST if what == "term" else None, prefix="term")
    if what == "place" and place_form.is_valid() and _attempt(
            request, place_form, lambda: structure.save_location(
                actor=request.user, values=place_form.cleaned_data), _("The place is saved.")):
        return redirect("council_office:places")
    if what == "term" and term_form.is_valid() and _attempt(
            request, term_form, lambda: structure.save_term(
                actor=request.user, values=term_form.cleaned_data), _("The term is saved.")):
        return redirect("council_office:places")
    return render(request, "council/office/places.html", {
        "here": "places", "place_form": place_form, "term_form": term_form,
        "places": Location.objects.filter(deleted=False).order_by("description"),
        "terms": LegislativeTerm.objects.filter(deleted=False)})


@staff_required
@require_POST
def place_delete(request, place_id: int):
    _keeps(request)
    structure.delete_location(actor=request.user, location=get_object_or_404(Location,
                                                                              pk=place_id))
    messages.success(request, _("The place is deleted."))
    return redirect("council_office:places")


@staff_required
@require_POST
def term_delete(request, term_id: int):
    _keeps(request)
    structure.delete_term(actor=request.user, term=get_object_or_404(LegislativeTerm,
                                                                      pk=term_id))
    messages.success(request, _("The term is deleted."))
    return redirect("council_office:places")


# --- Meetings ---------------------------------------------------------------------------

@staff_required
@require_http_methods(GET_POST)
def meeting_list(request):
    _keeps(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holder = {}
        data = form.cleaned_data
        if _attempt(request, form, lambda: holder.update(meeting=meetings.plan_meeting(
                actor=request.user, organization=data["organization"], start=data["start"],
                end=data["end"], location=data["location"], name=data["name"])),
                _("The meeting is planned. Now build its agenda.")):
            return redirect("council_office:meeting", holder["meeting"].pk)
    rows = [{"meeting": meeting, "step": selectors.meeting_step(meeting)}
            for meeting in selectors.meetings()[:100]]
    return render(request, "council/office/meetings.html", {
        "here": "meetings", "form": form, "rows": rows})


def _meeting_page(request, meeting, **forms):
    step = selectors.meeting_step(meeting)
    later = selectors.later_meetings(meeting)
    start = timezone.localtime(meeting.start)
    context = {
        "here": "meetings", "meeting": meeting, "step": step,
        "agenda": _with_result_forms(selectors.agenda(meeting), forms.get("result_forms", {})),
        "last_day": selectors.last_day_to_invite(meeting),
        "late": timezone.localdate() > selectors.last_day_to_invite(meeting),
        "files": meeting.files.filter(deleted=False),
        "members_invitation": selectors.members_invitation(meeting),
        "change_form": forms.get("change_form") or ChangeMeetingForm(initial={
            "name": meeting.name, "start": start,
            "end": timezone.localtime(meeting.end) if meeting.end else None,
            "location": meeting.location}),
        "item_form": forms.get("item_form") or ItemForm(
            papers=selectors.papers_to_add(meeting)),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "approve_form": forms.get("approve_form") or ApproveForm(meetings=later),
        "voting_members": selectors.voting_members(meeting),
    }
    return render(request, "council/office/meeting.html", context)


def _with_result_forms(rows: list[dict], bound: dict) -> list[dict]:
    for row in rows:
        item = row["item"]
        row["result_form"] = bound.get(item.pk) or ResultForm(prefix=f"item{item.pk}", initial={
            "result": item.result, "votes_for": item.votes_for,
            "votes_against": item.votes_against, "votes_abstaining": item.votes_abstaining,
            "resolution_text": item.resolution_text})
    return rows


@staff_required
@require_safe
def meeting(request, meeting_id: int):
    _keeps(request)
    return _meeting_page(request, _live(Meeting, meeting_id))


@staff_required
@require_POST
def meeting_change(request, meeting_id: int):
    _keeps(request)
    found = _live(Meeting, meeting_id)
    form = ChangeMeetingForm(request.POST)
    data = form.cleaned_data if form.is_valid() else None
    if data and _attempt(request, form, lambda: meetings.change_meeting(
            actor=request.user, meeting=found, name=data["name"], start=data["start"],
            end=data["end"], location=data["location"]), _("The meeting is saved.")):
        return redirect("council_office:meeting", meeting_id)
    return _meeting_page(request, found, change_form=form)


@staff_required
@require_POST
def item_add(request, meeting_id: int):
    _keeps(request)
    found = _live(Meeting, meeting_id)
    form = ItemForm(request.POST, papers=selectors.papers_to_add(found))
    data = form.cleaned_data if form.is_valid() else None
    if data and _attempt(request, form, lambda: meetings.add_item(
            actor=request.user, meeting=found, name=data["name"], public=data["public"],
            papers=list(data["papers"])), _("The item is added to the agenda.")):
        return redirect(f"{_meeting_url(found)}#tagesordnung")
    return _meeting_page(request, found, item_form=form)


def _meeting_url(found) -> str:
    return reverse("council_office:meeting", args=[found.pk])


def _item(meeting_id: int, item_id: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_id, meeting_id=meeting_id,
                             meeting__deleted=False)


@staff_required
@require_POST
def item_move(request, meeting_id: int, item_id: int):
    _keeps(request)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    item = _item(meeting_id, item_id)
    _act(request, lambda: meetings.move_item(actor=request.user, item=item,
                                             direction=direction), _("The item is moved."))
    return redirect(f"{_meeting_url(item.meeting)}#tagesordnung")


@staff_required
@require_POST
def item_remove(request, meeting_id: int, item_id: int):
    _keeps(request)
    item = _item(meeting_id, item_id)
    _act(request, lambda: meetings.remove_item(actor=request.user, item=item),
         _("The item is removed from the agenda."))
    return redirect(f"{_meeting_url(item.meeting)}#tagesordnung")


@staff_required
@require_POST
def item_result(request, meeting_id: int, item_id: int):
    _keeps(request)
    item = _item(meeting_id, item_id)
    form = ResultForm(request.POST, prefix=f"item{item.pk}")
    data = form.cleaned_data if form.is_valid() else None
    if data and _attempt(request, form, lambda: meetings.record_result(
            actor=request.user, item=item, **data),
            _("The result of %(item)s is saved.") % {"item": f"TOP {item.number}"}):
        return redirect(f"{_meeting_url(item.meeting)}#top-{item.pk}")
    return _meeting_page(request, item.meeting, result_forms={item.pk: form})


@staff_required
@require_POST
def invite(request, meeting_id: int):
    _keeps(request)
    found = _live(Meeting, meeting_id)
    form = InviteForm(request.POST)
    form.is_valid()
    if _attempt(request, form, lambda: meetings.invite(
            actor=request.user, meeting=found,
            urgency_reason=form.cleaned_data.get("urgency_reason", "")),
            _("The members are invited; the public agenda is published.")):
        return redirect("council_office:meeting", meeting_id)
    return _meeting_page(request, found, invite_form=form)


@staff_required
@require_POST
def minutes_write(request, meeting_id: int):
    _keeps(request)
    found = _live(Meeting, meeting_id)
    _act(request, lambda: meetings.write_minutes(actor=request.user, meeting=found),
         _("The minutes are written and filed."))
    return redirect("council_office:meeting", meeting_id)


@staff_required
@require_POST
def minutes_approve(request, meeting_id: int):
    _keeps(request)
    found = _live(Meeting, meeting_id)
    form = ApproveForm(request.POST, meetings=selectors.later_meetings(found))
    data = form.cleaned_data if form.is_valid() else None
    if data and _attempt(request, form, lambda: meetings.approve_minutes(
            actor=request.user, meeting=found, approved_in=data["approved_in"]),
            _("The minutes are approved.")):
        return redirect("council_office:meeting", meeting_id)
    return _meeting_page(request, found, approve_form=form)


@staff_required
@require_POST
def minutes_publish(request, meeting_id: int):
    _keeps(request)
    found = _live(Meeting, meeting_id)
    _act(request, lambda: meetings.publish_minutes(actor=request.user, meeting=found),
         _("The minutes are published."))
    return redirect("council_office:meeting", meeting_id)


@staff_required
@require_POST
def meeting_cancel(request, meeting_id: int):
    _keeps(request)
    found = _live(Meeting, meeting_id)
    _act(request, lambda: meetings.cancel_meeting(actor=request.user, meeting=found),
         _("The meeting is cancelled."))
    return redirect("council_office:meeting", meeting_id)


# --- Files ------------------------------------------------------------------------------

def _bytes_of(request, version, *, back: str):
    """The version shown in the browser, or downloaded with `?download`."""
    if version is None:
        raise Http404
    try:
        return document_response(version, as_attachment="download" in request.GET)
    except ContentIntegrityError:
        messages.error(request, _("The content of this version is missing or was changed "
                                  "after it was filed, so it is not handed out. Please "
                                  "tell the records management."))
        return redirect(back)


@staff_required
@require_safe
def file_content(request, file_id: int):
    """A file of a paper or a meeting, as its latest version in the eAkte."""
    _keeps(request)
    council_file = get_object_or_404(CouncilFile.objects.select_related("paper", "meeting"),
                                      pk=file_id, deleted=False)
    owner = council_file.paper or council_file.meeting
    if owner.deleted:
        raise Http404
    back = (reverse("council_office:paper", args=[owner.pk]) if council_file.paper_id
            else reverse("council_office:meeting", args=[owner.pk]))
    return _bytes_of(request, latest_version(council_file.document), back=back)


@staff_required
@require_safe
def members_invitation_content(request, meeting_id: int):
    """The members' invitation with the non-public items (no OParl file: see
    selectors.MEMBERS_INVITATION), as typeset last."""
    _keeps(request)
    document = selectors.members_invitation(_live(Meeting, meeting_id))
    if document is None:
        raise Http404
    return _bytes_of(request, latest_version(document),
                     back=reverse("council_office:meeting", args=[meeting_id]))


# --- Papers -----------------------------------------------------------------------------

@staff_required
@require_safe
def paper_list(request):
    _keeps(request)
    form = PaperFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    found = selectors.papers(paper_type=chosen.get("paper_type") or "",
                             year=chosen.get("year"), query=chosen.get("q") or "")
    return render(request, "council/office/papers.html", {
        "here": "papers", "form": form, "papers": found[:200], "count": found.count()})


@staff_required
@require_http_methods(GET_POST)
def paper_new(request):
    _keeps(request)
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holder, data = {}, form.cleaned_data
        if _attempt(request, form, lambda: holder.update(paper=papers.create_paper(
                actor=request.user, name=data["name"], paper_type=data["paper_type"],
                public=data["public"], originator=data["originator"])),
                _("The paper is created. Now write its text or upload it.")):
            return redirect("council_office:paper", holder["paper"].pk)
    return render(request, "council/office/paper_new.html", {"here": "papers", "form": form})


def _paper_page(request, paper, **forms):
    return render(request, "council/office/paper.html", {
        "here": "papers", "paper": paper,
        "files": paper.files.filter(deleted=False),
        "uploads": selectors.waiting_uploads(paper),
        "consultations": paper.consultations.filter(deleted=False).select_related(
            "organization", "meeting", "agenda_item"),
        "form": forms.get("form") or ChangePaperForm(initial={
            "name": paper.name, "public": "1" if paper.public else "0",
            "originator": paper.originator}),
        "text_form": forms.get("text_form") or TextForm(),
        "upload_form": forms.get("upload_form") or UploadForm(),
        "consultation_form": forms.get("consultation_form") or ConsultationForm(),
    })


@staff_required
@require_http_methods(GET_POST)
def paper(request, paper_id: int):
    _keeps(request)
    found = _live(Paper, paper_id)
    if request.method != "POST":
        return _paper_page(request, found)
    form = ChangePaperForm(request.POST)
    data = form.cleaned_data if form.is_valid() else None
    if data and _attempt(request, form, lambda: papers.change_paper(
            actor=request.user, paper=found, name=data["name"], public=data["public"],
            originator=data["originator"]), _("The paper is saved.")):
        return redirect("council_office:paper", paper_id)
    return _paper_page(request, found, form=form)


@staff_required
@require_POST
def paper_text(request, paper_id: int):
    _keeps(request)
    found = _live(Paper, paper_id)
    form = TextForm(request.POST)
    if form.is_valid() and _attempt(request, form, lambda: papers.write_text(
            actor=request.user, paper=found, text=form.cleaned_data["text"]),
            _("The text is typeset as PDF/A and filed as the paper.")):
        return redirect("council_office:paper", paper_id)
    return _paper_page(request, found, text_form=form)


@staff_required
@require_POST
def paper_upload(request, paper_id: int):
    _keeps(request)
    found = _live(Paper, paper_id)
    form = UploadForm(request.POST, request.FILES)
    data = form.cleaned_data if form.is_valid() else None
    if data and _attempt(request, form, lambda: uploads.upload_file(
            actor=request.user, paper=found, file=data["file"], role=data["role"],
            name=data["name"]), _("The file is uploaded; it is converted to PDF/A.")):
        return redirect("council_office:paper", paper_id)
    return _paper_page(request, found, upload_form=form)


@staff_required
@require_POST
def paper_retry(request, paper_id: int):
    _keeps(request)
    found = _live(Paper, paper_id)
    uploads.retry_uploads(actor=request.user, paper=found)
    messages.info(request, _("The conversion is tried again."))
    return redirect("council_office:paper", paper_id)


@staff_required
@require_POST
def consultation_add(request, paper_id: int):
    _keeps(request)
    found = _live(Paper, paper_id)
    form = ConsultationForm(request.POST)
    data = form.cleaned_data if form.is_valid() else None
    if data and _attempt(request, form, lambda: papers.add_consultation(
            actor=request.user, paper=found, organization=data["organization"],
            role=data["role"]), _("The consultation is added.")):
        return redirect("council_office:paper", paper_id)
    return _paper_page(request, found, consultation_form=form)


@staff_required
@require_POST
def consultation_remove(request, paper_id: int, consultation_id: int):
    _keeps(request)
    consultation = get_object_or_404(Consultation, pk=consultation_id, paper_id=paper_id)
    _act(request, lambda: papers.remove_consultation(actor=request.user,
                                                     consultation=consultation),
         _("The consultation is removed."))
    return redirect("council_office:paper", paper_id)


@staff_required
@require_POST
def paper_release(request, paper_id: int):
    _keeps(request)
    found = _live(Paper, paper_id)
    _act(request, lambda: papers.release_paper(actor=request.user, paper=found),
         _("The paper is released."))
    return redirect("council_office:paper", paper_id)


@staff_required
@require_POST
def paper_delete(request, paper_id: int):
    _keeps(request)
    found = get_object_or_404(Paper, pk=paper_id)
    try:
        papers.delete_paper(actor=request.user, paper=found)
    except CouncilError as error:
        messages.error(request, str(error))
        return redirect("council_office:paper", paper_id)
    messages.success(request, _("The paper is deleted."))
    return redirect("council_office:papers")


@staff_required
@require_POST
def file_remove(request, paper_id: int, file_id: int):
    _keeps(request)
    council_file = get_object_or_404(CouncilFile, pk=file_id, paper_id=paper_id)
    _act(request, lambda: papers.remove_file(actor=request.user, council_file=council_file),
         _("The file is removed."))
    return redirect("council_office:paper", paper_id)
