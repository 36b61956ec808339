"""Working time of the authority's own staff (Arbeitszeiterfassung).

The Dienstvereinbarung of an authority is configuration (`Agreement`, `TimeModel`,
`LocalHoliday`), never constants. An `Employee` is a staff account with a team, a time
model and a personnel number. What they record is an `Entry` per stretch of work, with
its `EntryRevision`s (every version, kept); a change after the month is closed waits as
a `Correction` for the team lead. `Absence`s are requested and decided, sickness is
recorded without a diagnosis. `DayBalance` holds each day's arithmetic (target, worked,
credited, the day's difference) so that balances are sums over one indexed table;
`LeaveAccount` the year's entitlement and carried-over days; `MonthClosing` the
confirmations of a month, its totals for payroll and its sheet.

What the team lead, HR and the staff council see of this is decided in
`permissions.py` and described in docs/worktime.md.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.authorities.tenancy import TenantScopedModel

DAYS = {"max_digits": 5, "decimal_places": 1, "default": Decimal("0.0")}


class BreakRule(models.TextChoices):
    # Only the breaks recorded (clocked out and in again) count; a missing statutory
    # break is a warning, the time stays as recorded.
    RECORDED = "recorded", _("recorded breaks only")
    # The balance counts the day's work less the part of the statutory break that was
    # not taken; the recorded times stay as they are and the deduction is shown.
    STATUTORY_MINIMUM = "statutory_minimum", _("missing statutory break deducted from the balance")


class Agreement(TenantScopedModel):
    """The authority's Dienstvereinbarung on working time: one row per authority."""

    flex_start = models.TimeField(_("flexitime frame from"), default="06:00")
    flex_end = models.TimeField(_("flexitime frame until"), default="20:00")
    core_start = models.TimeField(_("core hours from"), null=True, blank=True, default="09:00")
    core_end = models.TimeField(_("core hours until"), null=True, blank=True, default="12:00")
    max_plus_minutes = models.PositiveIntegerField(_("highest positive balance (minutes)"),
                                                   default=40 * 60)
    max_minus_minutes = models.PositiveIntegerField(_("highest negative balance (minutes)"),
                                                    default=20 * 60)
    break_rule = models.CharField(_("breaks"), max_length=20, choices=BreakRule.choices,
                                  default=BreakRule.STATUTORY_MINIMUM)
    # §3 ArbZG: up to 10 hours a day if the average stays at 8 over six months.
    reference_months = models.PositiveSmallIntegerField(_("reference period (months)"),
                                                        default=6)
    leave_days_full_time = models.DecimalField(
        _("leave days a year for five working days a week"), **{**DAYS, "default": Decimal("30.0")})
    # Days carried over into a year lapse when not taken by this day of that year.
    carry_over_month = models.PositiveSmallIntegerField(_("carried-over leave lapses after month"),
                                                        default=3)
    carry_over_day = models.PositiveSmallIntegerField(_("carried-over leave lapses after day"),
                                                      default=31)
    # Records are deleted this many years after the end of the year they belong to.
    retention_years = models.PositiveSmallIntegerField(_("keep records for (years after the year)"),
                                                       default=2)
    # The Personalamt: sees the closing state of every month and exports payroll.
    hr_department = models.ForeignKey("authorities.Department", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("human resources department"))

    class Meta:
        verbose_name = _("working time agreement")
        verbose_name_plural = _("working time agreements")
        constraints = [models.UniqueConstraint(fields=["authority"], name="one_agreement")]


