import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class Draft(TenantScopedModel):
    """An application being filled in. Kept on the server, so it can be resumed from
    any device through "Mein Konto"; the id in the URL is not guessable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="drafts")
    service_id = models.CharField(max_length=100)
    service_version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict, blank=True)
    # The furthest step reached; later steps cannot be opened before earlier ones.
    reached_step = models.PositiveSmallIntegerField(default=0)
    # Fields whose answers came from the online ID card: shown, never changed.
    locked_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["user", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.service_id} ({self.user_id})"


class DraftUpload(TenantScopedModel):
    """A file uploaded in a draft; it moves into the eAkte when the draft is sent."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="uploads")
    field_id = models.CharField(max_length=100)
    filename = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=300)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        constraints = [
            models.UniqueConstraint(fields=["draft", "field_id"], name="one_upload_per_field")
        ]

    def __str__(self) -> str:
        return self.filename
