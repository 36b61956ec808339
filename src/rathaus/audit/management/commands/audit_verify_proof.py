import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.audit.proofs import check_inclusion_document


class Command(BaseCommand):
    help = ("Checks an inclusion proof (the 'Nachweis' a citizen downloads from the access "
            "log) against this instance's signing key: the entry is in the audit log.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
            self.stdout.write(check_inclusion_document(document))
        except (OSError, ValueError, AttributeError) as error:
            raise CommandError(f"{file}: the proof does not hold: {error}") from error
