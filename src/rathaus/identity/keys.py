"""Key pairs for signing SAML messages: generated once into RATHAUS_SAML_DIR (under
RATHAUS_VAR_DIR), never in git, and read from there on every start."""

import datetime
import functools
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from saml2 import sigver


def key_dir() -> Path:
    return Path(settings.RATHAUS_SAML_DIR)


def key_pair(name: str, common_name: str) -> tuple[Path, Path]:
    """(private key file, certificate file) of `name`, generated when missing: RSA 3072,
    a self-signed certificate valid for ten years (SAML metadata carries the certificate
    itself, so no certificate authority is involved)."""
    directory = key_dir()
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    if key_file.exists() and cert_file.exists():
        return key_file, cert_file
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    key_file.chmod(0o600)
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


@functools.lru_cache(maxsize=16)
def _private_key(path: str, mtime_ns: int):
    return serialization.load_pem_private_key(Path(path).read_bytes(), None)


def cached_key_from_file(filename: str):
    """pysaml2 reads and checks the private key file for every client it builds (0.2 s
    for an RSA 3072 key, several times per login); the parsed key is kept per file and
    version instead. Key objects are immutable, so sharing them is safe."""
    return _private_key(str(filename), os.stat(filename).st_mtime_ns)


sigver.import_rsa_key_from_file = cached_key_from_file
