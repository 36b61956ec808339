from django.core.management.base import BaseCommand
from django.db.models import F

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.records.models import DocumentText, DocumentVersion
from rathaus.records.search_index import reindex_documents
from rathaus.records.tasks import read_text


class Command(BaseCommand):
    help = ("Reads the text of every document whose latest version has none yet (or, with "
            "--again, of every document) and makes the eAkte's search index complete.")

    def add_arguments(self, parser):
        parser.add_argument("--again", action="store_true",
                            help="read every document's text again, e.g. after the "
                                 "extractor learnt a format")

    def handle(self, *args, **options):
        for authority in Authority.objects.order_by("slug"):
            with authority_context(authority):
                read, indexed = self._index(again=options["again"])
            if options["verbosity"]:
                self.stdout.write(f"{authority.slug}: {read} texts read, "
                                  f"{indexed} documents indexed again")

    def _index(self, *, again: bool) -> tuple[int, int]:
        # The latest version of each document: none of its document's is numbered higher.
        latest = DocumentVersion.objects.exclude(document__versions__number__gt=F("number"))
        if not again:
            latest = latest.filter(text__isnull=True)
        read = sum(read_text(version_id=pk, again=again)
                   for pk in latest.values_list("pk", flat=True).iterator())
        # Texts recorded before the search index existed, or whose entry was lost.
        unindexed = DocumentText.objects.filter(is_latest=True, document__search_entry=None)
        indexed = reindex_documents(document_ids=list(
            unindexed.values_list("document_id", flat=True)))
        return read, indexed
