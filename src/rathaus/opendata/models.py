"""Open data metadata, modelled on DCAT-AP.de. The rows themselves never live in the
main database: each version's rows sit in an immutable file store (see store.py), so
the main database stays small and the same on SQLite and PostgreSQL."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.audit.models import AppendOnlyModel
from rathaus.authorities.tenancy import TenantScopedModel

from .vocabularies import DEFAULT_LICENCE, frequency_choices, licence_choices, theme_choices


class ColumnType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    BOOLEAN = "boolean", _("Yes/no")
    DATE = "date", _("Date")
    TEXT = "text", _("Text")


class Dataset(TenantScopedModel):
    """A dcat:Dataset published by the authority (the dct:publisher)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("short name (in addresses)"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=4, choices=theme_choices())
    contact_name = models.CharField(_("contact point"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    licence = models.CharField(_("licence"), max_length=30, choices=licence_choices(),
                               default=DEFAULT_LICENCE)
    # Amtlicher Gemeindeschlüssel of the area covered; the authority's own by default.
    spatial = models.CharField(_("area covered (municipality key)"), max_length=12, blank=True)
    temporal_start = models.DateField(_("period covered from"), null=True, blank=True)
    temporal_end = models.DateField(_("period covered until"), null=True, blank=True)
    frequency = models.CharField(_("update frequency"), max_length=10,
                                 choices=frequency_choices(), default="IRREG")
    published = models.BooleanField(_("published"), default=False)
    # Set at the first publication (dct:issued); dct:modified is the newest version's time.
    issued = models.DateTimeField(_("first published"), null=True, blank=True)
    modified = models.DateTimeField(_("last changed"), null=True, blank=True)
    # Name of the producer in the registry (automatic.py); empty for uploaded data.
    producer = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="dataset_name_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class DatasetVersion(AppendOnlyModel):
    """One immutable state of a dataset's rows (a dcat:Distribution in each format).
    The newest version of a published dataset is what everyone gets."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    source_filename = models.CharField(max_length=255, blank=True)
    row_count = models.PositiveBigIntegerField()
    # SHA-256 of the normalised CSV; names the store files (content-addressed).
    sha256 = models.CharField(max_length=64)
    csv_size = models.PositiveBigIntegerField()
    gzip_size = models.PositiveBigIntegerField()
    has_geometry = models.BooleanField(default=False)
    bbox_west = models.FloatField(null=True, blank=True)
    bbox_south = models.FloatField(null=True, blank=True)
    bbox_east = models.FloatField(null=True, blank=True)
    bbox_north = models.FloatField(null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} v{self.number}"

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.bbox_west is None:
            return None
        return (self.bbox_west, self.bbox_south, self.bbox_east, self.bbox_north)


class VersionColumn(AppendOnlyModel):
    """A column as confirmed by staff: only public columns are in the version's files."""

    version = models.ForeignKey(DatasetVersion, on_delete=models.PROTECT, related_name="columns")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=10, choices=ColumnType.choices)
    public = models.BooleanField()
    # What the privacy guard saw (privacy.PersonalKind) and why staff published anyway.
    personal_kind = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    # "lon"/"lat" when the column holds the point coordinates.
    role = models.CharField(max_length=3, blank=True)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class Upload(TenantScopedModel):
    """A file staff uploaded, checked and waiting for the columns to be confirmed.
    Confirming turns it into a DatasetVersion; the raw file is then deleted, because it
    may hold columns that were not published.

    Uploaded through the office pages, the file is checked and later written into the
    store by the background worker (RECEIVED → CHECKED, PUBLISHING → CONFIRMED): a file
    of a million rows takes longer than a web request may."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Being checked")
        INVALID = "invalid", _("Invalid")
        CHECKED = "checked", _("Checked, columns to confirm")
        PUBLISHING = "publishing", _("Being saved as a version")
        CONFIRMED = "confirmed", _("Published as a version")
        DISCARDED = "discarded", _("Discarded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    # [{"line": n, "column": name, "message": German text}], at most a few dozen.
    errors = models.JSONField(default=list, blank=True)
    # [{"name", "type", "role", "personal_kind", "personal_hint"}] as inferred.
    columns = models.JSONField(default=list, blank=True)
    row_count = models.PositiveBigIntegerField(default=0)
    version = models.OneToOneField(DatasetVersion, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="upload")
    # What staff confirmed, kept while the worker writes the version (PUBLISHING): the
    # columns with their chosen types and publication decisions (ingest.decisions.
    # ColumnDecision as JSON), who, and the note.
    confirmed_columns = models.JSONField(default=list, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename
