from django.core.management.base import BaseCommand, CommandError

from rathaus.authorities.models import Authority
from rathaus.records.integrity import check_integrity


class Command(BaseCommand):
    help = ("Streams every stored document version through its SHA-256 and reports the "
            "missing and changed ones (an integrity run per authority, an audit entry "
            "per mismatch); the worker does this once a night. Fails when one is found.")

    def add_arguments(self, parser):
        parser.add_argument("--authority", metavar="SLUG",
                            help="only this authority (default: every authority)")

    def handle(self, *args, authority=None, **options):
        only = None
        if authority:
            only = Authority.objects.filter(slug=authority).first()
            if only is None:
                raise CommandError(f"No authority with the slug {authority!r}.")
        damaged = 0
        for run in check_integrity(authority=only):
            self.stdout.write(f"{run.authority.slug}: {run.checked} checked, "
                              f"{len(run.mismatches)} mismatches")
            for mismatch in run.mismatches:
                self.stdout.write(f"  {mismatch['problem']}: version {mismatch['version']} "
                                  f"({mismatch['aktenzeichen']})")
            damaged += len(run.mismatches)
        if damaged:
            raise CommandError(f"{damaged} document versions do not match their hash.")
