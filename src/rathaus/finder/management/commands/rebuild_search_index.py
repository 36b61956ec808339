from django.core.management.base import BaseCommand

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.finder.services import rebuild_index


class Command(BaseCommand):
    help = ("Makes every authority's search index anew from its published services, "
            "e.g. after service definition files changed.")

    def handle(self, *args, **options):
        for authority in Authority.objects.order_by("slug"):
            with authority_context(authority):
                count = rebuild_index()
            if options["verbosity"]:
                self.stdout.write(f"{authority.slug}: {count} services indexed")
