"""The active authority's RSA key pairs for receiving hand-overs.

The envelope scheme is the mailbox's (docs/mailbox-keys.md): the private key (PKCS#8)
is wrapped with AES-256-GCM under the master key, bound by associated data to its kid,
so a wrapped key copied to another row does not open. A key is created on first use;
rotating keeps the old ones for what was encrypted to them.
"""

import functools

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from jwcrypto import jwk

from rathaus.mailbox import crypto

from .models import HandoverKey

# 3072 bits: 128-bit security, the BSI's recommendation (TR-02102-1) beyond 2023.
KEY_BITS = 3072
ALGORITHM = "RSA-OAEP-256"
PUBLIC_MEMBERS = ("kty", "n", "e")


def _aad(kid: str) -> bytes:
    return f"rathaus/handover/v1|private-key|kid={kid}".encode()


def generate_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def active_key() -> HandoverKey:
    """The key new hand-overs to the active authority are encrypted to."""
    row = HandoverKey.objects.filter(is_active=True).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return _new_key()
    except IntegrityError:  # a concurrent process created the first one just now
        return HandoverKey.objects.get(is_active=True)


def rotate_key() -> HandoverKey:
    """A new active key; the old ones stay for decrypting and stay published."""
    with transaction.atomic():
        HandoverKey.objects.filter(is_active=True).update(is_active=False)
        return _new_key()


def _new_key() -> HandoverKey:
    private = generate_private_key()
    public = jwk.JWK.from_pyca(private.public_key())
    kid = public.thumbprint()
    public_jwk = {name: public[name] for name in PUBLIC_MEMBERS}
    public_jwk.update(kid=kid, use="enc", alg=ALGORITHM)
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    wrapped = crypto.wrap_key(key=der, master=crypto.current_master_key(), aad=_aad(kid))
    return HandoverKey.objects.create(kid=kid, public_jwk=public_jwk,
                                      wrapped_private_key=wrapped)


def public_key(row: HandoverKey) -> jwk.JWK:
    return jwk.JWK(**row.public_jwk)


def private_key(kid: str) -> jwk.JWK | None:
    """The active authority's private key with this kid (as a JWK, for decrypting);
    None if it has none such. The caller must not change the key it gets: it may be
    shared with the next call in this process."""
    row = HandoverKey.objects.filter(kid=kid).first()
    if row is None:
        return None
    return _opened(row.kid, bytes(row.wrapped_private_key), crypto.current_master_key())


# A worker opens hand-over after hand-over with the same key: unwrapping it and making
# the RSA key usable each time cost more than the decryption itself. Kept per process,
# for exactly the wrapped bytes and master key it was opened from: the row is still
# read for every call (a key of another authority, or one deleted, is not found), and a
# key re-wrapped or a master key changed is opened (and checked) afresh.
@functools.lru_cache(maxsize=32)
def _opened(kid: str, wrapped: bytes, master: bytes) -> jwk.JWK:
    der = crypto.unwrap_key(wrapped=wrapped, master=master, aad=_aad(kid))
    # The checks of a loaded RSA key's consistency cost about 130 ms for 3072 bits, per
    # load; this key was made here and its wrapping (AES-GCM) proves it unchanged.
    private = serialization.load_der_private_key(der, password=None,
                                                 unsafe_skip_rsa_key_validation=True)
    key = jwk.JWK()
    # jwcrypto makes its own RSA key from the JWK's numbers, and would check it again.
    key.unsafe_skip_rsa_key_validation = True
    key.import_from_pyca(private)
    key.update(kid=kid, use="enc", alg=ALGORITHM)
    return key


def published_key_set() -> dict:
    """The active authority's public keys as a JWK set, retired ones included (a sender
    may still hold one for a while), the active one first; created if it has none."""
    active = active_key()
    rows = [active, *HandoverKey.objects.exclude(pk=active.pk).order_by("-created_at")]
    return {"keys": [dict(row.public_jwk) for row in rows]}


def rewrap_all(*, old_master: bytes) -> int:
    """Re-wrap the active authority's private keys from `old_master` to the current
    master key; keys already under the current one are left alone, so running it again
    after an interruption is safe. Raises DecryptionFailed for a wrong old key."""
    new_master = crypto.current_master_key()
    count = 0
    for row in HandoverKey.objects.select_for_update():
        try:
            crypto.unwrap_key(wrapped=row.wrapped_private_key, master=new_master,
                              aad=_aad(row.kid))
            continue
        except crypto.DecryptionFailed:
            der = crypto.unwrap_key(wrapped=row.wrapped_private_key, master=old_master,
                                    aad=_aad(row.kid))
        row.wrapped_private_key = crypto.wrap_key(key=der, master=new_master,
                                                  aad=_aad(row.kid))
        row.save(update_fields=["wrapped_private_key"])
        count += 1
    return count
