from django.core.management.base import BaseCommand
from django.utils import timezone

from rathaus.outbound_email import send_email
from rathaus.outbound_email.outbox import MAX_ATTEMPTS, unsent


class Command(BaseCommand):
    help = ("Lists the e-mails not sent yet (Message-ID, when queued, attempts, last "
            "error; no addresses), oldest first. With --send-again, queues each of them "
            "once more, also those the hourly retry gave up on (after the mail server "
            "was fixed): none of them can be sent twice.")

    def add_arguments(self, parser):
        parser.add_argument("--send-again", action="store_true")

    def handle(self, *args, send_again, **options):
        rows = list(unsent().values_list("pk", "message_id", "created_at", "attempts",
                                         "last_error"))
        now = timezone.now()
        for _pk, message_id, created_at, attempts, last_error in rows:
            given_up = " (given up)" if attempts >= MAX_ATTEMPTS else ""
            self.stdout.write(f"{message_id}  queued {created_at:%Y-%m-%d %H:%M} UTC "
                              f"({(now - created_at).total_seconds() / 60:.0f} min ago), "
                              f"{attempts} attempt(s){given_up}  {last_error}")
        self.stdout.write(f"unsent: {len(rows)}")
        if send_again:
            for pk, *_rest in rows:
                send_email.enqueue(email_id=pk)
            self.stdout.write(f"queued again: {len(rows)}")
