"""A citizen's request for a copy of their personal data (Art. 15 DSGVO) and what
became of it. The copy itself is not kept here: it lies, encrypted, in the citizen's
mailbox as the message the request names."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class CopyRequest(TenantScopedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Being prepared")
        PRODUCED = "produced", _("Delivered to your mailbox")
        FAILED = "failed", _("Delayed; we are working on it")

    # Random ids: nothing to count or guess.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("citizen"))
    requested_at = models.DateTimeField(_("requested"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.REQUESTED)
    delivered_message = models.OneToOneField(
        "mailbox.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("message with the copy"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The exception's class name of the last failed attempt, for staff; the traceback
    # stays in the server log, and nothing of the citizen's data is written here.
    failure = models.CharField(max_length=200, blank=True)
    # What the copy held: counts and the ZIP's SHA-256, never names or contents.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("copy of personal data")
        verbose_name_plural = _("copies of personal data")
        ordering = ["-requested_at"]
        constraints = [
            # A double submit, or two browser tabs, cannot start two copies at once.
            models.UniqueConstraint(
                fields=["authority", "citizen"], condition=models.Q(status="requested"),
                name="one_running_copy_request"),
        ]

    def __str__(self) -> str:
        return str(self.id)
