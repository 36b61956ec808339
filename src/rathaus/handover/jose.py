"""Compact JWE with jwcrypto (docs/decisions/0029): RSA-OAEP-256 wraps a fresh A256GCM
content key per part. Only these two algorithms are accepted when decrypting, whatever
a header says."""

import json

from jwcrypto import jwe, jwk
from jwcrypto.common import JWException, base64url_decode, json_decode

ALG = "RSA-OAEP-256"
ENC = "A256GCM"


class PartRefused(Exception):
    """A part that cannot be opened; `code` is one of Submission.Failure."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


def encrypt(plaintext: bytes, *, key: jwk.JWK, kid: str, media_type: str) -> str:
    protected = {"alg": ALG, "enc": ENC, "kid": kid, "cty": media_type}
    token = jwe.JWE(plaintext, protected=json.dumps(protected))
    token.add_recipient(key)
    return token.serialize(compact=True)


def header_kid(token: str) -> str:
    """The kid of a compact JWE's protected header, read without decrypting."""
    # A compact JWE's header is all in its first, protected part: read directly, which
    # costs a fraction of a parse into a JWE object (the decryption parses it again).
    try:
        parts = token.split(".")
        if len(parts) != 5:
            raise ValueError(f"{len(parts)} parts instead of 5")
        header = json_decode(base64url_decode(parts[0]))
        if not isinstance(header, dict):
            raise ValueError("the protected header is no object")
    except (ValueError, TypeError, AttributeError) as error:
        raise PartRefused("malformed", f"not a compact JWE: {error}") from None
    if header.get("alg") != ALG or header.get("enc") != ENC:
        raise PartRefused("malformed", f"alg/enc must be {ALG}/{ENC}, not "
                                       f"{header.get('alg')}/{header.get('enc')}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise PartRefused("unknown_key", "the JWE names no kid")
    return kid


def decrypt(token: str, *, key: jwk.JWK) -> bytes:
    try:
        parsed = jwe.JWE(algs=[ALG, ENC])
        parsed.deserialize(token, key=key)
    except (JWException, ValueError, TypeError) as error:
        raise PartRefused("undecryptable", f"{type(error).__name__}: {error}") from None
    return parsed.payload
