from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.operations import passphrases, restore


class Command(BaseCommand):
    help = ("Restores a backup of `rathaus backup` into an EMPTY installation (no tables in "
            "the database, nothing in the storage), after checking every part's SHA-256 and "
            "the passphrase; then checks the audit log, every document's hash and that every "
            "mailbox message decrypts. Fails when a check fails.")

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, metavar="INPUT")
        parser.add_argument("--passphrase-file", metavar="PATH",
                            help="the passphrase is the file's first line (otherwise "
                                 "RATHAUS_BACKUP_PASSPHRASE, otherwise a prompt)")
        parser.add_argument("--keys-to", type=Path, metavar="PATH",
                            help="write the master key and SECRET_KEY into this new file "
                                 "(mode 600) for the secret store, not into the data "
                                 "directory (the default in production mode)")

    def handle(self, *args, input, passphrase_file=None, keys_to=None, **options):
        try:
            secret = passphrases.passphrase(passphrase_file, confirm=False)
            result = restore.restore_backup(input, passphrase=secret, keys_to=keys_to,
                                            report=self.stdout.write)
        except (passphrases.NoPassphrase, restore.RestoreRefused) as error:
            raise CommandError(str(error)) from error
        for line in restore.describe(result):
            self.stdout.write(line)
        if not result.passed:
            raise CommandError("The restore is complete, but a check failed (above).")
        self.stdout.write("Restore complete; every check passed.")
