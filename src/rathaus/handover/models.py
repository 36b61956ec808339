"""Keys for receiving, hand-overs sent and received, and the status events that come
back to the sender.

A received hand-over keeps its JWE parts exactly as they arrived, never their
plaintext: what it became is the registered receiver's business (a case, a register
entry), and the stored parts are what an independent check decrypts again.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class HandoverKey(TenantScopedModel):
    """An authority's RSA key pair for receiving hand-overs. The private half is wrapped
    by the master key (as the mailbox's keys are); a rotated key stays, inactive, so
    that hand-overs encrypted to it before the rotation still open."""

    # RFC 7638 thumbprint of the public JWK: unique across authorities and instances.
    kid = models.CharField(max_length=64, unique=True)
    public_jwk = models.JSONField()
    wrapped_private_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("hand-over key")
        verbose_name_plural = _("hand-over keys")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority"], condition=models.Q(is_active=True),
                name="one_active_handover_key",
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class Submission(TenantScopedModel):
    """One hand-over as one authority sees it: the sender's record of what it sent
    (outgoing: metadata only, never the content), or the destination's of what arrived
    (incoming: metadata and the JWE parts)."""

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Sent")
        INCOMING = "incoming", _("Received")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be opened")
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Received")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        MALFORMED = "malformed", _("The metadata document or a part is malformed.")
        WRONG_DESTINATION = "wrong_destination", _("The hand-over is meant for another "
                                                   "authority.")
        UNKNOWN_KEY = "unknown_key", _("A part is encrypted to a key this authority does "
                                       "not have.")
        UNDECRYPTABLE = "undecryptable", _("A part does not decrypt: it was changed on the "
                                           "way or encrypted to another key.")
        HASH_MISMATCH = "hash_mismatch", _("A part's content does not match the hash in "
                                           "the metadata.")
        REPLAY = "replay", _("A hand-over with this submission id was received before.")
        UNKNOWN_SERVICE = "unknown_service", _("This authority receives no hand-overs for "
                                               "the service.")
        REFUSED = "refused", _("The receiving service refused the content.")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    # The sender's id from the metadata: the same on both sides, not unique on the
    # receiving side, where a replay is stored (and refused) like anything else.
    submission_id = models.UUIDField()
    service_id = models.CharField(max_length=100)
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    # The other side: the destination of an outgoing, the sender of an incoming one.
    counterpart_slug = models.CharField(max_length=50)
    counterpart_name = models.CharField(max_length=200, blank=True)
    metadata = models.JSONField()
    data_jwe = models.TextField(blank=True)
    attachment_jwes = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    failure = models.CharField(max_length=20, choices=Failure.choices, blank=True)
    failure_detail = models.TextField(blank=True)
    # What the receiver made of it (e.g. an Aktenzeichen), for staff looking for it.
    result_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["authority", "direction", "state"])]
        constraints = [
            # One received hand-over per submission id and destination: two workers
            # opening a replay at the same moment cannot both hand it on.
            models.UniqueConstraint(
                fields=["authority", "submission_id"],
                condition=models.Q(direction="incoming", state="received"),
                name="one_received_handover_per_submission",
            ),
            models.UniqueConstraint(
                fields=["authority", "submission_id"],
                condition=models.Q(direction="outgoing"),
                name="one_sent_handover_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.submission_id}"


class StatusEvent(TenantScopedModel):
    """A status of a hand-over, as the sender received it from the destination
    (encrypted to the sender's key on the way, like the hand-over itself)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT,
                                   related_name="status_events")
    jwe = models.TextField()
    # Filled when the sender has opened the event; empty while it waits.
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(blank=True)
    # What the destination made of the hand-over (its Aktenzeichen) and where the
    # citizen follows it there, when the event says so (the first one does).
    reference = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    # Why the event could not be believed (it stays unopened; its task failed for staff).
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = _("hand-over status event")
        verbose_name_plural = _("hand-over status events")
        ordering = ["created_at"]
        indexes = [
            # The events waiting to be opened, which every `receive_status` looks for.
            models.Index(fields=["authority", "created_at"], name="status_event_waiting",
                         condition=models.Q(opened_at__isnull=True, failure="")),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.status or 'unopened'}"
