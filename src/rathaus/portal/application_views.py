"""The citizen's journey through a service: service page, steps, summary, sending,
and the case status afterwards. Views only translate between HTTP and services."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from rathaus.accounts.access import applicant_required
from rathaus.accounts.firm_access import may_apply_for
from rathaus.accounts.login_levels import LoginLevel, session_login_level
from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.links import portal_url
from rathaus.authorities.tenancy import authority_context, current_authority
from rathaus.cases import forwarding, processing_times
from rathaus.cases import open_data as cases_open_data
from rathaus.cases import selectors as case_selectors
from rathaus.cases.actions import give_information
from rathaus.cases.models import Case
from rathaus.cases.submission import IncompleteApplication, submit_application
from rathaus.cases.submission_steps import SubmissionRefused
from rathaus.cases.workflow import NotAllowed
from rathaus.catalog import selectors as catalog
from rathaus.catalog.costs import estimate_for, tariff_for
from rathaus.catalog.definitions import localize
from rathaus.confirmations.selectors import confirmation_state
from rathaus.forms import services as drafts
from rathaus.forms.conditions import with_derived
from rathaus.forms.steps import StepNotOpen, step_page, summary_page
from rathaus.identity import views as identity
from rathaus.identity.services import from_id_card
from rathaus.opendata.store.selectors import published_entry as open_data_entry
from rathaus.records.responses import document_response
from rathaus.satisfaction import selectors as satisfaction
from rathaus.satisfaction.forms import RatingForm
from rathaus.satisfaction.services import AlreadyRated, rate

from .answer_form import AnswerForm
from .case_outcome import outcome
from .check_answers import Row


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


def _level_page(request, error: LoginLevelTooLow, *, back_to: str = ""):
    """The stronger login that is needed, with the way to it: the identity provider
    (step-up), which brings the citizen back to `back_to` (this page by default)."""
    step_up = None
    if identity.available():
        step_up = reverse("identity:login") + "?" + urlencode(
            {"level": str(error.required), "next": back_to or request.get_full_path()})
    return render(request, "portal/login_level_needed.html",
                  {"required": error.required, "current": session_login_level(request),
                   "step_up": step_up},
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
    service = catalog.offered_service(slug=service_id)
    if service is None:
        raise Http404
    return service, service.definition


def _offered_online(service_id):
    """A service applied for here; an information service has no application (404)."""
    service, definition = _offered(service_id)
    if not definition.is_online:
        raise Http404
    return service, definition


def _responsibility(definition):
    try:
        return forwarding.responsibility(definition)
    except forwarding.NotResponsible:
        return None


def service_page(request, service_id):
    service, definition = _offered(service_id)
    responsible = _responsibility(definition)
    # Measured where the applications are worked: here, unless another authority on
    # another instance is responsible (its figures are there).
    measured_here = definition.is_online and (responsible is None
                                              or responsible.on_this_instance)
    return render(request, "portal/service.html", {
        "service": service, "d": definition,
        "tariff": tariff_for(definition, on=timezone.localdate()),
        "responsible": responsible,
        "actual": actual_processing_times(service_id=definition.id, responsible=responsible)
        if measured_here else None,
        "measured_here": measured_here, "window_days": processing_times.WINDOW_DAYS,
    })


def actual_processing_times(*, service_id: str, responsible) -> dict:
    """The last 90 days' figures of the authority that decides the applications, and
    the page of the open data that publish them per month (if published)."""
    here = current_authority()
    deciding = responsible.authority if responsible else here
    with authority_context(deciding):
        figures = processing_times.recent_durations(service_id=service_id)
        published = open_data_entry(cases_open_data.DATASET) is not None
    url = reverse("opendata:dataset", args=[cases_open_data.DATASET]) if published else ""
    if url and deciding != here:
        url = portal_url(url, authority=deciding)
    return {"figures": figures, "open_data_url": url,
            "sentence": _durations_sentence(figures) if figures else ""}


def _durations_sentence(figures) -> str:
    return _("Half of the applications were decided after %(median)s, 9 in 10 after "
             "%(p90)s (%(count)s applications).") % {
        "median": _after(figures.median_days), "p90": _after(figures.p90_days),
        "count": figures.count}


def _after(days: float) -> str:
    """"after …" completed: less than a day, one day, 2.5 days (German: dative)."""
    if days < 1:
        return pgettext("after", "less than a day")
    if days == 1:
        return pgettext("after", "one day")
    return pgettext("after", "%(days)s days") % {"days": number_format(days, decimal_pos=(
        0 if days == int(days) else 1))}


@applicant_required
@require_POST
def start(request, service_id):
    _, definition = _offered_online(service_id)
    if request.user.is_firm and not may_apply_for(user=request.user, trades=definition.firms):
        # Only services open to the firm's trade (`firms` in the definition).
        return render(request, "accounts/firm_service_refused.html", status=403)
    responsible = _responsibility(definition)
    if responsible is not None and not responsible.on_this_instance:
        return redirect("portal:service", service_id=service_id)  # it links there instead
    try:
        _check_level(request, definition)
    except LoginLevelTooLow as error:
        return _level_page(request, error,
                           back_to=reverse("portal:service", args=[service_id]))
    draft = drafts.start_draft(user=request.user, definition=definition,
                               id_card=from_id_card(request, request.user))
    return redirect("portal:step", draft_id=draft.pk, number=1)


def _draft_and_definition(request, draft_id):
    try:
        draft = drafts.get_draft(user=request.user, draft_id=draft_id)
    except drafts.DraftNotFound as exc:
        raise Http404 from exc
    _, definition = _offered(draft.service_id)
    _check_level(request, definition)
    return draft, definition


@applicant_required
@level_guarded
def step(request, draft_id, number):
    draft, definition = _draft_and_definition(request, draft_id)
    if draft.submitted_at:
        return _sent_page(draft)
    try:
        page = step_page(draft=draft, definition=definition, number=number,
                         data=request.POST or None, files=request.FILES or None,
                         going_back="back" in request.POST)
    except StepNotOpen as exc:
        raise Http404 from exc
    form = page.form
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
        "draft": draft, "d": definition, "step": page.step, "number": number,
        "form": form, "uploads": page.uploads, "shown": page.shown, "known": page.known,
        "progress": page.progress, "summary_reachable": page.summary_reachable,
    })


@applicant_required
@level_guarded
def summary(request, draft_id):
    draft, definition = _draft_and_definition(request, draft_id)
    if draft.submitted_at:
        return _sent_page(draft)
    page = summary_page(draft=draft, definition=definition)
    sections = [(number, step, [Row(label=localize(spec.label), value=value)
                                for spec, value in rows])
                for number, step, rows in page.sections]
    return render(request, "portal/summary.html", {
        "draft": draft, "d": definition, "sections": sections, "missing": page.missing,
        "proofs_to_follow": page.proofs_to_follow, "progress": page.progress,
        "estimate": estimate_for(definition, answers=with_derived(definition, draft.answers),
                                 on=timezone.localdate()),
    })


@applicant_required
@require_POST
@level_guarded
def send(request, draft_id):
    """Send the draft to the authority its answers make responsible: this one, or (for
    a district's service in a town's portal) another one, by encrypted hand-over."""
    draft, definition = _draft_and_definition(request, draft_id)
    if draft.submitted_at:  # sent twice: the same answer as the first time
        return _sent_page(draft, query="?neu=1")
    try:
        responsible = forwarding.responsibility(definition, answers=draft.answers)
        if responsible.authority == current_authority():
            sent = submit_application(user=request.user, draft_id=draft.pk,
                                      definition=definition)
        elif responsible.on_this_instance:
            sent = forwarding.forward_application(
                user=request.user, draft_id=draft.pk, definition=definition,
                destination=responsible.authority,
                login_level=session_login_level(request))
        else:
            raise forwarding.NotResponsible(_(
                "%(name)s is responsible for this service at your address. Please apply "
                "there.") % {"name": responsible.name})
    except IncompleteApplication:
        messages.error(request, _("Some answers are still missing. Please complete them."))
        return redirect("portal:summary", draft_id=draft.pk)
    except (SubmissionRefused, forwarding.NotResponsible) as refusal:
        messages.error(request, refusal.message)
        return redirect("portal:summary", draft_id=draft.pk)
    return redirect(_sent_url(sent) + "?neu=1")


def _sent_url(sent) -> str:
    if isinstance(sent, Case):
        return reverse("portal:case", kwargs={"case_id": sent.pk})
    return reverse("portal:forwarded", kwargs={"forwarded_id": sent.pk})


def _sent_page(draft, *, query: str = ""):
    """Where a sent draft's pages lead: its case, or the record of its hand-over."""
    try:
        return redirect(_sent_url(draft.case) + query)
    except Case.DoesNotExist:
        return redirect(_sent_url(draft.forwarded) + query)


