"""Account tokens that can no longer open anything: used, or past their expiry. They
hold only a hash, but a table of dead rows helps nobody."""

from django.db.models import Q
from django.utils import timezone

from .models import AccountToken


def delete_spent_tokens() -> int:
    spent = AccountToken.objects.filter(
        Q(used_at__isnull=False) | Q(expires_at__lt=timezone.now()))
    deleted, _by_model = spent.delete()
    return deleted
