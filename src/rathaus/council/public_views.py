"""The public council information (/ratsinfo/): meeting calendar, meetings with their
public agendas, papers with their files, bodies, persons, the paper search and the
iCalendar feed. No login; every page reads through public_selectors, which reads
through visibility. A non-public or unknown paper, file or meeting is the same 404."""

from datetime import date
from functools import wraps

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from rathaus.records.responses import document_response

from . import calendar_feed
from . import public_selectors as selectors
from .models import CouncilFile, Meeting, Organization


def _offered(view):
    """The pages exist only where the authority keeps its council information here."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_offered():
            raise Http404
        return view(request, *args, **kwargs)
    return require_safe(wrapper)


def _or_404(found):
    if found is None:
        raise Http404
    return found


@_offered
def home(request):
    return render(request, "council/public/home.html", {
        "meetings": selectors.upcoming_meetings(limit=5),
        "papers": selectors.recent_papers(limit=8),
    })


class MonthForm(forms.Form):
    monat = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False, error_messages={
        "invalid": _("Please give the month as year and month, for example 2026-12.")})

    def clean_monat(self):
        value = self.cleaned_data["monat"]
        if not value:
            return timezone.localdate().replace(day=1)
        year, month = (int(part) for part in value.split("-"))
        if not (1 <= month <= 12 and 1900 <= year <= 2200):
            raise forms.ValidationError(
                _("Please give the month as year and month, for example 2026-12."))
        return date(year, month, 1)


def _month_link(month: date) -> str:
    return f"{reverse('council_public:calendar')}?monat={month:%Y-%m}"


@_offered
def calendar(request):
    """The meetings of a month (?monat=2026-12), with the months before and after."""
    form = MonthForm(request.GET)
    month = form.cleaned_data["monat"] if form.is_valid() else timezone.localdate().replace(day=1)
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    following = (month.replace(day=28) + 4 * date.resolution).replace(day=1)
    return render(request, "council/public/calendar.html", {
        "form": form, "month": month, "meetings": selectors.meetings_in_month(month=month),
        "previous_url": _month_link(previous), "next_url": _month_link(following),
        "previous": previous, "following": following,
        "this_month_url": _month_link(timezone.localdate().replace(day=1)),
        "is_this_month": month == timezone.localdate().replace(day=1),
    })


@_offered
def upcoming(request):
    return render(request, "council/public/upcoming.html", {
        "meetings": selectors.upcoming_meetings(limit=50)})


@_offered
def meeting(request, meeting_uuid):
    found = _or_404(selectors.meeting(meeting_uuid))
    files = selectors.meeting_files(found)
    return render(request, "council/public/meeting.html", {
        "meeting": found, "agenda": selectors.shown_agenda(found),
        "invitations": [f for f in files if f.role == CouncilFile.Role.INVITATION],
        "minutes": [f for f in files if f.role == CouncilFile.Role.MINUTES],
        "held": found.state == Meeting.State.HELD,
    })


@_offered
def paper(request, paper_uuid):
    found = _or_404(selectors.paper(paper_uuid))
    return render(request, "council/public/paper.html", {
        "paper": found, "files": selectors.paper_files(found),
        "consultations": selectors.paper_consultations(found),
    })


@_offered
def download(request, file_uuid):
    """The bytes of a public file, as the eAkte keeps them (shown in the browser)."""
    council_file = _or_404(selectors.file(file_uuid))
    version = _or_404(selectors.file_version(council_file))
    return document_response(version, as_attachment=False)


@_offered
def bodies(request):
    return render(request, "council/public/bodies.html", {
        "bodies": selectors.bodies(), "party_groups": selectors.party_groups()})


@_offered
def body(request, organization_id):
    found = _or_404(selectors.organization(organization_id))
    context = {"body": found, "members": selectors.members(found)}
    if found.kind != Organization.Kind.PARTY_GROUP:
        context |= {"upcoming": selectors.upcoming_meetings(body=found, limit=20),
                    "past": selectors.past_meetings(body=found)}
    return render(request, "council/public/body.html", context)


@_offered
def persons(request):
    return render(request, "council/public/persons.html", {"persons": selectors.persons()})


@_offered
def person(request, person_id):
    found = _or_404(selectors.person(person_id))
    return render(request, "council/public/person.html", {
        "person": found, "memberships": selectors.person_memberships(found)})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words or paper number"), max_length=200,
                        required=False, help_text=_(
                            "For example “Turnhalle” or a number such as V/2026/0001"))
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


@_offered
def search(request):
    form = SearchForm(request.GET)
    query, found = "", None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            found = selectors.search_papers(query=query, page=form.cleaned_data["page"] or 1)
    return render(request, "council/public/search.html", {
        "form": form, "query": query, "found": found})


def _ics(meetings, *, name: str, request) -> HttpResponse:
    body = calendar_feed.calendar(
        meetings=meetings, name=name,
        url_of=lambda m: request.build_absolute_uri(
            reverse("council_public:meeting", args=[m.uuid])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sitzungen.ics"'
    return response


@_offered
def feed(request):
    """Every meeting of the last year and ahead, as iCalendar (RFC 5545)."""
    return _ics(selectors.feed_meetings(), name=str(_("Council meetings")), request=request)


@_offered
def body_feed(request, organization_id):
    found = _or_404(selectors.organization(organization_id))
    if found.kind == Organization.Kind.PARTY_GROUP:
        raise Http404
    return _ics(selectors.feed_meetings(body=found), name=found.name, request=request)
