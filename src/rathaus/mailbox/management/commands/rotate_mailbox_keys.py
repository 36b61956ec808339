"""Key rotation for the mailbox; see docs/mailbox-keys.md."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rathaus.audit.services import record
from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox import crypto, keys
from rathaus.mailbox.key_commands import REWRAP_HELP, chosen_authorities, old_master_key


class Command(BaseCommand):
    help = (
        "Starts a new data key version for every authority (new messages use it, older "
        "ones keep opening), optionally a new receipt signing key; or, with "
        "--rewrap-from-master-key, re-wraps all keys after the master key was replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", metavar="SLUG", help="only this authority")
        parser.add_argument(
            "--signing-key", action="store_true",
            help="also start a new receipt signing key (the old public key stays published)",
        )
        parser.add_argument(
            "--rewrap-from-master-key", metavar="OLD",
            help=REWRAP_HELP,
        )

    def handle(self, *args, **options):
        authorities = chosen_authorities(options["authority"])
        old = options["rewrap_from_master_key"]
        for authority in authorities:
            with authority_context(authority), transaction.atomic():
                if old is not None:
                    self._rewrap(authority, old_master_key(old))
                else:
                    self._rotate(authority, signing_key=options["signing_key"])

    def _rotate(self, authority, *, signing_key: bool):
        data_key = keys.rotate_data_key()
        record("mailbox.data_key_rotated", target=data_key, data={"version": data_key.version})
        self.stdout.write(f"{authority.slug}: data key version {data_key.version} is active.")
        if signing_key:
            signing = keys.rotate_signing_key()
            record("mailbox.signing_key_rotated", target=signing, data={"kid": signing.kid})
            self.stdout.write(f"{authority.slug}: signing key {signing.kid} is active.")

    def _rewrap(self, authority, old_master: bytes):
        try:
            counts = keys.rewrap_all(old_master=old_master)
        except crypto.DecryptionFailed as error:
            raise CommandError(
                f"{authority.slug}: a key opens neither under the current nor under the "
                "given old master key; nothing was changed for this authority."
            ) from error
        record("mailbox.keys_rewrapped", data=counts)
        self.stdout.write(
            f"{authority.slug}: re-wrapped {counts['data_keys']} data key(s) and "
            f"{counts['signing_keys']} signing key(s)."
        )
