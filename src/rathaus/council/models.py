"""Council information (Ratsinformation): the council's structure, its meetings with
their agendas, the papers (Drucksachen) with their files and their way through the
bodies, the councillors' private notes, and what came in from another system.

The objects follow OParl 1.1 (docs/council.md), so that `oparl.py` can write them
without translation: `Organization` is a body or a party group, `Consultation` a
paper's treatment by a body, `CouncilFile` an OParl File whose bytes are a document in
the eAkte. Every object keeps `created_at`, `modified_at` and `deleted` (OParl's
`deleted: true`: a removed object stays, marked, so that clients that synchronise see
it go). `source_id` is the object's OParl id in the system it was imported from.

What the public may see of all this is decided in one place, `visibility.py`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.authorities.tenancy import TenantScopedModel


class Council(TenantScopedModel):
    """The authority's council information (OParl's Body): who keeps it and its rules
    of procedure's numbers. One row per authority."""

    department = models.ForeignKey(
        "authorities.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Sitzungsdienst (department keeping the council's papers)"),
    )
    # The Geschäftsordnung's invitation period (§ 47 GO NRW leaves it to the rules of
    # procedure; seven days are usual).
    notice_days = models.PositiveSmallIntegerField(_("invitation period (days)"), default=7)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("council information")
        verbose_name_plural = _("council information")
        constraints = [models.UniqueConstraint(fields=["authority"], name="one_council")]

    def __str__(self) -> str:
        return str(self.authority)


class CouncilObject(TenantScopedModel):
    """What every OParl object has."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted = models.BooleanField(_("deleted"), default=False)
    # The OParl id in the system this object was imported from ("" if made here).
    source_id = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        abstract = True

    def touch(self) -> None:
        """Mark the object changed, for OParl's modified_since."""
        self.modified_at = timezone.now()


def _source_unique(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["authority", "source_id"],
                                   condition=~models.Q(source_id=""), name=name)


class LegislativeTerm(CouncilObject):
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("legislative term")
        verbose_name_plural = _("legislative terms")
        ordering = ["-start_date"]
        constraints = [_source_unique("council_term_source")]

    def __str__(self) -> str:
        return self.name


