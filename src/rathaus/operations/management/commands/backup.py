from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.operations import backup, database_copy, passphrases, sealing


class Command(BaseCommand):
    help = ("Writes a backup into one .tar file: the database (pg_dump, or SQLite's online "
            "backup), every stored document, the open data files, and the key material "
            "(master key, SECRET_KEY, SAML key) sealed with a passphrase. OUTPUT is a "
            "directory (the file is named by the time) or a file name ending in .tar.")

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, metavar="OUTPUT")
        parser.add_argument("--passphrase-file", metavar="PATH",
                            help="the passphrase is the file's first line (otherwise "
                                 "RATHAUS_BACKUP_PASSPHRASE, otherwise a prompt)")

    def handle(self, *args, output, passphrase_file=None, **options):
        try:
            secret = passphrases.passphrase(passphrase_file, confirm=True)
            sealing.check_passphrase(secret)
            summary = backup.write_backup(output, passphrase=secret)
        except (passphrases.NoPassphrase, sealing.WeakPassphrase, backup.BackupError,
                database_copy.DatabaseCopyError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(backup.describe(summary))
