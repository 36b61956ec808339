from django.core.management.base import BaseCommand, CommandError

from rathaus.audit.verification import verify_all


class Command(BaseCommand):
    help = "Verifies the hash chain of every authority's audit log."

    def handle(self, *args, **options):
        total, findings = verify_all()
        for finding in findings:
            self.stderr.write(str(finding))
        if findings:
            raise CommandError(f"Audit log damaged: {len(findings)} problem(s) in {total} entries.")
        self.stdout.write(f"Audit log intact: {total} entries verified.")
