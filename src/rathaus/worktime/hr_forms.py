"""The forms of HR's pages: the month chooser of the closings, the agreement, the
working-time models, local days off, teams and the employees' enrolment."""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.accounts.models import StaffMembership, User
from rathaus.authorities.models import Department
from rathaus.date_input import TypedDateField

from . import rules
from .models import Agreement, BreakRule, Employee, Team, TimeModel

_HOURS_MINUTES = re.compile(r"^\s*(?P<sign>[-−+]?)\s*(?P<h>\d{1,3})(?::(?P<m>\d{2}))?\s*$")
TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric"})
TIME_ERRORS = {"invalid": _("Please enter a time as HH:MM.")}


def parse_hours_minutes(text: str, *, signed: bool = False) -> int:
    """"7:48" → 468 minutes, "8" → 480; with `signed`, "-2:30" → −150."""
    found = _HOURS_MINUTES.match(text or "")
    if not found or (found["sign"] and not signed) or (found["m"] and int(found["m"]) > 59):
        raise ValidationError(_("Please enter hours and minutes as H:MM, e.g. 7:48."),
                              code="invalid")
    total = int(found["h"]) * 60 + int(found["m"] or 0)
    return -total if found["sign"] in ("-", "−") else total


class HoursMinutesField(forms.Field):
    """Minutes, typed as hours and minutes ("7:48"); empty is 0."""

    widget = forms.TextInput

    def __init__(self, *, signed: bool = False, most: int | None = None, **kwargs):
        self.signed, self.most = signed, most
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"maxlength": "8", "autocomplete": "off"}

    def prepare_value(self, value):
        return rules.hours(value).replace("−", "-") if isinstance(value, int) else value

    def to_python(self, value) -> int:
        value = (value or "").strip()
        if not value:
            return 0
        minutes = parse_hours_minutes(value, signed=self.signed)
        if self.most is not None and minutes > self.most:
            raise ValidationError(_("Please enter at most %(most)s hours."),
                                  params={"most": rules.hours(self.most)}, code="max_value")
        return minutes


def _number(label, *, lowest, highest, help_text=""):
    return forms.IntegerField(
        label=label, min_value=lowest, max_value=highest, help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Please enter a number."),
                        "invalid": _("Please enter a whole number."),
                        "min_value": _("Please enter at least %(limit_value)s."),
                        "max_value": _("Please enter at most %(limit_value)s.")})


# --- HR's overview of the closings -------------------------------------------------------

class ClosingsFilterForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"),
                              error_messages={"invalid_choice": _("Please choose one of the "
                                                                  "months offered.")})
    team = forms.ModelChoiceField(label=pgettext_lazy("worktime", "Team"),
                                  queryset=Team.all_authorities.none(), empty_label=None,
                                  error_messages={"invalid_choice": _("Please choose a team.")})

    def __init__(self, *args, months: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = months
        self.fields["team"].queryset = Team.objects.order_by("name")


# --- The agreement ----------------------------------------------------------------------

class AgreementForm(forms.Form):
    flex_start = forms.TimeField(label=_("Flexitime frame from"), widget=TIME_INPUT,
                                 error_messages=TIME_ERRORS | {
                                     "required": _("Please enter the start of the frame.")})
    flex_end = forms.TimeField(label=_("Flexitime frame until"), widget=TIME_INPUT,
                               error_messages=TIME_ERRORS | {
                                   "required": _("Please enter the end of the frame.")})
    core_start = forms.TimeField(label=_("Core hours from"), widget=TIME_INPUT, required=False,
                                 error_messages=TIME_ERRORS,
                                 help_text=_("Leave both empty when there are no core hours."))
    core_end = forms.TimeField(label=_("Core hours until"), widget=TIME_INPUT, required=False,
                               error_messages=TIME_ERRORS)
    max_plus_hours = _number(_("Highest positive balance (hours)"), lowest=0, highest=999)
    max_minus_hours = _number(_("Highest negative balance (hours)"), lowest=0, highest=999)
    break_rule = forms.ChoiceField(label=_("Breaks"), choices=BreakRule.choices,
                                   widget=forms.RadioSelect)
    reference_months = _number(_("Reference period of the 8-hour average (months)"),
                               lowest=1, highest=12,
                               help_text=_("§3 ArbZG: six months; a collective agreement "
                                           "may allow up to twelve (§7 ArbZG)."))
    leave_days_full_time = forms.DecimalField(
        label=_("Leave days a year for five working days a week"), min_value=Decimal(0),
        max_value=Decimal(60), decimal_places=1, localize=True,
        error_messages={"required": _("Please enter the leave days."),
                        "invalid": _("Please enter a number of days, e.g. 30 or 30,5."),
                        "min_value": _("Please enter at least %(limit_value)s."),
                        "max_value": _("Please enter at most %(limit_value)s."),
                        "max_decimal_places": _("Please enter at most one decimal place.")})
    carry_over = forms.CharField(
        label=_("Carried-over leave lapses after"), max_length=6, help_text=_("DD.MM."),
        error_messages={"required": _("Please enter the day as DD.MM.")})
    retention_years = _number(_("Keep records for (years after the year)"), lowest=1,
                              highest=30)
    hr_department = forms.ModelChoiceField(
        label=_("Human resources department"), queryset=Department.all_authorities.none(),
        empty_label=None, help_text=_("Its members see the closings and keep these settings."),
        error_messages={"required": _("Please choose the human resources department."),
                        "invalid_choice": _("Please choose one of the departments.")})

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["hr_department"].queryset = Department.objects.order_by("name")

    @classmethod
    def initial_of(cls, agreement: Agreement) -> dict:
        return {
            "flex_start": agreement.flex_start, "flex_end": agreement.flex_end,
            "core_start": agreement.core_start, "core_end": agreement.core_end,
            "max_plus_hours": agreement.max_plus_minutes // 60,
            "max_minus_hours": agreement.max_minus_minutes // 60,
            "break_rule": agreement.break_rule, "reference_months": agreement.reference_months,
            "leave_days_full_time": agreement.leave_days_full_time,
            "carry_over": f"{agreement.carry_over_day:02d}.{agreement.carry_over_month:02d}.",
            "retention_years": agreement.retention_years,
            "hr_department": agreement.hr_department_id,
        }

    def clean_carry_over(self) -> tuple[int, int]:
        found = re.match(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*$", self.cleaned_data["carry_over"])
        try:
            day, month = (int(found[1]), int(found[2])) if found else (0, 0)
            date(2023, month, day)  # a year without 29 February: the day exists every year
        except ValueError:
            raise ValidationError(_("Please enter a day of the year as DD.MM., e.g. 31.03."),
                                  code="invalid") from None
        return day, month

    def clean_hr_department(self):
        department = self.cleaned_data["hr_department"]
        if not StaffMembership.objects.filter(user=self.actor, department=department).exists():
            raise ValidationError(_("You are not a member of this department: you could no "
                                    "longer open these settings."), code="locked_out")
        return department

    def clean(self):
        data = super().clean()
        start, end = data.get("flex_start"), data.get("flex_end")
        if start and end and start >= end:
            self.add_error("flex_end", _("The frame must end after it starts."))
        core_start, core_end = data.get("core_start"), data.get("core_end")
        if (core_start is None) != (core_end is None):
            self.add_error("core_end", _("Please enter both ends of the core hours, or neither."))
        elif core_start and core_end:
            if core_start >= core_end:
                self.add_error("core_end", _("The core hours must end after they start."))
            elif start and end and (core_start < start or core_end > end):
                self.add_error("core_start", _("The core hours must lie within the frame."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        day, month = data["carry_over"]
        return {
            "flex_start": data["flex_start"], "flex_end": data["flex_end"],
            "core_start": data["core_start"], "core_end": data["core_end"],
            "max_plus_minutes": data["max_plus_hours"] * 60,
            "max_minus_minutes": data["max_minus_hours"] * 60,
            "break_rule": data["break_rule"], "reference_months": data["reference_months"],
            "leave_days_full_time": data["leave_days_full_time"],
            "carry_over_day": day, "carry_over_month": month,
            "retention_years": data["retention_years"],
            "hr_department": data["hr_department"],
        }


# --- Working-time models ----------------------------------------------------------------

WEEKDAY_LABELS = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
                  _("Saturday"), _("Sunday"))


class TimeModelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           error_messages={"required": _("Please enter a name.")})

    def __init__(self, *args, time_model: TimeModel | None = None, **kwargs):
        if time_model is not None:
            kwargs.setdefault("initial", {"name": time_model.name} | {
                day: getattr(time_model, day) for day in TimeModel.WEEKDAYS})
        super().__init__(*args, **kwargs)
        self.time_model = time_model
        for day, label in zip(TimeModel.WEEKDAYS, WEEKDAY_LABELS, strict=True):
            self.fields[day] = HoursMinutesField(
                label=label, most=rules.MAX_DAY, help_text=_("Hours:minutes; empty is no work."))

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = TimeModel.objects.filter(name=name)
        if self.time_model is not None:
            taken = taken.exclude(pk=self.time_model.pk)
        if taken.exists():
            raise ValidationError(_("A model of this name exists already."), code="taken")
        return name

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(day) for day in TimeModel.WEEKDAYS):
            raise ValidationError(_("Please enter the hours of at least one day."),
                                  code="empty")
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", *TimeModel.WEEKDAYS)}


# --- Local days off ---------------------------------------------------------------------

class LocalHolidayForm(forms.Form):
    day = TypedDateField(label=_("Day"), help_text=_("DD.MM.YYYY"),
                         error_messages={"required": _("Please enter the day.")})
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("E.g. Rose Monday or the works outing."),
                           error_messages={"required": _("Please enter a name.")})


