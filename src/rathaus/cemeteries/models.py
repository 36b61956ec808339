"""The cemetery cadastre's own records beside the cadastres' core (`rathaus.assets`).

A cemetery, its fields and its graves are assets (kinds in `kinds.py`, a grave's parent
is its field, a field's its cemetery). What only a cemetery has lives here and points
to those assets: the grave types of the bylaw with their rules and fees
(`GraveType`), each grave's type, places and state (`Grave`), the rights of use
(`RightOfUse`, extended by `RightExtension`, written about by `RightLetter`) and the
burials (`Burial`) with their rest periods. Rules are configuration (rows of
`GraveType`), never constants: DOMAIN.md, Cadastres.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.assets.models import Asset
from rathaus.authorities.tenancy import TenantScopedModel

MONEY = {"max_digits": 9, "decimal_places": 2, "default": Decimal("0.00")}


class GraveKind(models.TextChoices):
    ROW = "row_grave", _("row grave")  # Reihengrab
    CHOICE = "choice_grave", _("grave of choice")  # Wahlgrab
    URN_ROW = "urn_row_grave", _("urn row grave")  # Urnenreihengrab
    URN_CHOICE = "urn_choice_grave", _("urn grave of choice")  # Urnenwahlgrab
    ANONYMOUS = "anonymous", _("anonymous field")  # anonymes Urnenfeld
    TREE = "tree_burial", _("tree burial")  # Baumbestattung


class BurialKind(models.TextChoices):
    COFFIN = "coffin", _("coffin burial")  # Erdbestattung
    URN = "urn", _("urn burial")  # Urnenbeisetzung


class GraveType(TenantScopedModel):
    """One grave type at one cemetery as the bylaw (Friedhofssatzung and
    Gebührensatzung) sets it: rest periods, the right of use and its extension, fees.

    `right_years` 0 means the type has no right of use (an anonymous field: the town
    cares for it, nobody holds it). A rest period of None means the type takes no
    burial of that kind (no coffins in an urn grave)."""

    cemetery = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("grave type"), max_length=20, choices=GraveKind.choices)
    places = models.PositiveSmallIntegerField(_("places of a new grave"), default=1)
    rest_period_coffin_years = models.PositiveSmallIntegerField(
        _("rest period of a coffin burial (years)"), null=True, blank=True)
    rest_period_urn_years = models.PositiveSmallIntegerField(
        _("rest period of an urn burial (years)"), null=True, blank=True)
    right_years = models.PositiveSmallIntegerField(_("length of a new right of use (years)"))
    extendable = models.BooleanField(_("the right of use can be extended"), default=False)
    extension_min_years = models.PositiveSmallIntegerField(
        _("shortest extension (years)"), default=1)
    extension_max_years = models.PositiveSmallIntegerField(
        _("longest extension at a time (years)"), default=0)
    # The longest a right may run from its start, extensions included; None: no limit.
    max_total_years = models.PositiveSmallIntegerField(
        _("longest right of use in total (years)"), null=True, blank=True)
    right_fee = models.DecimalField(_("fee for the right of use"), **MONEY)
    extension_fee_per_year = models.DecimalField(_("extension fee per year"), **MONEY)
    burial_fee_coffin = models.DecimalField(_("fee for a coffin burial"), **MONEY)
    burial_fee_urn = models.DecimalField(_("fee for an urn burial"), **MONEY)
    bylaw = models.CharField(_("bylaw"), max_length=200, blank=True)  # where the rule is

    class Meta:
        verbose_name = _("grave type")
        verbose_name_plural = _("grave types")
        constraints = [models.UniqueConstraint(fields=["authority", "cemetery", "kind"],
                                               name="one_grave_type_per_cemetery")]

    def __str__(self) -> str:
        return self.get_kind_display()

    def rest_period_years(self, burial_kind: str) -> int | None:
        return (self.rest_period_coffin_years if burial_kind == BurialKind.COFFIN
                else self.rest_period_urn_years)

    def burial_fee(self, burial_kind: str) -> Decimal:
        return self.burial_fee_coffin if burial_kind == BurialKind.COFFIN else self.burial_fee_urn

    @property
    def has_right_of_use(self) -> bool:
        return self.right_years > 0


class Grave(TenantScopedModel):
    """A grave asset's cemetery data. `state` is kept by the services (`services.py`),
    so the plans and counts read one column."""

    class State(models.TextChoices):
        FREE = "free", pgettext_lazy("grave", "free")
        RESERVED = "reserved", pgettext_lazy("grave", "reserved")  # a right, no burial yet
        OCCUPIED = "occupied", pgettext_lazy("grave", "occupied")
        CLOSED = "closed", pgettext_lazy("grave", "closed")  # not to be given out

    asset = models.OneToOneField(Asset, on_delete=models.PROTECT, primary_key=True,
                                 related_name="grave")
    cemetery = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+")
    grave_type = models.ForeignKey(GraveType, on_delete=models.PROTECT, related_name="graves")
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    state = models.CharField(pgettext_lazy("grave", "state"), max_length=20,
                             choices=State.choices, default=State.FREE)
    # The grave's place in its field's plan: row and position in the row.
    row = models.PositiveSmallIntegerField(_("row"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("grave")
        verbose_name_plural = _("graves")
        indexes = [
            models.Index(fields=["authority", "field", "row", "position"], name="grave_plan"),
            models.Index(fields=["authority", "cemetery", "grave_type", "state"],
                         name="grave_state"),
        ]

    def __str__(self) -> str:
        return str(self.asset)


class RightOfUse(TenantScopedModel):
    """A Nutzungsrecht: who holds a grave from when to when. The holder's address is
    kept here (holders seldom have an account); `holder` is their account where they
    have one, for letters in the mailbox."""

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")
        RETURNED = "returned", _("returned")  # given back early (Verzicht)

    grave = models.ForeignKey(Grave, on_delete=models.PROTECT, related_name="rights")
    number = models.CharField(_("certificate number"), max_length=40)  # Graburkunde
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_street = models.CharField(_("street and house number"), max_length=200)
    holder_postcode = models.CharField(_("postcode"), max_length=10)
    holder_city = models.CharField(_("city"), max_length=100)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    successor_name = models.CharField(_("successor"), max_length=200, blank=True)
    successor_address = models.CharField(_("address of the successor"), max_length=300,
                                         blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    # Grabsuche: the holder agreed that the grave may be found by name, and also while
    # a rest period runs. Without both nothing is shown (public.py).
    consent_grave_search = models.BooleanField(default=False)
    consent_during_rest = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.ACTIVE)
    case_reference = models.CharField(max_length=40, blank=True)  # the application
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("right of use")
        verbose_name_plural = _("rights of use")
        constraints = [models.UniqueConstraint(fields=["authority", "number"],
                                               name="right_number_unique")]
        indexes = [
            models.Index(fields=["authority", "state", "ends_on"], name="right_ending"),
        ]

    def __str__(self) -> str:
        return self.number


class RightExtension(TenantScopedModel):
    """One extension of a right of use, with its fee (history: never changed)."""

    right = models.ForeignKey(RightOfUse, on_delete=models.PROTECT, related_name="extensions")
    previous_ends_on = models.DateField()
    ends_on = models.DateField()
    years = models.PositiveSmallIntegerField()
    fee = models.DecimalField(**MONEY)
    case_reference = models.CharField(max_length=40, blank=True)
    extended_at = models.DateTimeField(auto_now_add=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("extension of a right of use")
        verbose_name_plural = _("extensions of rights of use")


class RightLetter(TenantScopedModel):
    """A letter to a holder before their right ends: written once per right and end
    date, filed in the eAkte, delivered to the mailbox where the holder has an account."""

    class Kind(models.TextChoices):
        ENDING = "ending", _("right of use ends")

    right = models.ForeignKey(RightOfUse, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ENDING)
    ends_on = models.DateField()  # the end the letter writes about
    document = models.ForeignKey("records.Document", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    in_mailbox = models.BooleanField(default=False)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["right", "kind", "ends_on"],
                                               name="one_letter_per_end")]


class Burial(TenantScopedModel):
    """A Bestattung in a grave: booked for a date (an application), then confirmed by
    the decision, when its rest period runs. Historic burials are entered confirmed."""

    class State(models.TextChoices):
        BOOKED = "booked", _("booked")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")

    grave = models.ForeignKey(Grave, on_delete=models.PROTECT, related_name="burials")
    right = models.ForeignKey(RightOfUse, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="burials")
    kind = models.CharField(_("kind of burial"), max_length=10, choices=BurialKind.choices)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    born_on = models.DateField(_("date of birth"), null=True, blank=True)
    died_on = models.DateField(_("date of death"))
    buried_at = models.DateTimeField(_("date and time of the burial"))
    rest_ends_on = models.DateField(_("end of the rest period"))
    place = models.PositiveSmallIntegerField(_("place in the grave"), default=1)
    state = models.CharField(max_length=20, choices=State.choices, default=State.BOOKED)
    case_reference = models.CharField(max_length=40, blank=True, db_index=True)
    # What the booking adds to the right of use, for the decision to carry out.
    extension_years = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("burial")
        verbose_name_plural = _("burials")
        indexes = [
            models.Index(fields=["authority", "last_name", "first_name"], name="burial_name"),
            models.Index(fields=["authority", "grave", "state"], name="burial_grave"),
            models.Index(fields=["authority", "state", "rest_ends_on"], name="burial_rest"),
            models.Index(fields=["authority", "buried_at"], name="burial_date"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