class TimeModel(TenantScopedModel):
    """A working-time model: the minutes to work on each weekday (part-time patterns
    are models of their own)."""

    name = models.CharField(_("name"), max_length=100)
    monday = models.PositiveSmallIntegerField(_("Monday (minutes)"), default=0)
    tuesday = models.PositiveSmallIntegerField(_("Tuesday (minutes)"), default=0)
    wednesday = models.PositiveSmallIntegerField(_("Wednesday (minutes)"), default=0)
    thursday = models.PositiveSmallIntegerField(_("Thursday (minutes)"), default=0)
    friday = models.PositiveSmallIntegerField(_("Friday (minutes)"), default=0)
    saturday = models.PositiveSmallIntegerField(_("Saturday (minutes)"), default=0)
    sunday = models.PositiveSmallIntegerField(_("Sunday (minutes)"), default=0)

    WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

    class Meta:
        verbose_name = _("working-time model")
        verbose_name_plural = _("working-time models")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"],
                                               name="time_model_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def daily_minutes(self) -> tuple[int, ...]:
        """Minutes to work Monday (0) to Sunday (6)."""
        return tuple(getattr(self, day) for day in self.WEEKDAYS)

    @property
    def weekly_minutes(self) -> int:
        return sum(self.daily_minutes)

    @property
    def working_days(self) -> int:
        return sum(1 for minutes in self.daily_minutes if minutes)


class LocalHoliday(TenantScopedModel):
    """A day off the authority grants besides the public holidays (e.g. Rosenmontag)."""

    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("local day off")
        verbose_name_plural = _("local days off")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["authority", "day"],
                                               name="local_holiday_unique")]


class Team(TenantScopedModel):
    """A team with its leads, who decide absences and confirm months."""

    name = models.CharField(_("name"), max_length=150)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="worktime_teams_led",
                                   blank=True, verbose_name=_("team leads"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"],
                                               name="worktime_team_name_unique")]

    def __str__(self) -> str:
        return self.name


class Employee(TenantScopedModel):
    """A staff account whose working time is recorded."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="employments")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members",
                             verbose_name=_("team"))
    time_model = models.ForeignKey(TimeModel, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("working-time model"))
    personnel_number = models.CharField(_("personnel number"), max_length=20)
    starts_on = models.DateField(_("recording starts on"))
    # The balance carried in from before (minutes; negative when owed).
    opening_balance_minutes = models.IntegerField(_("opening balance (minutes)"), default=0)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.UniqueConstraint(fields=["authority", "user"], name="one_employment"),
            models.UniqueConstraint(fields=["authority", "personnel_number"],
                                    name="personnel_number_unique"),
        ]

    def __str__(self) -> str:
        return self.user.full_name


class Place(models.TextChoices):
    OFFICE = "office", _("in the office")
    MOBILE = "mobile", _("mobile work")  # mobiles Arbeiten, Homeoffice
    OUTSIDE = "outside", _("field work")  # Außendienst


class Source(models.TextChoices):
    WEB = "web", _("clocked on the web")
    OFFLINE = "offline", _("clocked offline, sent later")
    CORRECTION = "correction", _("entered afterwards")


class Entry(TenantScopedModel):
    """One stretch of work, from clocking in to clocking out. Breaks are the gaps
    between a day's entries. Never deleted by a correction: `removed` is set, and every
    version is in `EntryRevision`."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="entries")
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=10, choices=Place.choices,
                             default=Place.OFFICE)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.WEB)
    # Made by the device when clocking in (and out): a resend of a queued event finds
    # the entry it already made.
    client_id = models.UUIDField(default=uuid.uuid4)
    end_client_id = models.UUIDField(null=True, blank=True)
    removed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["started_at"]
        indexes = [models.Index(fields=["employee", "started_at"])]
        constraints = [
            models.UniqueConstraint(fields=["authority", "client_id"], name="entry_client_id"),
            models.UniqueConstraint(fields=["authority", "end_client_id"],
                                    name="entry_end_client_id"),
            # One open entry per employee: clocking in twice is refused by the database.
            models.UniqueConstraint(fields=["employee"], condition=models.Q(ended_at=None,
                                                                            removed=False),
                                    name="one_open_entry"),
            models.CheckConstraint(condition=models.Q(ended_at=None)
                                   | models.Q(ended_at__gt=models.F("started_at")),
                                   name="entry_ends_after_start"),
        ]


