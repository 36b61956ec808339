"""The resident register (Melderegister): the street directory, persons, dwellings,
residences, households and the objections a resident filed.

History is never overwritten: a move ends one `Residence` (its `moved_out` is set once)
and starts another. A person has at most one current main residence, which the database
enforces; the services (`services.py`) keep the rest of the rules.
"""

import re
import unicodedata

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class Sex(models.TextChoices):
    """The sex as the register keeps it (§3 (1) Nr. 7 BMG), with the codes of DSMeld."""

    MALE = "m", _("male")
    FEMALE = "w", _("female")
    DIVERSE = "d", _("diverse")
    UNSPECIFIED = "x", _("not specified")


class Person(TenantScopedModel):
    """A resident as the register knows them; a person moving away stays, with their
    history."""

    family_name = models.CharField(_("family name"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    place_of_birth = models.CharField(_("place of birth"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # Optional: the register keeps it where it is known (ISO 3166-1 alpha-2, "DE").
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "given_names", "date_of_birth"]
        indexes = [models.Index(fields=["authority", "family_name", "given_names"],
                                name="resident_name_idx")]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"


def normalise_street_name(text: str) -> str:
    """The form every spelling of one street's name shares, to compare what a citizen
    typed with the street directory: "Marktstr.", "marktstr" and "Marktstraße" all give
    "marktstrasse", "Brueckenstrasse" and "Brückenstraße" both "brueckenstrasse".

    Case, spaces and hyphens do not count ("Solinger-Str." is "Solinger Straße"); "Str."
    at the end of a word is "Straße"; umlauts fold to their two-letter spellings and ß to
    ss, as a keyboard without them writes them. Folding that way, never ue to ü, keeps
    the true ue of "Neue Straße" or "Quellenweg" intact.
    The folded form is only compared, never shown: `street_named` gives the street with
    the directory's spelling."""
    folded = unicodedata.normalize("NFC", text).casefold()  # casefold turns ß into ss
    for umlaut, spelling in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        folded = folded.replace(umlaut, spelling)
    folded = re.sub(r"str\b\.?", "strasse", folded)
    return re.sub(r"[\s.\-]+", "", folded)


_HOUSE_NUMBER_PART = re.compile(r"0*(\d{1,4})\s*([a-z]?)")
_HOUSE_NUMBER_JOIN = re.compile(r"\s*([-–/])\s*")


class InvalidHouseNumber(ValueError):
    """A house number is digits, maybe with one letter ("12", "12a"), or two such
    joined by a hyphen or slash ("12-14", "7/1")."""


def normalise_house_number(text: str) -> str:
    """A house number as the register writes it: "12 a", "12A" and "012a" are "12a",
    "12 – 14" is "12-14"."""
    pieces = _HOUSE_NUMBER_JOIN.split(text.strip().lower())
    written = ""
    for index, piece in enumerate(pieces):
        if index % 2:
            written += "-" if piece == "–" else piece
            continue
        part = _HOUSE_NUMBER_PART.fullmatch(piece)
        if part is None or index > 2:
            raise InvalidHouseNumber(f"{text!r} is not a house number.")
        written += part[1] + part[2]
    if len(written) > 10:  # Dwelling.house_number
        raise InvalidHouseNumber(f"{text!r} is too long for a house number.")
    return written


class Street(TenantScopedModel):
    """A street of the authority's street directory (Straßenverzeichnis): its key, where
    its letters go, and the part of town (Ortsteil) the statistics group it under."""

    # The municipality's key of the street (Straßenschlüssel), five digits as most
    # towns number them: the register matches addresses by it, not by spelling.
    key = models.CharField(_("street key"), max_length=5)
    name = models.CharField(_("street"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=5)
    place = models.CharField(_("place"), max_length=100)
    district = models.CharField(_("district"), max_length=100)
    # The name as `normalise_street_name` folds it, so that finding what a citizen
    # typed is one indexed query; unique, so it never finds two streets. Longer than
    # the name: folding writes "str." as "strasse" and ü as ue.
    name_key = models.CharField(max_length=300, editable=False)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "key"], name="street_key_unique"),
            models.UniqueConstraint(fields=["authority", "name"], name="street_name_unique"),
            models.UniqueConstraint(fields=["authority", "name_key"],
                                    name="street_spelling_unique"),
            models.CheckConstraint(condition=Q(key__regex=r"^[0-9]{5}$"),
                                   name="street_key_five_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    def save(self, *args, **kwargs):
        self.name_key = normalise_street_name(self.name)
        super().save(*args, **kwargs)


class Dwelling(TenantScopedModel):
    """A dwelling (Wohnung) at an address of the authority's street directory."""

    street = models.CharField(_("street"), max_length=150)
    # The municipality's key of the street (Straßenschlüssel), five digits as most
    # towns number them; the register's addresses are matched by it, not by spelling.
    street_key = models.CharField(_("street key"), max_length=10)
    house_number = models.CharField(_("house number"), max_length=10)
    postcode = models.CharField(_("postcode"), max_length=5)
    place = models.CharField(_("place"), max_length=100)

    class Meta:
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        ordering = ["street", "house_number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "street_key", "house_number"],
                                    name="dwelling_address_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.place}"


class ResidenceKind(models.TextChoices):
    MAIN = "main", _("Main residence")  # Hauptwohnung, §21 (2) BMG
    SECONDARY = "secondary", _("Secondary residence")  # Nebenwohnung, §21 (3) BMG


class StartedBy(models.TextChoices):
    """Why a residence started: the change of the register that started it."""

    MOVE_IN = "move_in", _("Moved in from elsewhere")  # Anmeldung
    MOVE_WITHIN = "move_within", _("Moved within the town")  # Ummeldung


class EndedBy(models.TextChoices):
    """Why a residence ended: the change of the register that ended it."""

    MOVE_WITHIN = "move_within", _("Moved within the town")  # Ummeldung
    MOVE_OUT = "move_out", _("Moved away")  # Abmeldung


class Residence(TenantScopedModel):
    """A person living in a dwelling from `moved_in` until `moved_out` (empty: still),
    with the changes that started and ended it, so that a history reads "moved here
    from elsewhere, moved within the town, moved away"."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="residences")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="residences")
    kind = models.CharField(_("kind"), max_length=10, choices=ResidenceKind.choices)
    moved_in = models.DateField(_("moved in on"))
    moved_out = models.DateField(_("moved out on"), null=True, blank=True)
    started_by = models.CharField(_("started by"), max_length=12, choices=StartedBy.choices)
    ended_by = models.CharField(_("ended by"), max_length=12, choices=EndedBy.choices,
                                blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        ordering = ["moved_in", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(kind="main", moved_out__isnull=True),
                name="one_current_main_residence"),
            models.UniqueConstraint(
                fields=["person", "dwelling"], condition=Q(moved_out__isnull=True),
                name="one_current_residence_per_dwelling"),
            models.CheckConstraint(
                condition=Q(moved_out__isnull=True) | Q(moved_out__gte=F("moved_in")),
                name="moved_out_not_before_moved_in"),
            models.CheckConstraint(condition=Q(kind__in=ResidenceKind.values),
                                   name="residence_kind_known"),
            models.CheckConstraint(condition=Q(started_by__in=StartedBy.values),
                                   name="residence_start_known"),
            # Ended exactly when moved out, and then for a known reason.
            models.CheckConstraint(
                condition=(Q(moved_out__isnull=True, ended_by="")
                           | Q(moved_out__isnull=False, ended_by__in=EndedBy.values)),
                name="residence_end_known"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.dwelling} ({self.get_kind_display()})"

    @property
    def is_current(self) -> bool:
        return self.moved_out is None


class Household(TenantScopedModel):
    """Persons who live together and move together: a head and the persons related to
    them. Where they live is what their residences say."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        head = self.members.filter(relationship=Relationship.HEAD).first()
        return f"{_('household')} {head.person if head else self.pk}"


class Relationship(models.TextChoices):
    """How a member of a household is related to its head."""

    HEAD = "head", _("Head of the household")
    SPOUSE = "spouse", _("Spouse")
    PARTNER = "partner", _("Registered or unmarried partner")
    CHILD = "child", _("Child")


class HouseholdMember(TenantScopedModel):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="membership")
    relationship = models.CharField(_("relationship"), max_length=10,
                                    choices=Relationship.choices)

    class Meta:
        verbose_name = _("member of a household")
        verbose_name_plural = _("members of households")
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(relationship="head"),
                                    name="one_head_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class ObjectionKind(models.TextChoices):
    """The objections (Widersprüche, Übermittlungssperren) the law lets a resident file;
    each explained in one sentence by `OBJECTION_EXPLANATIONS`."""

    ARMED_FORCES = "armed_forces", _("Objection to data transfer to the Bundeswehr (§36 (2) BMG)")
    ELECTIONS = "elections", _(
        "Objection to data transfer to parties and voter groups before elections "
        "(§50 (1) BMG)")
    JUBILEES = "jubilees", _(
        "Objection to data transfer for age and marriage jubilees (§50 (2) BMG)")
    ADDRESS_BOOKS = "address_books", _(
        "Objection to data transfer to address book publishers (§50 (3) BMG)")
    RELIGIOUS_COMMUNITIES = "religious_communities", _(
        "Objection to data transfer to a religious community for family members of "
        "another faith (§42 (3) BMG)")
    INFORMATION_BLOCK = "information_block", _("Information block (§51 BMG)")


OBJECTION_EXPLANATIONS = {
    ObjectionKind.ARMED_FORCES: _(
        "The registration office will not pass your name and address to the Bundeswehr's "
        "personnel office for information material."),
    ObjectionKind.ELECTIONS: _(
        "Parties and voter groups will not receive your name and address for election "
        "advertising in the six months before an election."),
    ObjectionKind.JUBILEES: _(
        "Mandate holders, the press and broadcasters will not learn of your birthday or "
        "wedding anniversary."),
    ObjectionKind.ADDRESS_BOOKS: _(
        "Publishers of address books will not receive your name, title and address."),
    ObjectionKind.RELIGIOUS_COMMUNITIES: _(
        "Your data will not be passed to the religious community of a family member "
        "whose faith you do not share."),
    ObjectionKind.INFORMATION_BLOCK: _(
        "Nobody is told your address unless you are heard first; you must show that "
        "giving it out would endanger your life, health or freedom."),
}

# Objections filed without a reason (Widersprüche); the information block needs one.
NEEDS_REASON = frozenset({ObjectionKind.INFORMATION_BLOCK})


class Objection(TenantScopedModel):
    """An objection a resident filed; withdrawn, it stays with its date."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="objections")
    kind = models.CharField(_("kind"), max_length=30, choices=ObjectionKind.choices)
    filed_on = models.DateField(_("filed on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"],
                                    condition=Q(withdrawn_on__isnull=True),
                                    name="one_standing_objection_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    @property
    def explanation(self) -> str:
        return OBJECTION_EXPLANATIONS[ObjectionKind(self.kind)]