# --- Teams and their leads --------------------------------------------------------------

def staff_user(email: str) -> User | None:
    """A staff account with a membership in the active authority (the tenant manager
    reads only this authority's memberships)."""
    membership = (StaffMembership.objects.select_related("user")
                  .filter(user__email__iexact=email.strip(), user__kind=User.Kind.STAFF).first())
    return membership.user if membership else None


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150,
                           error_messages={"required": _("Please enter a name.")})
    leads = forms.CharField(
        label=_("Team leads"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mail addresses of staff accounts, one a line."))

    def __init__(self, *args, team: Team | None = None, **kwargs):
        if team is not None:
            kwargs.setdefault("initial", {"name": team.name, "leads": "\n".join(
                team.leads.order_by("email").values_list("email", flat=True))})
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Team.objects.filter(name=name)
        if self.team is not None:
            taken = taken.exclude(pk=self.team.pk)
        if taken.exists():
            raise ValidationError(_("A team of this name exists already."), code="taken")
        return name

    def clean_leads(self) -> list[User]:
        found, unknown = [], []
        for email in re.split(r"[\s,;]+", self.cleaned_data["leads"]):
            if email:
                user = staff_user(email)
                (found if user else unknown).append(user or email)
        if unknown:
            raise ValidationError(_("No staff account of this authority has the address "
                                    "%(emails)s."), params={"emails": ", ".join(unknown)},
                                  code="unknown")
        return list(dict.fromkeys(found))


# --- Employees --------------------------------------------------------------------------

def _team_field():
    return forms.ModelChoiceField(label=pgettext_lazy("worktime", "Team"),
                                  queryset=Team.all_authorities.none(),
                                  empty_label=None,
                                  error_messages={"required": _("Please choose a team."),
                                                  "invalid_choice": _("Please choose a team.")})


def _model_field():
    return forms.ModelChoiceField(
        label=_("Working-time model"), queryset=TimeModel.all_authorities.none(),
        empty_label=None, error_messages={"required": _("Please choose a model."),
                                          "invalid_choice": _("Please choose a model.")})


class EmploymentForm(forms.Form):
    team = _team_field()
    time_model = _model_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["time_model"].queryset = TimeModel.objects.order_by("name")


class EnrolForm(EmploymentForm):
    email = forms.EmailField(label=_("E-mail address of the staff account"), max_length=254,
                             error_messages={"required": _("Please enter the e-mail address."),
                                             "invalid": _("Please enter a valid e-mail "
                                                          "address.")})
    personnel_number = forms.RegexField(
        label=_("Personnel number"), regex=r"^[A-Za-z0-9./-]{1,20}$", max_length=20,
        error_messages={"required": _("Please enter the personnel number."),
                        "invalid": _("Please use letters, digits, dots, slashes and hyphens "
                                     "only.")})
    starts_on = TypedDateField(label=_("Recording starts on"), help_text=_("DD.MM.YYYY"),
                               error_messages={"required": _("Please enter the first day.")})
    opening_balance = HoursMinutesField(
        label=_("Opening balance"), signed=True,
        help_text=_("Hours:minutes carried in, e.g. 12:30 or -4:00; empty is 0:00."))

    field_order = ["email", "personnel_number", "team", "time_model", "starts_on",
                   "opening_balance"]

    def clean_email(self) -> User:
        user = staff_user(self.cleaned_data["email"])
        if user is None:
            raise ValidationError(_("No staff account of this authority has this address."),
                                  code="unknown")
        if Employee.objects.filter(user=user).exists():
            raise ValidationError(_("This person records working time already."),
                                  code="enrolled")
        return user
