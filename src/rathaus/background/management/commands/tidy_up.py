from django.core.management.base import BaseCommand

from rathaus.background.housekeeping import tidy_up


class Command(BaseCommand):
    help = ("Deletes expired unsent drafts, discards expired unconfirmed open data "
            "uploads, deletes stored files no row points to, open data store files "
            "included (older than a day), and queues a refresh of the automatic open "
            "data; the worker does this every hour.")

    def handle(self, *args, **options):
        for what, count in tidy_up().items():
            self.stdout.write(f"{what}: {count}")
