"""Sealing the key material of a backup with the operator's passphrase.

The passphrase is stretched with scrypt (memory-hard, so guessing costs each attempt
32 MiB and a noticeable fraction of a second) into an AES-256-GCM key. The SHA-256 of the
backup's manifest is the associated data: sealed keys moved into another backup do not
open, and a changed manifest is noticed by the same check that refuses a wrong
passphrase.
"""

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from rathaus.accounts.permissions import unguarded_module

unguarded_module(__name__, "pure functions over bytes the operator's command passes in; "
                           "writes nothing")

FORMAT = "rathaus-sealed-keys/v1"
MIN_PASSPHRASE_LENGTH = 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class WrongPassphrase(Exception):
    """The passphrase does not open the sealed keys (or they, or the manifest, changed)."""


class WeakPassphrase(ValueError):
    pass


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(
            f"The passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters.")


def seal(plaintext: bytes, *, passphrase: str, associated_data: bytes) -> bytes:
    """The sealed form (a small JSON document naming its own parameters)."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _stretch(passphrase, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, associated_data)
    return json.dumps({
        "format": FORMAT, "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
        "salt": _b64(salt), "cipher": "AES-256-GCM", "nonce": _b64(nonce),
        "ciphertext": _b64(ciphertext),
    }, indent=1).encode()


def unseal(sealed: bytes, *, passphrase: str, associated_data: bytes) -> bytes:
    try:
        document = json.loads(sealed)
        if document.get("format") != FORMAT:
            raise ValueError(document.get("format"))
        salt, nonce = base64.b64decode(document["salt"]), base64.b64decode(document["nonce"])
        ciphertext = base64.b64decode(document["ciphertext"])
        n, r, p = int(document["n"]), int(document["r"]), int(document["p"])
    except (ValueError, KeyError, TypeError) as error:
        raise WrongPassphrase(f"The sealed keys are not in a known format ({error}).") from error
    key = _stretch(passphrase, salt=salt, n=n, r=r, p=p)
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, associated_data)
    except InvalidTag as error:
        raise WrongPassphrase(
            "The passphrase does not open the backup's keys (wrong passphrase, or the "
            "backup's manifest or keys were changed).") from error


def _stretch(passphrase: str, *, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
