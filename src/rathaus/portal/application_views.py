"""The citizen's journey through a service: service page, steps, summary, sending,
and the case status afterwards. Views only translate between HTTP and services."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.access import citizen_required
from rathaus.accounts.login_levels import LoginLevel, session_login_level
from rathaus.cases import selectors as case_selectors
from rathaus.cases.actions import give_information
from rathaus.cases.models import Case
from rathaus.cases.submission import IncompleteApplication, submit_application
from rathaus.cases.workflow import NotAllowed
from rathaus.catalog import registry
from rathaus.catalog.definitions import condition_fields, localize
from rathaus.catalog.models import Service
from rathaus.forms import services as drafts
from rathaus.forms.conditions import holds, with_derived
from rathaus.forms.engine import (
    initial_for_form,
    missing_answers,
    step_form_class,
    summary_rows,
)
from rathaus.records.responses import document_response

from .answer_form import AnswerForm


class LoginLevelTooLow(Exception):
    def __init__(self, required: LoginLevel):
        super().__init__(required)
        self.required = required


def _check_level(request, definition) -> None:
    """Services state the Vertrauensniveau they need; a weaker login cannot start them."""
    required = LoginLevel(definition.minimum_login_level)
    current = session_login_level(request)
    if current is None or not current.satisfies(required):
        raise LoginLevelTooLow(required)


def _level_page(request, error: LoginLevelTooLow):
    return render(request, "portal/login_level_needed.html",
                  {"required": error.required, "current": session_login_level(request)},
                  status=403)


def level_guarded(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginLevelTooLow as error:
            return _level_page(request, error)

    return wrapper


def _offered(service_id):
    service = Service.objects.filter(slug=service_id, is_published=True).first()
    if service is None or service.definition is None:
        raise Http404
    return service, service.definition


def service_page(request, service_id):
    service, definition = _offered(service_id)
    return render(request, "portal/service.html", {"service": service, "d": definition})


@citizen_required
@require_POST
def start(request, service_id):
    _, definition = _offered(service_id)
    try:
        _check_level(request, definition)
    except LoginLevelTooLow as error:
        return _level_page(request, error)
    draft = drafts.start_draft(user=request.user, definition=definition)
    return redirect("portal:step", draft_id=draft.pk, number=1)


def _draft_and_definition(request, draft_id):
    try:
        draft = drafts.get_draft(user=request.user, draft_id=draft_id)
    except drafts.DraftNotFound as exc:
        raise Http404 from exc
    _, definition = _offered(draft.service_id)
    _check_level(request, definition)
    return draft, definition


def _step_fields_shown(definition, step, answers):
    """Fields whose condition depends on other steps are decided here; fields that
    depend on this step's own answers are shown and revealed in the browser."""
    own = {spec.id for spec in step.fields}
    combined = with_derived(definition, answers)
    shown = {}
    for spec in step.fields:
        refs = set(condition_fields(spec.show_if))
        if refs and not (refs & own) and not holds(spec.show_if, combined):
            continue
        shown[spec.id] = spec
    return shown


def _answers_from_other_steps(definition, step, answers) -> dict:
    """What the browser needs to decide conditions that look at earlier pages."""
    own = {spec.id for spec in step.fields}
    referenced = {ref for spec in step.fields for ref in condition_fields(spec.show_if)} - own
    combined = with_derived(definition, answers)
    return {name: combined.get(name) for name in referenced}


@citizen_required
@level_guarded
def step(request, draft_id, number):
    draft, definition = _draft_and_definition(request, draft_id)
    if draft.submitted_at:
        return redirect("portal:case", case_id=draft.case.pk)
    if not 1 <= number <= len(definition.steps) or number - 1 > draft.reached_step:
        raise Http404
    current = definition.steps[number - 1]
    uploads = drafts.uploads_by_field(draft)
    form_class = step_form_class(definition, current)
    shown = _step_fields_shown(definition, current, draft.answers)
    form = form_class(
        request.POST or None, request.FILES or None,
        initial=initial_for_form(current, draft.answers), answers=draft.answers,
        uploads={k: u.filename for k, u in uploads.items()},
    )
    for field_id in list(form.fields):
        if field_id not in shown:
            del form.fields[field_id]
    if request.method == "POST":
        going_back = "back" in request.POST
        valid = form.is_valid()
        if valid or going_back:
            # Going back keeps every answer that is valid on its own.
            cleaned = {k: v for k, v in getattr(form, "cleaned_data", {}).items()
                       if k not in form.errors}
            drafts.save_step(draft=draft, definition=definition, step_index=number - 1,
                             cleaned=cleaned)
            if going_back:
                return redirect("portal:step", draft_id=draft.pk, number=max(1, number - 1))
            if number == len(definition.steps):
                return redirect("portal:summary", draft_id=draft.pk)
            return redirect("portal:step", draft_id=draft.pk, number=number + 1)
    return render(request, "portal/step.html", {
        "draft": draft, "d": definition, "step": current, "number": number,
        "form": form, "uploads": uploads, "shown": shown,
        "known": _answers_from_other_steps(definition, current, draft.answers),
        "progress": _progress(definition, number, draft.reached_step),
        "summary_reachable": draft.reached_step >= len(definition.steps),
    })