@applicant_required
@require_POST
@level_guarded
def discard(request, draft_id):
    draft, _definition = _draft_and_definition(request, draft_id)
    if not draft.submitted_at:
        drafts.discard_draft(draft=draft)
        messages.success(request, _("The draft has been deleted."))
    return redirect("accounts:overview")


@applicant_required
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
    return _case_page(request, found, form=form)


def _case_page(request, found: Case, *, form=None, rating_form=None, status: int = 200):
    if rating_form is None and satisfaction.may_be_asked(case=found):
        rating_form = RatingForm()
    return render(request, "portal/case.html", {
        "case": found, "service": catalog.service_with_slug(slug=found.service_id),
        "rating_form": rating_form, "just_sent": "neu" in request.GET, "form": form,
        "processing_time": catalog.processing_time(service_id=found.service_id),
        "events": case_selectors.public_events(case=found),
        "outcome": outcome(case=found, user=request.user),
        "request_text": case_selectors.open_request_text(case=found),
        "confirmation_state": confirmation_state(case=found),
    }, status=status)


@applicant_required
@require_POST
def rate_case(request, case_id):
    """The satisfaction check's answer for a finished matter; the case page again."""
    found = case_selectors.case_of_citizen(user=request.user, case_id=case_id)
    if found is None:
        raise Http404
    form = RatingForm(request.POST)
    if found.status not in satisfaction.FINISHED:
        messages.error(request, _("You can rate a matter once it is finished."))
    elif not satisfaction.may_be_asked(case=found):
        messages.info(request, _("You have already answered. Thank you."))
    elif form.is_valid():
        try:
            rate(user=request.user, case=found, score=form.cleaned_data["score"],
                 comment=form.cleaned_data["comment"])
        except NotPermitted:
            messages.error(request, _("You can rate a matter once it is finished."))
        except AlreadyRated:
            messages.info(request, _("You have already answered. Thank you."))
        else:
            messages.success(request, _("Thank you for your answer. It helps us to get "
                                        "better."))
    else:
        return _case_page(request, found, rating_form=form, status=400)
    return redirect(reverse("portal:case", args=[found.pk]) + "#rating-heading")


@applicant_required
def case_receipt(request, case_id):
    found = case_selectors.case_of_citizen(user=request.user, case_id=case_id)
    if found is None:
        raise Http404
    return document_response(case_selectors.receipt_version(case=found))


@applicant_required
@require_safe
def forwarded(request, forwarded_id):
    """The town's page of an application it handed over: where it went, how it stands,
    and the way to the case and the notices at the responsible authority."""
    found = case_selectors.forwarded_of_citizen(user=request.user, forwarded_id=forwarded_id)
    if found is None:
        raise Http404
    events = case_selectors.forwarded_status(forwarded=found)
    return render(request, "portal/forwarded.html", {
        "forwarded": found, "service": catalog.service_with_slug(slug=found.service_id),
        "just_sent": "neu" in request.GET, "events": events,
        "latest": events[-1] if events else None,
        "followed_at": next((e for e in events if e.url), None),
        "processing_time": catalog.processing_time(service_id=found.service_id),
    })
