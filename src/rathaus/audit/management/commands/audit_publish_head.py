import json

from django.core.management.base import BaseCommand

from rathaus.audit.tree_heads import published_heads, sign_all_heads


class Command(BaseCommand):
    help = ("Signs a new tree head for every authority whose audit log grew, and prints "
            "the heads as published at /.well-known/rathaus/audit-tree-head.json. Keep the "
            "output: `rathaus audit verify --head FILE` shows any later rewrite.")

    def handle(self, *args, **options):
        signed = sign_all_heads()
        self.stderr.write(f"{signed} new tree head(s) signed.")
        self.stdout.write(json.dumps({"heads": published_heads()}, indent=2))
