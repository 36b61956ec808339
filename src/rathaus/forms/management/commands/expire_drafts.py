from django.core.management.base import BaseCommand

from rathaus.forms.housekeeping import expire_drafts


class Command(BaseCommand):
    help = "Deletes unsent drafts untouched for RATHAUS_DRAFT_DAYS days, with their uploads."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_drafts()} draft(s) expired.")
