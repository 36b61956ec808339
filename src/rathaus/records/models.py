"""The electronic file (eAkte): file plan, case files, documents and their versions.

Fields that an xdomea hand-over (0501–0503) needs are kept here from the start: the
file plan code, retention and disposal per plan entry, the period of a file (opened,
closed), a stable UUID per object and per version the hash, size, type and name.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.audit.models import AppendOnlyModel
from rathaus.authorities.tenancy import TenantScopedModel

from .references import DEFAULT_REFERENCE_PATTERN, MAX_REFERENCE_LENGTH, validate_reference_pattern


class FilePlanEntry(TenantScopedModel):
    """An entry of the authority's file plan (Aktenplan), e.g. 32.41.01 "Hundesteuer"."""

    class Disposal(models.TextChoices):
        """xdomea code list "Aussonderungsart": what the archive is expected to do."""

        ARCHIVE = "A", _("Archive")
        EVALUATE = "B", _("Evaluate")
        DESTROY = "V", _("Destroy")

    # The counter of file numbers is named after the code, and sequence names are short.
    code = models.CharField(_("file plan code"), max_length=30)
    # The tree of subjects: 32 "Ordnungsverwaltung" > 32.41 "Steuern" > 32.41.01.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent entry"),
    )
    # The department in charge: files opened under the entry belong to it unless the
    # one who opens them names another, and only its staff read them.
    department = models.ForeignKey(
        "authorities.Department", null=True, blank=True, on_delete=models.PROTECT,
        related_name="file_plan_entries", verbose_name=_("department in charge"),
    )
    title = models.CharField(_("title"), max_length=200)
    retention_years = models.PositiveSmallIntegerField(_("retention period in years"))
    disposal = models.CharField(
        _("disposal"), max_length=1, choices=Disposal.choices, default=Disposal.EVALUATE
    )
    reference_pattern = models.CharField(
        _("file reference pattern"), max_length=100, default=DEFAULT_REFERENCE_PATTERN,
        validators=[validate_reference_pattern],
        help_text=_("Fields {code}, {year} and {number}, e.g. {code}-{year}-{number:06d}."),
    )

    class Meta:
        verbose_name = _("file plan entry")
        verbose_name_plural = _("file plan entries")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "code"], name="file_plan_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class FilePlanRevision(AppendOnlyModel):
    """One state of a file plan entry, written each time it is added or changed, so the
    file plan's history is kept (who changed what, when, and the values afterwards)."""

    entry = models.ForeignKey(
        FilePlanEntry, on_delete=models.PROTECT, related_name="revisions",
        verbose_name=_("file plan entry"),
    )
    number = models.PositiveIntegerField(_("revision"))
    # code, title, parent code, department id, retention_years, disposal,
    # reference_pattern: the entry as it was after this change.
    values = models.JSONField(_("values"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", verbose_name=_("changed by"),
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("file plan revision")
        verbose_name_plural = _("file plan revisions")
        ordering = ["entry_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="file_plan_revision_unique")
        ]


class CaseFile(TenantScopedModel):
    """A file (Akte) with its reference number (Aktenzeichen)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    aktenzeichen = models.CharField(_("file reference"), max_length=MAX_REFERENCE_LENGTH)
    plan_entry = models.ForeignKey(
        FilePlanEntry, on_delete=models.PROTECT, related_name="case_files",
        verbose_name=_("file plan entry"),
    )
    title = models.CharField(_("title"), max_length=300)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_files", verbose_name=_("citizen concerned"),
    )
    # Whose staff read and work on the file; None: only records managers.
    department = models.ForeignKey(
        "authorities.Department", null=True, blank=True, on_delete=models.PROTECT,
        related_name="case_files", verbose_name=_("department"),
    )
    # Copied from the plan entry when the file is opened: changing the file plan later
    # must not shorten the retention of files that already exist.
    retention_years = models.PositiveSmallIntegerField(_("retention period in years"))
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    retention_until = models.DateField(_("retained until"), null=True, blank=True)
    # A legal hold (litigation, an audit, a request under data protection law) keeps a
    # file out of every disposal while its reason is set.
    legal_hold = models.CharField(_("legal hold"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "aktenzeichen"], name="case_file_aktenzeichen_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True, retention_until__isnull=True)
                | models.Q(closed_at__isnull=False, retention_until__isnull=False),
                name="case_file_retention_set_on_close",
            ),
        ]
        indexes = [models.Index(fields=["authority", "retention_until"])]

    def __str__(self) -> str:
        return self.aktenzeichen

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Document(TenantScopedModel):
    """A document in a case file. Its content lives in its versions."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application")
        RECEIPT = "receipt", _("Receipt")
        UPLOAD = "upload", _("Upload")
        NOTICE = "notice", _("Notice")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        INCOMING = "incoming", _("Incoming mail")
        EMAIL = "email", _("E-mail")
        COUNCIL = "council", _("Council paper")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("case file"),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(AppendOnlyModel):
    """One immutable state of a document's content, stored by its SHA-256 hash.

    Saving an existing version, deleting one, and bulk updates or deletes raise
    `AppendOnlyError`; a correction is a new version.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    media_type = models.CharField(_("media type"), max_length=100)
    original_filename = models.CharField(_("file name"), max_length=255)
    # Kept rather than derived, so blobs stay findable if the authority's slug or the
    # storage layout changes.
    storage_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Like the audit log: no database constraint, so deleting an account never has to
    # rewrite an immutable version.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", verbose_name=_("created by"),
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="document_version_number_positive"
            ),
        ]
        indexes = [models.Index(fields=["authority", "sha256"])]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class DocumentNote(AppendOnlyModel):
    """A note staff add to a file or to one of its documents (Aktenvermerk). Notes are
    part of the file: never changed or removed, a correction is a new note."""

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.PROTECT, related_name="notes", verbose_name=_("case file")
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="notes",
        verbose_name=_("document"),
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", verbose_name=_("created by"),
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]


class DocumentText(TenantScopedModel):
    """The searchable text of a document version: its PDF text layer, its OCR text or
    what the extractor read from an Office file. One row per version; search reads the
    latest version's row of each document (`is_latest`)."""

    class Source(models.TextChoices):
        TEXT_LAYER = "text_layer", _("Text layer")
        OCR = "ocr", _("Text recognition")
        OFFICE = "office", _("Office document")
        PLAIN = "plain", _("Plain text")
        NONE = "none", _("No text")

    version = models.OneToOneField(
        DocumentVersion, on_delete=models.CASCADE, related_name="text",
        verbose_name=_("document version"),
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="texts", verbose_name=_("document")
    )
    is_latest = models.BooleanField(default=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    text = models.TextField(_("text"), blank=True)
    extracted_at = models.DateTimeField(_("extracted"), auto_now_add=True)

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        indexes = [models.Index(fields=["document", "is_latest"])]


class IntegrityRun(TenantScopedModel):
    """One run of the integrity check over every stored document version: how many it
    read and which did not match their recorded SHA-256 (or were missing)."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    checked = models.PositiveBigIntegerField(_("versions checked"), default=0)
    # [{"version": uuid, "aktenzeichen": ..., "problem": "missing" | "changed"}, ...]
    mismatches = models.JSONField(_("mismatches"), default=list)

    class Meta:
        verbose_name = _("integrity check")
        verbose_name_plural = _("integrity checks")
        ordering = ["-started_at"]


class SearchEntry(TenantScopedModel):
    """What the eAkte's search finds a document by: its latest text and its metadata,
    as terms (records.search_terms) in the database's own full-text index, which
    records.search_index writes beside this row (PostgreSQL: a tsvector column with a
    GIN index; SQLite: an FTS5 table). The file's department is copied here, so that a
    search asks one index for the documents a clerk may read."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="search_entry",
        verbose_name=_("document"),
    )
    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, related_name="+", verbose_name=_("case file")
    )
    department = models.ForeignKey(
        "authorities.Department", null=True, blank=True, on_delete=models.SET_NULL,
        db_constraint=False, related_name="+", verbose_name=_("department"),
    )
    filed_at = models.DateTimeField(_("filed"))
    # The metadata's terms (Aktenzeichen, titles, the citizen's name, dates), space
    # separated: a document whose metadata holds what was asked comes first.
    metadata_terms = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [
            # The newest matches first, for everyone and per department.
            models.Index(fields=["authority", "filed_at", "id"], name="search_entry_newest"),
            models.Index(fields=["authority", "department", "filed_at", "id"],
                         name="search_entry_department"),
        ]
