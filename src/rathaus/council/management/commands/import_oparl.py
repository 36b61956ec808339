"""rathaus import_oparl <url> --authority <slug>: the council information of another
system's OParl endpoint into an authority (council/importing.py). Started again after
an interruption, it resumes; after a complete run, it reads only what changed since."""

from django.core.management.base import BaseCommand, CommandError

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.council.importing import import_from
from rathaus.council.models import ImportRun


class Command(BaseCommand):
    help = "Imports the council information of an OParl 1.0/1.1 endpoint (resumable, incremental)."

    def add_arguments(self, parser):
        parser.add_argument("url", help="the OParl System URL, e.g. https://ris.example/oparl/v1/")
        parser.add_argument("--authority", metavar="SLUG", required=True,
                            help="the authority to import into")
        parser.add_argument("--body", help="the body's OParl id or name (default: the first)")

    def handle(self, *args, **options):
        authority = Authority.objects.filter(slug=options["authority"]).first()
        if authority is None:
            raise CommandError(f"Keine Behörde mit dem Kürzel {options['authority']!r}.")
        with authority_context(authority):
            run = import_from(options["url"], body=options["body"])
        for what, label in (("created", "neu"), ("updated", "geändert"),
                            ("deleted", "gelöscht")):
            for kind, number in sorted(run.counts.get(what, {}).items()):
                self.stdout.write(f"  {kind:<16} {label:<9} {number:>6}")
        for message in run.counts.get("skipped", []):
            self.stdout.write(f"  Übersprungen: {message}")
        if run.state != ImportRun.State.DONE:
            raise CommandError(f"Import abgebrochen: {run.error} (erneut starten setzt fort)")
        self.stdout.write(self.style.SUCCESS(f"Import von {run.endpoint} abgeschlossen."))