def _progress(definition, number, reached):
    return [
        {"number": i, "title": localize(s.title), "current": i == number,
         "reachable": i - 1 <= reached}
        for i, s in enumerate(definition.steps, start=1)
    ]


@citizen_required
@level_guarded
def summary(request, draft_id):
    draft, definition = _draft_and_definition(request, draft_id)
    if draft.submitted_at:
        return redirect("portal:case", case_id=draft.case.pk)
    uploads = drafts.uploads_by_field(draft)
    names = {k: u.filename for k, u in uploads.items()}
    missing = missing_answers(definition, draft.answers, names)
    sections = [
        (index, step_, rows) for index, (step_, rows) in
        enumerate(summary_rows(definition, draft.answers, names), start=1)
    ]
    # Proofs the form asked for but that may follow later: sending works, but the
    # citizen should know that the office will ask for them and it takes longer.
    missing_ids = {spec.id for _, spec in missing}
    proofs_to_follow = [
        (number, spec) for number, _step, rows in sections for spec, _value in rows
        if spec.type == "file" and spec.id not in uploads and spec.id not in missing_ids
    ]
    return render(request, "portal/summary.html", {
        "draft": draft, "d": definition, "sections": sections, "missing": missing,
        "proofs_to_follow": proofs_to_follow,
        "progress": _progress(definition, len(definition.steps) + 1, draft.reached_step),
    })


@citizen_required
@require_POST
@level_guarded
def send(request, draft_id):
    draft, definition = _draft_and_definition(request, draft_id)
    try:
        case = submit_application(user=request.user, draft_id=draft.pk, definition=definition)
    except IncompleteApplication:
        messages.error(request, _("Some answers are still missing. Please complete them."))
        return redirect("portal:summary", draft_id=draft.pk)
    return redirect(reverse("portal:case", kwargs={"case_id": case.pk}) + "?neu=1")


@citizen_required
@require_POST
@level_guarded
def discard(request, draft_id):
    draft, _definition = _draft_and_definition(request, draft_id)
    if not draft.submitted_at:
        drafts.discard_draft(draft=draft)
        messages.success(request, _("The draft has been deleted."))
    return redirect("accounts:overview")


def _processing_time(service_id: str) -> str:
    """How long the service usually takes, in the page's language ("" if unknown)."""
    found = registry.definition(service_id)
    return localize(found.processing_time) if found and found.processing_time else ""


@citizen_required
def case(request, case_id):
    found = case_selectors.case_of_citizen(user=request.user, case_id=case_id)
    if found is None:
        raise Http404
    form = None
    if found.status == Case.Status.WAITING:
        form = AnswerForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                give_information(case=found, citizen=request.user,
                                 text=form.cleaned_data["text"], files=form.cleaned_data["files"])
            except NotAllowed:
                messages.error(request, _("This application is not waiting for an answer."))
            else:
                messages.success(request, _("Thank you. Your answer has been sent."))
            return redirect("portal:case", case_id=found.pk)
    return render(request, "portal/case.html", {
        "case": found, "service": Service.objects.filter(slug=found.service_id).first(),
        "just_sent": "neu" in request.GET, "form": form,
        "processing_time": _processing_time(found.service_id),
        "events": case_selectors.public_events(case=found),
        "request_text": case_selectors.open_request_text(case=found),
    })


@citizen_required
def case_receipt(request, case_id):
    found = case_selectors.case_of_citizen(user=request.user, case_id=case_id)
    if found is None:
        raise Http404
    return document_response(case_selectors.receipt_version(case=found))
