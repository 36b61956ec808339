import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.audit import triggers
from rathaus.audit.verification import verify_all


def _documents(path: Path) -> list[dict]:
    """A head as `rathaus audit publish_head` prints it, or the whole published file
    (/.well-known/rathaus/audit-tree-head.json) with every authority's head."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: not a readable JSON file ({error})") from error
    heads = content.get("heads", [content]) if isinstance(content, dict) else content
    if not isinstance(heads, list) or not all(isinstance(head, dict) for head in heads):
        raise CommandError(f"{path}: holds no tree heads")
    return heads


class Command(BaseCommand):
    help = ("Verifies every authority's audit log: the hash chain, the signed tree heads "
            "and their consistency, and any tree heads kept outside (--head).")

    def add_arguments(self, parser):
        parser.add_argument("--head", action="append", default=[], type=Path,
                            metavar="FILE", help="a signed tree head kept earlier (repeatable)")

    def handle(self, *args, head, **options):
        documents = [document for path in head for document in _documents(path)]
        total, findings = verify_all(documents)
        findings = [str(finding) for finding in findings]
        if not triggers.installed():
            findings.append("database: the append-only triggers of the audit tables are "
                            "missing (dropped, or lost in a migration): install them again")
        for finding in findings:
            self.stderr.write(finding)
        if findings:
            raise CommandError(f"Audit log damaged: {len(findings)} problem(s) in {total} entries.")
        checked = f", {len(documents)} kept head(s) matched" if documents else ""
        self.stdout.write(f"Audit log intact: {total} entries verified{checked}.")
