"""The disposal of files whose retention has ended (Aussonderung): the processes with
the public archive in xdomea 3.0.0, the files offered in them, the messages exchanged,
and what remains of a disposed file: a tombstone and an append-only deletion record.

A deletion record names what was deleted (references, UUIDs, hashes), when, by whom and
why, never a title, a name or any content: it must be keepable for ever.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.audit.models import AppendOnlyModel
from rathaus.authorities.tenancy import TenantScopedModel


class Evaluation(models.TextChoices):
    """xdomea code list "Aussonderungsart" (urn:xoev-de:xdomea:codeliste:aussonderungsart)."""

    ARCHIVE = "A", _("Archive")
    EVALUATE = "B", _("Evaluate")
    DESTROY = "V", _("Destroy")


class Process(TenantScopedModel):
    """One Aussonderung with the archive, identified by its xdomea ProzessID."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")  # 0501 written
        EVALUATED = "evaluated", _("Evaluated")  # 0502 imported
        HANDED_OVER = "handed_over", _("Handed over")  # 0503 written
        COMPLETED = "completed", _("Completed")  # nothing left to hand over or destroy

    process_id = models.UUIDField(_("process ID"), default=uuid.uuid4, unique=True,
                                  editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.OFFERED)
    archive_name = models.CharField(_("archive"), max_length=200)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("started by"),
    )
    # The archive's receipts and answers, as they arrive.
    offer_received_at = models.DateTimeField(_("offer received (0504)"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated (0502)"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over (0503)"), null=True, blank=True)
    package_received_at = models.DateTimeField(_("package received (0507)"), null=True,
                                               blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("Aussonderung")
        verbose_name_plural = _("Aussonderungen")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return str(self.process_id)


class OfferedFile(TenantScopedModel):
    """A file offered to the archive in a process, with the archive's evaluation."""

    class State(models.TextChoices):
        OFFERED = "offered", _("Offered")
        EVALUATED = "evaluated", _("Evaluated")
        HANDED_OVER = "handed_over", _("Handed over")
        ACKNOWLEDGED = "acknowledged", _("Taken over by the archive")
        DESTROYED = "destroyed", _("Destroyed")

    # A file is in at most one process that has not ended for it.
    RUNNING = (State.OFFERED, State.EVALUATED, State.HANDED_OVER)

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="files",
                                verbose_name=_("Aussonderung"))
    case_file = models.ForeignKey("records.CaseFile", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("case file"))
    # What the file plan proposed when the file was offered.
    proposed = models.CharField(_("proposed"), max_length=1, choices=Evaluation.choices)
    evaluation = models.CharField(_("evaluation by the archive"), max_length=1, blank=True,
                                  choices=Evaluation.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.OFFERED)
    # From the archive's import confirmation (0506).
    archive_reference = models.CharField(_("archive reference"), max_length=200, blank=True)
    import_error = models.TextField(_("import error reported by the archive"), blank=True)

    class Meta:
        verbose_name = _("offered file")
        verbose_name_plural = _("offered files")
        ordering = ["process_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "case_file"],
                                    name="archive_offered_file_once_per_process"),
            models.UniqueConstraint(
                fields=["case_file"], condition=models.Q(
                    state__in=["offered", "evaluated", "handed_over"]),
                name="archive_offered_file_in_one_running_process"),
        ]


class Message(AppendOnlyModel):
    """An xdomea message Rathaus wrote or imported, kept as sent or received: the
    evidence of what the archive was told and what it answered."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("To the archive")
        INCOMING = "in", _("From the archive")

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="messages",
                                verbose_name=_("Aussonderung"))
    code = models.CharField(_("message type"), max_length=4)  # 0501 … 0507
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    xml = models.TextField(_("XML"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", verbose_name=_("created by"),
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("xdomea message")
        verbose_name_plural = _("xdomea messages")
        ordering = ["process_id", "created_at", "pk"]


class DisposedFile(TenantScopedModel):
    """Marks a case file whose contents are gone (handed over or destroyed). The file's
    row stays as a tombstone: its Aktenzeichen stays taken and a case may still point
    to it (docs/decisions/0034)."""

    case_file = models.OneToOneField("records.CaseFile", on_delete=models.PROTECT,
                                     related_name="disposal", verbose_name=_("case file"))
    disposed_at = models.DateTimeField(_("disposed"), auto_now_add=True)
    record = models.OneToOneField("DeletionRecord", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("deletion record"))

    class Meta:
        verbose_name = _("disposed file")
        verbose_name_plural = _("disposed files")


class DeletionRecord(AppendOnlyModel):
    """What was deleted from a file, when, by whom and why, without its content."""

    class Reason(models.TextChoices):
        RETENTION_ENDED = "retention_ended", _("Retention ended; the file plan says destroy")
        EVALUATED_DESTROY = "evaluated_v", _("The archive evaluated it: destroy")
        HANDED_OVER = "handed_over", _("Handed over to the archive and acknowledged")

    aktenzeichen = models.CharField(_("file reference"), max_length=100)
    plan_code = models.CharField(_("file plan code"), max_length=30)
    file_uuid = models.UUIDField(_("file UUID"))
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"))
    retention_until = models.DateField(_("retained until"))
    documents = models.PositiveIntegerField(_("documents"))
    versions = models.PositiveIntegerField(_("versions"))
    notes = models.PositiveIntegerField(_("notes"))
    # [{"document": uuid, "version": uuid, "number": n, "sha256": hex, "size": n}, ...]
    deleted_versions = models.JSONField(_("deleted versions"), default=list)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    process_id = models.UUIDField(_("process ID"), null=True, blank=True)
    archive_reference = models.CharField(_("archive reference"), max_length=200, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), auto_now_add=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", verbose_name=_("deleted by"),
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("deletion record")
        verbose_name_plural = _("deletion records")
        ordering = ["-deleted_at", "-pk"]
