"""The worker's hourly part for confirmations: one reminder per unanswered request,
then expiry. Every authority in turn."""

import datetime

from django.utils import timezone

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.catalog.registry import all_definitions

from .models import Confirmation
from .services import expire, remind

S = Confirmation.Status


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind each party whose request is older than the service's `remind_after_days`,
    once. Returns how many were reminded."""
    now = now or timezone.now()
    sent = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            for service_id, definition in all_definitions().items():
                spec = definition.third_party_confirmation
                if spec is None:
                    continue
                due = Confirmation.objects.filter(
                    service_id=service_id, mode=Confirmation.Mode.LINK, status=S.REQUESTED,
                    reminded_at__isnull=True, expires_at__gt=now,
                    requested_at__lte=now - datetime.timedelta(days=spec.remind_after_days))
                for confirmation_id in due.values_list("pk", flat=True):
                    sent += remind(confirmation_id=confirmation_id, now=now)
    return sent


def expire_confirmations(*, now: datetime.datetime | None = None) -> int:
    """Mark requests and codes past their `valid_days` expired. Returns how many."""
    now = now or timezone.now()
    expired = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            stale = Confirmation.objects.filter(status__in=(S.REQUESTED, S.CONFIRMED),
                                                used_at__isnull=True, expires_at__lte=now)
            for confirmation_id in stale.values_list("pk", flat=True):
                expired += expire(confirmation_id=confirmation_id, now=now)
    return expired