class Location(CouncilObject):
    description = models.CharField(_("description"), max_length=300)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    locality = models.CharField(_("place"), max_length=100, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        constraints = [_source_unique("council_location_source")]

    def __str__(self) -> str:
        return self.description


class Organization(CouncilObject):
    """A body (Rat, Ausschuss, Bezirksvertretung) or a party group (Fraktion)."""

    class Kind(models.TextChoices):
        COUNCIL = "council", pgettext_lazy("council body", "Council")
        COMMITTEE = "committee", _("Committee")
        DISTRICT = "district", _("District council")
        PARTY_GROUP = "party_group", _("Party group")
        OTHER = "other", _("Other body")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("usual meeting place"))
    website = models.URLField(_("website"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["position", "name"]
        constraints = [_source_unique("council_organization_source")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_body(self) -> bool:
        """Meets and decides (not a party group)."""
        return self.kind != self.Kind.PARTY_GROUP


class Person(CouncilObject):
    """A member of a body: a councillor, a sachkundige Bürgerin, the mayor. Public
    by office; what is shown is name, title, party and memberships, never an address.
    `user` is the account that opens the reading room (two factors)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("diverse")

    family_name = models.CharField(_("family name"), max_length=150)
    given_name = models.CharField(_("given name"), max_length=150)
    form_of_address = models.CharField(_("form of address"), max_length=50, blank=True)
    title = models.CharField(_("academic title"), max_length=50, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    party = models.CharField(_("party"), max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("account for the reading room"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "given_name", "id"]
        constraints = [_source_unique("council_person_source")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(filter(None, [self.title, self.given_name, self.family_name]))


class Membership(CouncilObject):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="memberships")
    role = models.CharField(_("role"), max_length=100, blank=True)  # "Vorsitzende", "Mitglied"
    voting_right = models.BooleanField(_("voting right"), default=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    on_behalf_of = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("for the party group"))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [_source_unique("council_membership_source")]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization}"


class Meeting(CouncilObject):
    """A meeting of one body. Its state follows the Sitzungsdienst's steps: planned,
    invited (the invitation went out and the public agenda is published), held (the
    results are recorded); the minutes are approved at a later meeting and published."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        INVITED = "invited", _("invited")
        HELD = "held", _("held")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=300)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="meetings", verbose_name=_("body"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="meetings", verbose_name=_("place"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PLANNED)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_in = models.ForeignKey("self", null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    # Invited within the notice period because the matter could not wait (Dringlichkeit):
    # why, as the Sitzungsdienst wrote it; empty for an invitation in time.
    urgency_reason = models.TextField(_("reason for the urgency"), blank=True)
    # Counts the agenda's changes after the invitation: each is announced to the
    # members once (MemberMessage's occasion).
    agenda_version = models.PositiveIntegerField(default=0)
    # The meeting's file in the eAkte: invitation, minutes (public and non-public).
    case_file = models.ForeignKey("records.CaseFile", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["authority", "start"], name="council_meeting_start")]
        constraints = [_source_unique("council_meeting_source")]

    def __str__(self) -> str:
        return self.name


class Paper(CouncilObject):
    """A Drucksache: a proposal of the administration, a party group's motion, or an
    information. Non-public papers are read by the members only."""

    class Type(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal (Beschlussvorlage)")
        MOTION = "motion", _("Motion of a party group (Antrag)")
        INFORMATION = "information", _("Information (Mitteilungsvorlage)")
        INQUIRY = "inquiry", _("Inquiry (Anfrage)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("number"), max_length=50)  # "V/2026/0123"
    name = models.CharField(_("title"), max_length=500)
    paper_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    date = models.DateField(_("date"))
    public = models.BooleanField(_("public"), default=True)
    # The Sitzungsdienst releases a paper (with the agenda that treats it, or on its
    # own); before that, nobody outside the administration reads it.
    released_at = models.DateTimeField(null=True, blank=True)
    originator = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("submitted by"))
    case_file = models.ForeignKey("records.CaseFile", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"],
                                    name="council_paper_reference"),
            _source_unique("council_paper_source"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class AgendaItem(CouncilObject):
    """One numbered item of a meeting's agenda. A non-public item is shown to the
    public as its number and "nicht öffentlich", never its title."""

    class Result(models.TextChoices):
        DECIDED = "decided", _("decided")
        DECIDED_AMENDED = "amended", _("decided with changes")
        REJECTED = "rejected", _("rejected")
        REFERRED = "referred", _("referred")
        DEFERRED = "deferred", _("deferred")
        NOTED = "noted", _("noted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    number = models.CharField(_("number"), max_length=20)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("title"), max_length=500)
    public = models.BooleanField(_("public"), default=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("yes"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("no"), null=True, blank=True)
    votes_abstaining = models.PositiveSmallIntegerField(_("abstentions"), null=True,
                                                        blank=True)
    resolution_text = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [_source_unique("council_agendaitem_source")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Consultation(CouncilObject):
    """A paper's treatment by a body, at a meeting's agenda item once planned."""

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="consultations")
    organization = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="consultations")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="consultations")
    role = models.CharField(_("role"), max_length=100, blank=True)  # "Vorberatung", "Entscheidung"
    authoritative = models.BooleanField(_("decides"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["paper", "position", "id"]
        constraints = [_source_unique("council_consultation_source")]


class CouncilFile(CouncilObject):
    """An OParl File: a paper's main file or attachment, or a meeting's invitation or
    minutes. The bytes are a PDF/A document in the eAkte (`document`)."""

    class Role(models.TextChoices):
        MAIN = "main", _("paper")
        ATTACHMENT = "attachment", _("attachment")
        INVITATION = "invitation", _("invitation")
        MINUTES = "minutes", _("minutes (public part)")
        NONPUBLIC_MINUTES = "nonpublic_minutes", _("minutes (non-public part)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("kind"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # An imported file's SHA-256 as the other system sent it, before it was converted
    # to PDF/A here: the next import compares it, not the converted bytes.
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    date = models.DateField(_("date"), null=True, blank=True)
    document = models.ForeignKey("records.Document", on_delete=models.PROTECT,
                                 related_name="+")
    paper = models.ForeignKey(Paper, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="files")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="files")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("council file")
        verbose_name_plural = _("council files")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paper__isnull=False, meeting__isnull=True)
                | models.Q(paper__isnull=True, meeting__isnull=False),
                name="council_file_one_owner"),
            _source_unique("council_file_source"),
        ]

    def __str__(self) -> str:
        return self.name


class PrivateNote(TenantScopedModel):
    """A councillor's note on a paper, sealed with a key of the instance and shown to
    its writer only: no page, list, export or log of anyone else reads it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    sealed_text = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [models.UniqueConstraint(fields=["user", "paper"],
                                               name="council_one_note_per_paper")]


class MemberMessage(TenantScopedModel):
    """A message to a member's mailbox about a meeting or a paper: the invitation, a
    changed agenda, a new paper. Unique per occasion, so a repeated step sends nothing
    twice."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        AGENDA_CHANGED = "agenda_changed", _("agenda changed")
        NEW_PAPER = "new_paper", _("new paper")
        CANCELLED = "cancelled", _("meeting cancelled")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    paper = models.ForeignKey(Paper, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    # What occasion this is (the agenda's version, the paper's release), so the same
    # change never goes out twice.
    occasion = models.CharField(max_length=100)
    message = models.ForeignKey("mailbox.Message", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["person", "kind", "occasion"], name="council_member_message_once")]


class CouncilUpload(TenantScopedModel):
    """A PDF uploaded for a paper, waiting to become a PDF/A (uploads.py): the checked
    bytes are kept as a blob until the worker converted and filed them, or said why
    it cannot (the conversion tool missing: the upload waits and is tried again)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for conversion")
        FILED = "filed", _("filed")
        FAILED = "failed", _("failed")

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="uploads")
    role = models.CharField(max_length=20, choices=CouncilFile.Role.choices)
    name = models.CharField(_("name"), max_length=300)
    file_name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    problem = models.TextField(blank=True)  # German, for the Sitzungsdienst's page
    council_file = models.ForeignKey(CouncilFile, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


class ImportRun(TenantScopedModel):
    """An import from another system's OParl endpoint into this authority: where it
    stands, so that a stopped run resumes, and since when the next run asks."""

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    endpoint = models.URLField(_("OParl system URL"), max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The next list page to read per list ("meeting": "https://…?page=3"), for resuming.
    cursor = models.JSONField(default=dict, blank=True)
    # The moment the previous complete run started: the next asks modified_since it.
    modified_since = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
