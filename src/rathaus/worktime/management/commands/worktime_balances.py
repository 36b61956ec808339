from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime.housekeeping import compute_range
from rathaus.worktime.models import Employee


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = ("Computes the working time day balances of every employee of every authority: "
            "yesterday (what the worker does each day), one --day, or every day --since "
            "a date until yesterday (catching up after the worker was down, or after a "
            "change of the rules). Idempotent: each day's figures are written again.")

    def add_arguments(self, parser):
        parser.add_argument("--day", type=_day, help="this day only (YYYY-MM-DD)")
        parser.add_argument("--since", type=_day,
                            help="every day from this one until yesterday (YYYY-MM-DD)")
        parser.add_argument("--authority", help="only this authority (its slug)")

    def handle(self, *args, day=None, since=None, authority=None, **options):
        if day and since:
            raise CommandError("Give --day or --since, not both.")
        yesterday = timezone.localdate() - timedelta(days=1)
        first, last = (day, day) if day else (since or yesterday, yesterday)
        if first > timezone.localdate():
            raise CommandError("A day in the future has no figures yet.")
        authorities = Authority.objects.order_by("slug")
        if authority:
            authorities = authorities.filter(slug=authority)
            if not authorities.exists():
                raise CommandError(f"No authority {authority!r}.")
        for found in authorities:
            with authority_context(found):
                if not Employee.objects.exists():
                    continue
                written = compute_range(first, last)
            if options["verbosity"]:
                self.stdout.write(f"{found.slug}: {written} day balances from "
                                  f"{first.isoformat()} to {last.isoformat()}")
