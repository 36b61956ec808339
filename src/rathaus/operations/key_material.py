"""The secrets a backup must carry to be of use: the master key (it wraps every mailbox
data key, receipt signing key and hand-over key in the database: without it the
restored mailboxes are unreadable), SECRET_KEY (sessions, password reset links), and the
key files kept outside the database (the SAML service provider's key and certificate,
which the identity provider knows)."""

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from rathaus.accounts.permissions import unguarded_module
from rathaus.master_key import decode_master_key

unguarded_module(__name__, "the operator's backup and restore commands: no person acts")


@dataclass
class KeyMaterial:
    master_key: str  # base64, as RATHAUS_MASTER_KEY holds it
    secret_key: str
    saml_files: dict[str, bytes] = field(default_factory=dict)  # file name → content

    def to_bytes(self) -> bytes:
        return json.dumps({
            "master_key": self.master_key, "secret_key": self.secret_key,
            "saml_files": {name: base64.b64encode(content).decode()
                           for name, content in sorted(self.saml_files.items())},
        }).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> "KeyMaterial":
        document = json.loads(data)
        decode_master_key(document["master_key"])  # refuses anything but 32 bytes
        return cls(master_key=document["master_key"], secret_key=document["secret_key"],
                   saml_files={name: base64.b64decode(content)
                               for name, content in document["saml_files"].items()})

    def names(self) -> list[str]:
        return ["RATHAUS_MASTER_KEY", "SECRET_KEY",
                *(f"{saml_dir()}/{name}" for name in sorted(self.saml_files))]


def saml_dir() -> Path:
    return Path(settings.RATHAUS_SAML_DIR)


def current() -> KeyMaterial:
    directory = saml_dir()
    files = {}
    if directory.is_dir():
        files = {path.name: path.read_bytes() for path in sorted(directory.iterdir())
                 if path.is_file() and not path.name.startswith(".")}
    return KeyMaterial(master_key=settings.RATHAUS_MASTER_KEY.strip(),
                       secret_key=settings.SECRET_KEY, saml_files=files)


def saml_conflicts(material: KeyMaterial) -> list[str]:
    """SAML files already present with other content: a restore would replace the key
    an identity provider may know, so it stops instead."""
    directory = saml_dir()
    return [str(directory / name) for name, content in material.saml_files.items()
            if (directory / name).exists() and (directory / name).read_bytes() != content]


def write_saml_files(material: KeyMaterial) -> list[Path]:
    directory = saml_dir()
    written = []
    for name, content in material.saml_files.items():
        path = directory / name
        if path.exists():
            continue  # the same content (saml_conflicts was asked first)
        directory.mkdir(parents=True, exist_ok=True)
        _write_private(path, content)
        written.append(path)
    return written


def write_development_keys(material: KeyMaterial) -> list[Path]:
    """Into var/master_key and var/secret_key, where development mode reads them (and
    where it wrote fresh ones at this process's start: an empty database has nothing
    those protect, so they are replaced)."""
    var = Path(settings.VAR_DIR)
    var.mkdir(parents=True, exist_ok=True)
    written = []
    for name, value in (("master_key", material.master_key),
                        ("secret_key", material.secret_key)):
        _write_private(var / name, value.encode())
        written.append(var / name)
    return written


def write_environment_file(material: KeyMaterial, path: Path) -> Path:
    """An environment file (KEY=value lines) for the operator to move into the secret
    store; mode 600 from the start."""
    _write_private(path, (f"RATHAUS_MASTER_KEY={material.master_key}\n"
                          f"SECRET_KEY={_quoted(material.secret_key)}\n").encode(),
                   exclusive=True)
    return path


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"


def _write_private(path: Path, content: bytes, *, exclusive: bool = False) -> None:
    incoming = path.with_name(f".{path.name}.incoming")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    handle = os.open(incoming, flags, 0o600)
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(incoming, 0o600)
    if exclusive:
        os.link(incoming, path)  # FileExistsError rather than replacing a file
        os.unlink(incoming)
    else:
        os.replace(incoming, path)
