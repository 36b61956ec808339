"""Key rotation for the hand-over; see docs/mailbox-keys.md (the same master key wraps
both) and docs/architecture.md, "Hand-over between authorities"."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rathaus.audit.services import record
from rathaus.authorities.tenancy import authority_context
from rathaus.handover import keys
from rathaus.mailbox import crypto
from rathaus.mailbox.key_commands import REWRAP_HELP, chosen_authorities, old_master_key


class Command(BaseCommand):
    help = (
        "Starts a new key pair for receiving hand-overs for every authority (the old ones "
        "stay, decrypt what was encrypted to them and stay published); or, with "
        "--rewrap-from-master-key, re-wraps the private keys after the master key was "
        "replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", metavar="SLUG", help="only this authority")
        parser.add_argument(
            "--rewrap-from-master-key", metavar="OLD",
            help=REWRAP_HELP,
        )

    def handle(self, *args, **options):
        authorities = chosen_authorities(options["authority"])
        old = options["rewrap_from_master_key"]
        old_master = old_master_key(old) if old is not None else None
        for authority in authorities:
            with authority_context(authority), transaction.atomic():
                if old_master is not None:
                    self._rewrap(authority, old_master)
                else:
                    row = keys.rotate_key()
                    record("handover.key_rotated", target=row, data={"kid": row.kid})
                    self.stdout.write(f"{authority.slug}: hand-over key {row.kid} is active.")

    def _rewrap(self, authority, old_master: bytes):
        try:
            count = keys.rewrap_all(old_master=old_master)
        except crypto.DecryptionFailed as error:
            raise CommandError(
                f"{authority.slug}: a hand-over key opens neither under the current nor "
                "under the given old master key; nothing was changed for this authority."
            ) from error
        record("handover.keys_rewrapped", data={"keys": count})
        self.stdout.write(f"{authority.slug}: re-wrapped {count} hand-over key(s).")
