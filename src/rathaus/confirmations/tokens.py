"""The secrets a party holds: the link's token and the code. Neither is stored, only a
hash of it."""

import hashlib
import hmac
import re
import secrets as random

from django.conf import settings

# Crockford's base 32: no I, L, O or U, so that a code read aloud or typed from paper
# cannot be mistaken; 8 characters are 40 bits, enough with the rate limits and the
# codes' short life.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# What people type for the letters that the alphabet leaves out.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_token() -> str:
    return random.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code(prefix: str) -> str:
    """"WGB-7K3M-Q9TX" (without a prefix "7K3M-Q9TX")."""
    body = "".join(random.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(filter(None, (prefix, body[:4], body[4:])))


def normalise_code(text: str, prefix: str = "") -> str:
    """The code's 8 characters whatever the case, spaces and dashes; "" if it cannot be
    one."""
    plain = re.sub(r"[\s\-–]", "", text or "").upper()
    if prefix and plain.startswith(prefix) and len(plain) == len(prefix) + CODE_LENGTH:
        plain = plain[len(prefix):]
    plain = plain.translate(_READ_AS)
    if len(plain) != CODE_LENGTH or any(c not in ALPHABET for c in plain):
        return ""
    return plain


def code_display(plain: str, prefix: str = "") -> str:
    return "-".join(filter(None, (prefix, plain[:4], plain[4:])))


def code_hash(plain: str) -> str:
    """Keyed, because 40 bits could be tried out against a stolen table in an afternoon;
    with the key they cannot. A code outlives no key rotation worth planning for: it is
    valid for two weeks."""
    return hmac.new(settings.SECRET_KEY.encode(), f"code:{plain}".encode(),
                    hashlib.sha256).hexdigest()
