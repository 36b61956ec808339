import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class Confirmation(TenantScopedModel):
    """One request to a party (by link) or one code a party issued, for one service.

    Only the SHA-256 of the link's token or the keyed hash of the code is kept, so the
    database alone opens no party's page. `used_at` is set when the secret is spent:
    the link when confirmed or declined, the code when an application takes it."""

    class Mode(models.TextChoices):
        LINK = "link", _("Link by e-mail")
        CODE = "code", _("Confirmation code")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service_id = models.CharField(max_length=100)
    # Empty for a code until an application takes it.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="confirmations")
    task = models.ForeignKey("cases.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    party_name = models.CharField(_("name"), max_length=200)
    party_email = models.EmailField(_("e-mail address"), blank=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.REQUESTED)
    # What the party filled in: their own details when confirming a link, the whole
    # confirmation when issuing a code.
    party_answers = models.JSONField(default=dict)
    decline_reason = models.TextField(blank=True)
    requested_at = models.DateTimeField(_("requested"))
    expires_at = models.DateTimeField(_("valid until"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("third-party confirmation")
        verbose_name_plural = _("third-party confirmations")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.service_id} {self.mode} {self.status}"
