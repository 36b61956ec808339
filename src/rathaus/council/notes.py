"""A councillor's private notes on papers: one note per account and paper, read and
written by its writer only (`council.may_write_note`), the Sitzungsdienst and the
administrators included in "nobody else".

The text is sealed at rest with AES-256-GCM under a key derived from the instance's
master key for the authority ("council-notes/<authority id>"); the writer's account and
the paper are the associated data, so a sealed note copied to another row (another
writer, another paper) does not open. The database holds no plain text.

No page, list, admin, export or audit entry reads or mentions a note: the reading room
is the only place, and only for its writer. Saving is not written to the audit log on
purpose, since an entry would tell the administration which papers a member works on.
"""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import guarded_by
from rathaus.master_key import derived_key

from .models import Paper, PrivateNote
from .permissions import may_write_note

NONCE_BYTES = 12
MAX_LENGTH = 20_000  # characters; a note, not a second paper


class NoteTooLong(ValueError):
    pass


def _key(paper: Paper) -> bytes:
    return derived_key(f"council-notes/{paper.authority_id}")


def _binding(user, paper: Paper) -> bytes:
    return f"council-note/user={user.pk}/paper={paper.pk}".encode()


def _seal(text: str, *, user, paper: Paper) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(_key(paper)).encrypt(nonce, text.encode(), _binding(user, paper))


def _open(sealed: bytes, *, user, paper: Paper) -> str:
    sealed = bytes(sealed)
    try:
        plain = AESGCM(_key(paper)).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                            _binding(user, paper))
    except InvalidTag:
        # A changed master key or a row moved: the note is lost rather than misread.
        return ""
    return plain.decode()


@guarded_by(may_write_note)
def note_text(*, actor, paper: Paper) -> str:
    """The actor's own note on `paper` ("" if none)."""
    note = PrivateNote.objects.filter(user=actor, paper=paper).first()
    return _open(note.sealed_text, user=actor, paper=paper) if note else ""


@guarded_by(may_write_note)
@transaction.atomic
def save_note(*, actor, paper: Paper, text: str) -> bool:
    """Save the actor's note on `paper`; an empty text removes it. True if the note
    exists afterwards. Saving the same text twice is harmless."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_LENGTH:
        raise NoteTooLong(MAX_LENGTH)
    if not text:
        PrivateNote.objects.filter(user=actor, paper=paper).delete()
        return False
    PrivateNote.objects.update_or_create(
        user=actor, paper=paper,
        defaults={"sealed_text": _seal(text, user=actor, paper=paper),
                  "updated_at": timezone.now()})
    return True