class EntryRevision(TenantScopedModel):
    """One version of an entry as it was saved, with who changed it and why. Rows are
    only added; the retention deletes them with their entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=10, choices=Place.choices)
    removed = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "version"]
        constraints = [models.UniqueConstraint(fields=["entry", "version"],
                                               name="entry_revision_unique")]


class Decision(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("withdrawn")


class Correction(TenantScopedModel):
    """A change to a closed month, waiting for the team lead: a new entry (no `entry`),
    a changed one, or one removed."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="corrections")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="corrections")
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"))
    place = models.CharField(_("where"), max_length=10, choices=Place.choices,
                             default=Place.OFFICE)
    remove = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(max_length=10, choices=Decision.choices, default=Decision.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["employee", "state"])]


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("leave")  # Erholungsurlaub
    FLEXITIME_DAY = "flexitime_day", _("flexitime day")  # Gleittag
    TRAINING = "training", _("training")  # Fortbildung
    SICKNESS = "sickness", _("sickness")  # Arbeitsunfähigkeit, never with a diagnosis


class Absence(TenantScopedModel):
    """Leave, a flexitime day or training as requested and decided, or sickness as
    recorded. `days` are the working days it takes from the model."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=15, choices=AbsenceKind.choices)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    days = models.DecimalField(_("working days"), **DAYS)
    state = models.CharField(_("state"), max_length=10, choices=Decision.choices,
                             default=Decision.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["first_day"]
        indexes = [models.Index(fields=["employee", "first_day"]),
                   models.Index(fields=["authority", "state", "first_day"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(last_day__gte=models.F("first_day")),
            name="absence_ends_after_start")]


class LeaveAccount(TenantScopedModel):
    """An employee's leave for one year: the entitlement and the days carried over,
    which lapse on `carry_over_expires` when not taken by then."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="leave_accounts")
    year = models.PositiveSmallIntegerField(_("year"))
    entitlement_days = models.DecimalField(_("entitlement"), **DAYS)
    carried_over_days = models.DecimalField(_("carried over"), **DAYS)
    carry_over_expires = models.DateField(_("carried-over days lapse after"))

    class Meta:
        verbose_name = _("leave account")
        verbose_name_plural = _("leave accounts")
        constraints = [models.UniqueConstraint(fields=["employee", "year"],
                                               name="one_leave_account_a_year")]


class DayBalance(TenantScopedModel):
    """One employee's arithmetic of one day, written by the balance run and again when
    the day's entries or absences change. Minutes throughout."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="day_balances")
    day = models.DateField()
    target = models.IntegerField(default=0)  # the model's minutes, 0 on holidays
    worked = models.IntegerField(default=0)  # recorded, as recorded
    break_deducted = models.IntegerField(default=0)  # the statutory break not taken
    credited = models.IntegerField(default=0)  # absences counted as worked
    delta = models.IntegerField(default=0)  # worked - deducted + credited - target
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "day"],
                                               name="one_balance_a_day")]
        indexes = [models.Index(fields=["authority", "day"])]


class ClosingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("month", "open")
    CONFIRMED = "confirmed", _("confirmed by the employee")
    CLOSED = "closed", pgettext_lazy("month", "closed")
    DISPUTED = "disputed", _("in dispute")


class MonthClosing(TenantScopedModel):
    """The closing of one employee's month: confirmed by them, then by the team lead,
    who may instead put it in dispute (then, and only then, they see its clock times).
    `totals` are what the payroll export reads; the sheet is a PDF/A in the blob store."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="closings")
    month = models.DateField()  # its first day
    state = models.CharField(_("state"), max_length=10, choices=ClosingState.choices,
                             default=ClosingState.OPEN)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(_("what needs clarifying"), max_length=300, blank=True)
    totals = models.JSONField(default=dict, blank=True)
    sheet_blob = models.CharField(max_length=200, blank=True)
    sheet_sha256 = models.CharField(max_length=64, blank=True)
    sheet_version = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("month closing")
        verbose_name_plural = _("month closings")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["employee", "month"],
                                               name="one_closing_a_month")]
        indexes = [models.Index(fields=["authority", "month", "state"])]
