"""Signed, expiring tokens for the e-mail verification link."""

from django.conf import settings
from django.core import signing

_SALT = "rathaus.accounts.email-verification"


class InvalidToken(Exception):
    pass


def email_verification_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=_SALT, compress=True)


def read_email_verification_token(token: str) -> dict:
    try:
        return signing.loads(token, salt=_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidToken("expired") from exc
    except signing.BadSignature as exc:
        raise InvalidToken("invalid") from exc
