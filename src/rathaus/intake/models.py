"""Incoming mail (Posteingang): what arrives on paper, by scanner or as an e-mail
before it is filed into a case file.

An item keeps its original bytes as they came (content-addressed, see
`rathaus.records.blobs`), whatever happens to it: recognised, filed or discarded.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel
from rathaus.records.file_types import OFFICE_TYPES


class IncomingItem(TenantScopedModel):
    """One piece of incoming mail (Eingang): a scanned letter, an image, an e-mail or
    one attachment of an e-mail."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Upload")
        SCAN_FOLDER = "scan_folder", _("Scanner folder")
        EMAIL = "email", _("E-mail attachment")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for text recognition")
        FAILED = "failed", _("Text recognition failed")
        READY = "ready", _("Ready to file")
        FILED = "filed", _("Filed")
        DISCARDED = "discarded", _("Discarded")

    class Suggestion(models.TextChoices):
        NONE = "", _("No suggestion")
        AKTENZEICHEN = "aktenzeichen", _("The letter names the file reference")
        SENDER = "sender", _("The sender is the citizen of this file")
        SUBJECT = "subject", _("The subject line matches the file's title")
        EMAIL = "email", _("The e-mail it came with is in this file")

    class DiscardReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate of an item already filed")
        NOT_OURS = "not_ours", _("Not for this authority (forwarded or returned)")
        ADVERTISING = "advertising", _("Advertising or spam")
        UNREADABLE = "unreadable", _("Unreadable; a new scan was made")
        OTHER = "other", _("Other reason")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The department it is for; None: not yet known (a scan from the authority's own
    # scanner folder), so the records managers sort it, as for a file without one.
    department = models.ForeignKey(
        "authorities.Department", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("department"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("uploaded by"),
    )
    received_at = models.DateTimeField(_("received"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # An e-mail is an item itself; each of its attachments is an item linked to it.
    email = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments",
        verbose_name=_("e-mail"),
    )
    original_filename = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    storage_name = models.CharField(max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.WAITING)
    # Why recognition failed (a code of `recognition.MESSAGES` and its values, shown in
    # the reader's language); or the Debian package it waits for.
    failure_code = models.CharField(_("reason"), max_length=20, blank=True)
    failure_params = models.JSONField(default=dict, blank=True)
    waiting_for_package = models.CharField(_("missing package"), max_length=50, blank=True)
    recognised_text = models.TextField(_("recognised text"), blank=True)
    text_source = models.CharField(_("text source"), max_length=20, blank=True)
    pdfa_storage_name = models.CharField(max_length=255, blank=True)
    pdfa_sha256 = models.CharField(_("SHA-256 of the PDF/A"), max_length=64, blank=True)
    pdfa_size = models.PositiveBigIntegerField(_("size of the PDF/A"), null=True, blank=True)
    recognised_at = models.DateTimeField(_("recognised"), null=True, blank=True)

    detected_sender = models.CharField(_("sender"), max_length=300, blank=True)
    detected_subject = models.CharField(_("subject"), max_length=300, blank=True)
    detected_aktenzeichen = models.CharField(_("file reference found"), max_length=100,
                                             blank=True)
    suggested_case_file = models.ForeignKey(
        "records.CaseFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("suggested file"),
    )
    suggestion = models.CharField(_("why"), max_length=20, choices=Suggestion.choices,
                                  blank=True)

    filed_document = models.ForeignKey(
        "records.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("filed as"),
    )
    # When it was filed or discarded, and by whom.
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("done by"),
    )
    discard_reason = models.CharField(_("reason for discarding"), max_length=20,
                                      choices=DiscardReason.choices, blank=True)
    discard_note = models.CharField(_("explanation"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("incoming item")
        verbose_name_plural = _("incoming items")
        ordering = ["-received_at", "pk"]
        indexes = [models.Index(fields=["authority", "status", "department"])]

    def __str__(self) -> str:
        return self.original_filename

    @property
    def is_email(self) -> bool:
        return self.media_type == "message/rfc822"

    @property
    def is_office(self) -> bool:
        """A Word, Excel, PowerPoint or OpenDocument file: read, not recognised, and
        filed as it came."""
        return self.media_type in OFFICE_TYPES

    @property
    def failure_message(self) -> str:
        from .recognition import failure_message

        return failure_message(self.failure_code, self.failure_params)

    @property
    def is_open(self) -> bool:
        """Still to be dealt with: neither filed nor discarded."""
        return self.status not in (self.Status.FILED, self.Status.DISCARDED)
