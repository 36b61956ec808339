"""What the key rotation commands share (`rotate_mailbox_keys`, `rotate_handover_keys`):
the authorities a run is for, and the previous master key when keys are re-wrapped."""

import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from rathaus.authorities.models import Authority

from . import crypto

REWRAP_HELP = "the previous master key (base64); '-' reads it from standard input"


def chosen_authorities(slug: str | None):
    """Every authority, or the one named by `slug` (CommandError if there is none)."""
    authorities = Authority.objects.order_by("slug")
    if slug:
        authorities = authorities.filter(slug=slug)
        if not authorities:
            raise CommandError(f"No authority {slug!r}.")
    return authorities


def old_master_key(value: str) -> bytes:
    """The previous master key given on the command line, or on standard input ("-")."""
    if value == "-":
        value = sys.stdin.readline()
    try:
        return crypto.decode_master_key(value)
    except ImproperlyConfigured as error:
        raise CommandError(str(error)) from error
