"""Opaque single-use tokens for links sent by e-mail (AccountToken).

The link carries only `secrets.token_urlsafe(32)`; the database keeps its SHA-256 hash
with the account, the purpose and the expiry.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from .models import AccountToken


class InvalidToken(Exception):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user, *, purpose: str, max_age: int) -> str:
    """A new token for `user`, valid for `max_age` seconds; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    AccountToken.objects.create(
        user=user, purpose=purpose, token_hash=_hash(token), created_at=now,
        expires_at=now + datetime.timedelta(seconds=max_age),
    )
    return token


def redeem_token(token: str, *, purpose: str):
    """The account `token` was issued for; the token is spent. Call in a transaction.
    Raises InvalidToken for an unknown, used or expired token."""
    stored = (
        AccountToken.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=_hash(token), purpose=purpose)
        .first()
    )
    if stored is None or stored.used_at is not None:
        raise InvalidToken("unknown or used")
    now = timezone.now()
    if stored.expires_at <= now:
        raise InvalidToken("expired")
    stored.used_at = now
    stored.save(update_fields=["used_at"])
    return stored.user


def token_holder(token: str, *, purpose: str):
    """The account a valid `token` was issued for, without spending it (a page that
    shows a form first), or None."""
    stored = (AccountToken.objects.select_related("user")
              .filter(token_hash=_hash(token), purpose=purpose, used_at__isnull=True,
                      expires_at__gt=timezone.now()).first())
    return stored.user if stored else None


def email_verification_token(user) -> str:
    return issue_token(user, purpose=AccountToken.Purpose.EMAIL_VERIFICATION,
                       max_age=settings.EMAIL_VERIFICATION_MAX_AGE)


def redeem_email_verification_token(token: str):
    return redeem_token(token, purpose=AccountToken.Purpose.EMAIL_VERIFICATION)
