from django.core.management.base import BaseCommand

from rathaus.intake.scan_folder import read_all_scan_folders


class Command(BaseCommand):
    help = ("Reads the scanner folder (RATHAUS_SCAN_INBOX_DIR, one folder per authority "
            "slug, in it one per department slug): each file becomes an item of the "
            "incoming mail and is then moved to its 'verarbeitet' folder. The worker "
            "does the same every minute; a folder it is reading right now is left to it.")

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=float, default=10.0,
                            help="skip files younger than this many seconds (a scanner "
                                 "may still be writing them)")

    def handle(self, *args, min_age, **options):
        taken = read_all_scan_folders(min_age_seconds=min_age)
        self.stdout.write(f"{taken} scanned file(s) taken into the incoming mail.")
