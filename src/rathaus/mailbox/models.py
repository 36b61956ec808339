"""The secure mailbox: keys, messages, attachments and signed receipts.

Subjects, bodies and attachment contents are stored only encrypted (see crypto.py and
keys.py). What stays readable is what staff and operations need without opening a
message: recipient, reference number (Aktenzeichen), attachment types and sizes,
times, and the content hash that the receipts sign.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class DataKey(TenantScopedModel):
    """An authority's AES-256 key for message content, wrapped by the master key.

    Rotation adds a version and deactivates the previous one, which keeps opening the
    messages sealed with it.
    """

    version = models.PositiveIntegerField()
    wrapped_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        constraints = [
            models.UniqueConstraint(fields=["authority", "version"], name="data_key_version"),
            models.UniqueConstraint(
                fields=["authority"], condition=models.Q(is_active=True),
                name="one_active_data_key",
            ),
        ]

    def __str__(self) -> str:
        return f"data key {self.authority_id}/{self.version}"


class SigningKey(TenantScopedModel):
    """An authority's Ed25519 key for receipts. The private half is encrypted under the
    master key; the public half is published and kept after rotation so that old
    receipts stay verifiable."""

    # RFC 7638 thumbprint of the public JWK: unique across authorities and instances.
    kid = models.CharField(max_length=64, unique=True)
    public_key = models.BinaryField()
    wrapped_private_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority"], condition=models.Q(is_active=True),
                name="one_active_signing_key",
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class Message(TenantScopedModel):
    """A message from an authority into a citizen's mailbox, e.g. a notice."""

    # Random ids in URLs: nothing to count or guess (access is checked anyway).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # PROTECT: a delivered notice with its receipts must not vanish silently with an
    # account; deleting an account has to decide what happens to its mail.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Plaintext on purpose: staff search by it and it says nothing about the person.
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    key_version = models.PositiveIntegerField()
    subject_nonce = models.BinaryField()
    subject_ciphertext = models.BinaryField()
    body_nonce = models.BinaryField()
    body_ciphertext = models.BinaryField()
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    first_retrieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["authority", "recipient", "-created_at"])]

    def __str__(self) -> str:
        return str(self.id)


class Attachment(TenantScopedModel):
    """A file of a message. Its ciphertext lives in the default file storage."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    # Encrypted like the content: a name such as "Hundesteuerbescheid.pdf" tells about
    # the person too.
    filename_nonce = models.BinaryField()
    filename_ciphertext = models.BinaryField()
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=300)
    key_version = models.PositiveIntegerField()
    nonce = models.BinaryField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["message", "position"], name="attachment_position")
        ]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class Receipt(TenantScopedModel):
    """A signed confirmation of one delivery event (De-Mail's three confirmations)."""

    class Event(models.TextChoices):
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered into the mailbox")
        RETRIEVED = "retrieved", _("Retrieved")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    event = models.CharField(max_length=10, choices=Event.choices)
    # The exact bytes that were signed (canonical JSON), so the receipt is served
    # unchanged however JSON libraries evolve.
    signed_bytes = models.BinaryField()
    signature = models.BinaryField()
    kid = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "event"], name="one_receipt_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"
