from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutgoingEmail(models.Model):
    """One e-mail in the outbox. While it waits it holds what is needed to send it;
    once sent only its Message-ID and times remain (address, subject and body are
    blanked in the transaction that marks it sent: data minimisation, and the damage
    report promises not to keep the reporter's address)."""

    # RFC 5322 Message-ID, made when queued and sent unchanged on every attempt, so a
    # receiving system can tell a second copy from a new message.
    message_id = models.CharField(max_length=255, unique=True)
    to = models.CharField(max_length=254, blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Attempts that ended (sent or failed); a worker killed mid-send leaves no count.
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)  # class and SMTP reply

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True),
                         name="outgoing_email_unsent"),
            models.Index(fields=["created_at"], name="outgoing_email_created"),
        ]

    def __str__(self):
        return self.message_id
