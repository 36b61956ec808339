"""The councillors' reading room (/ratsinfo/mandat/): the member's meetings, a meeting's
full agenda, a paper with its files, its way through the bodies and the member's
private note. Every page is for members logged in with two factors
(reading_access.py); a meeting or paper of a body the member does not sit in is a 404.

Reads are not logged: which papers a member reads is their own business (the free
mandate), not the administration's, and the papers hold no citizen's personal data
that an access log would protect.
"""

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.mailbox.selectors import unread_count
from rathaus.records.errors import ContentIntegrityError
from rathaus.records.responses import document_response

from . import notes
from . import reading_selectors as selectors
from .reading_access import council_person, councillor_required


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("My private note"), required=False, max_length=notes.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Only you can read this note: nobody in the administration, the Sitzungsdienst "
            "and the administrators included. An empty note is removed."))


@councillor_required
@require_GET
def home(request):
    coming, past = selectors.my_meetings(council_person(request))
    return render(request, "council/reading/home.html", {
        "person": council_person(request), "coming": coming, "past": past,
        "unread": unread_count(user=request.user),
    })


@councillor_required
@require_GET
def meeting(request, meeting):
    found = selectors.meeting_or_404(request.user, meeting)
    return render(request, "council/reading/meeting.html", {
        "meeting": found, "agenda": selectors.full_agenda(found),
        "agenda_shown": selectors.agenda_shown(found),
        "files": selectors.meeting_files(found),
    })


@councillor_required
@require_http_methods(["GET", "POST"])
def paper(request, paper):
    found = selectors.paper_or_404(request.user, paper)
    form = NoteForm(request.POST or None, initial={
        "text": notes.note_text(actor=request.user, paper=found)})
    if request.method == "POST" and form.is_valid():
        kept = notes.save_note(actor=request.user, paper=found, text=form.cleaned_data["text"])
        messages.success(request, _("Your note has been saved.") if kept
                         else _("Your note has been removed."))
        return redirect(reverse("council_reading:paper", args=[found.uuid]) + "#notiz")
    return render(request, "council/reading/paper.html", {
        "paper": found, "files": selectors.paper_files(found),
        "consultations": selectors.paper_consultations(request.user, found), "form": form,
    })


@councillor_required
@require_GET
def file(request, file):
    _found, version = selectors.file_version_or_404(request.user, file)
    try:
        # Inline: the tablet's browser shows the PDF; no-store, as every answer here.
        return document_response(version, as_attachment=False)
    except ContentIntegrityError:
        return render(request, "council/reading/file_missing.html", status=500)


@councillor_required
@require_GET
def offline_list(request, meeting):
    """The addresses "save for offline" keeps: the member's meetings, this meeting, its
    papers and all their files (reading-sw.js fetches and caches each)."""
    found = selectors.meeting_or_404(request.user, meeting)
    papers, files = selectors.offline_papers_and_files(found)
    urls = [reverse("council_reading:home"),
            reverse("council_reading:meeting", args=[found.uuid]),
            *(reverse("council_reading:paper", args=[p.uuid]) for p in papers),
            *(reverse("council_reading:file", args=[f.uuid]) for f in files)]
    return JsonResponse({"meeting": str(found.uuid), "saved_at": timezone.now().isoformat(),
                         "urls": urls})
