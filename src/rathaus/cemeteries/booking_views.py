"""The Friedhofsverwaltung's booking page for a burial applied for online: the
application's wishes, the field and a free grave of the wished type (or the existing
grave the application names), date and time, for an existing grave the extension its
right of use needs. "Check" shows what the bylaw says (rules.BurialRefused in German)
and the fees that will be charged; "Book" saves (burial_service.book). The case page
links here through the decision handler's `prepare`.

Only the deciding department of the case (cases.may_decide) sees the page, anyone else
gets the same 404 as for a case that does not exist; booking asks the cadastre's rule
(cemeteries.may_manage_grave) as well."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.cases.models import Case
from rathaus.cases.permissions import may_decide
from rathaus.date_input import TypedDateField

from . import burial_service as burials
from . import rules, services
from .models import BurialKind, GraveKind

CHECK, BOOK, SHOW_GRAVES = "check", "book", "graves"


class BookingForm(forms.Form):
    """Grave, date and time of one burial. For a new grave `field` and `grave` (one of
    the field's first free graves of the wished type); for an existing one its number
    and the extension of its right of use."""

    field = forms.ChoiceField(label=_("Field of the cemetery"))
    grave = forms.ChoiceField(label=_("Free grave"), widget=forms.RadioSelect,
                              error_messages={"required": _("Choose a free grave."),
                                              "invalid_choice": _(
                                                  "Choose one of the free graves shown.")})
    grave_number = forms.CharField(label=_("Grave number"), max_length=40,
                                   error_messages={"required": _("Enter the grave number.")})
    extension_years = forms.IntegerField(
        label=_("Extend the right of use by (years)"), min_value=0, max_value=100,
        initial=0, required=False,
        help_text=_("Needed when the right of use ends before the new rest period does."))
    day = TypedDateField(label=_("Day of the burial"), help_text=_("For example 14.12.2026"),
                         error_messages={"required": _("Enter the day of the burial.")})
    time = forms.TimeField(label=_("Time of the burial"), input_formats=["%H:%M", "%H.%M"],
                           help_text=_("For example 11:00"),
                           error_messages={"required": _("Enter the time of the burial."),
                                           "invalid": _("Enter the time as HH:MM.")})

    def __init__(self, *args, new_grave: bool, fields, graves, **kwargs):
        super().__init__(*args, **kwargs)
        if new_grave:
            del self.fields["grave_number"], self.fields["extension_years"]
            self.fields["field"].choices = [(str(f.pk), f"{f.parent.name}: {f.name}")
                                            for f in fields]
            self.fields["grave"].choices = [(g.asset.number, _grave_label(g))
                                            for g in graves]
        else:
            del self.fields["field"], self.fields["grave"]


def _grave_label(grave) -> str:
    return gettext("%(number)s (row %(row)s, place %(position)s, %(places)s places)") % {
        "number": grave.asset.number, "row": grave.row, "position": grave.position,
        "places": grave.places}


def _case_or_404(request, case_id) -> Case:
    case = (Case.objects.filter(pk=case_id, service_id=burials.SERVICE)
            .select_related("applicant").first())
    if case is None or not allows(may_decide, request.user, case=case):
        raise Http404
    return case


def _chosen_field(request, fields):
    """The field the clerk chose (posted, or ?feld=), else the first."""
    wanted = request.POST.get("field") or request.GET.get("feld")
    return next((f for f in fields if str(f.pk) == wanted), fields[0] if fields else None)


def _initial(case: Case, booked, field) -> dict:
    start = booked.buried_at if booked else burials.wished_start(case)
    initial = {"grave_number": (booked.grave.asset.number if booked
                                else case.answers.get("existing_grave_number", "")),
               "extension_years": booked.extension_years if booked else 0}
    if field is not None:
        initial["field"] = str(field.pk)
    if booked is not None:
        initial["grave"] = booked.grave.asset.number
    if start is not None:
        local = timezone.localtime(start)
        initial |= {"day": local.date(), "time": local.strftime("%H:%M")}
    return initial


def _grave_of(form, *, new_grave: bool, field):
    """The grave the form names, or None with the form's error added."""
    number = form.cleaned_data["grave" if new_grave else "grave_number"]
    grave = burials.grave_numbered(number)
    if grave is None or (new_grave and grave.field_id != field.pk):
        form.add_error("grave" if new_grave else "grave_number", gettext(
            "There is no grave numbered %(number)s in the cemetery cadastre.")
            % {"number": number})
        return None
    return grave


@staff_required
def booking_view(request, case_id):
    case = _case_or_404(request, case_id)
    answers = case.answers
    new_grave = answers.get("grave_choice") == burials.NEW_GRAVE
    fields = burials.fields_of(answers.get("cemetery", ""))
    field = _chosen_field(request, fields) if new_grave else None
    kind = answers.get("grave_kind", "")
    graves = burials.free_graves(field=field, kind=kind) if field is not None else []
    booked = services.booking_for(case.reference)
    if booked and field is not None and booked.grave.field_id == field.pk and \
            booked.grave.pk not in {g.pk for g in graves}:
        graves = [booked.grave, *graves]  # this case's own grave stays choosable
    action = request.POST.get("action", CHECK)
    # "Show free graves" only changes the field: nothing is checked yet.
    posted = request.method == "POST" and action != SHOW_GRAVES
    initial = _initial(case, booked, field)
    if request.method == "POST" and not posted:
        initial |= {name: request.POST[name] for name in ("day", "time")
                    if request.POST.get(name)}
    form = BookingForm(request.POST if posted else None, new_grave=new_grave,
                       fields=fields, graves=graves, initial=initial)
    fees, checked = [], None
    if posted and form.is_valid():
        grave = _grave_of(form, new_grave=new_grave, field=field)
        if grave is not None:
            data = form.cleaned_data
            buried_at = timezone.make_aware(datetime.combine(data["day"], data["time"]))
            years = data.get("extension_years") or 0
            try:
                if action == BOOK:
                    burials.book(actor=request.user, case=case, grave=grave,
                                 buried_at=buried_at, extension_years=years)
                    messages.success(request, gettext(
                        "Booked: grave %(grave)s on %(day)s at %(time)s. Approve the case "
                        "to confirm the burial and issue the fee notice.") % {
                        "grave": grave.asset.number, "day": data["day"].strftime("%d.%m.%Y"),
                        "time": data["time"].strftime("%H:%M")})
                    return redirect("office:case", case.pk)
                fees = burials.planned_fees(case, grave=grave, buried_at=buried_at,
                                            extension_years=years)
                checked = grave
            except (rules.Refused, services.InvalidGrave) as refusal:
                form.add_error(None, refusal.message)
            except NotPermitted:
                form.add_error(None, gettext(
                    "You may not book graves of this cemetery: its cadastre is kept by "
                    "another department."))
    return render(request, "cemeteries/booking.html", {
        "right_warning": _right_warning(case, checked) if checked and not new_grave else "",
        "case": case, "form": form, "new_grave": new_grave, "fields": fields,
        "field": field, "graves": graves, "booked": booked, "checked": checked,
        "fees": fees, "fee_total": rules.total(fees) if fees else None,
        "wishes": _wishes(case, new_grave=new_grave),
    })


def _wishes(case: Case, *, new_grave: bool) -> list[tuple[str, str]]:
    """What the application asks for, as the clerk reads it."""
    answers = case.answers
    start = burials.wished_start(case)
    rows = [(gettext("Deceased"), f"{answers.get('deceased_first_name', '')} "
                                  f"{answers.get('deceased_last_name', '')}"),
            (gettext("Kind of burial"), _label(BurialKind, answers.get("burial_kind"))),
            (gettext("Cemetery"), burials.cemetery_name(answers.get("cemetery", "")))]
    if new_grave:
        rows.append((gettext("Grave"), gettext("new grave: %(type)s") % {
            "type": _label(GraveKind, answers.get("grave_kind"))}))
    else:
        rows += [(gettext("Grave"), answers.get("existing_grave_number", "")),
                 (gettext("Grave certificate"), answers.get("existing_right_number", ""))]
    if start is not None:
        local = timezone.localtime(start)
        rows.append((gettext("Wished date"), local.strftime("%d.%m.%Y, %H:%M")))
    return rows


def _right_warning(case: Case, grave) -> str:
    """Where the grave's right of use is not the certificate the application names."""
    stated = case.answers.get("existing_right_number", "").strip()
    right = services.active_right(grave)
    if right is None:
        return gettext("The grave %(grave)s has no active right of use.") % {
            "grave": grave.asset.number}
    if stated and right.number.casefold() != stated.casefold():
        return gettext("The grave's right of use is %(right)s, the application names the "
                       "certificate %(stated)s. Check it with the applicant.") % {
            "right": right.number, "stated": stated}
    return ""


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")
