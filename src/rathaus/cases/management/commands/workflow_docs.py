from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.cases.workflow_docs import DEFAULT_PATH, rewritten


class Command(BaseCommand):
    help = "Rewrite the generated workflow tables in docs/workflow.md (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH)
        parser.add_argument("--check", action="store_true",
                            help="fail if the page differs from the tables in code")

    def handle(self, *args, path: Path, check: bool, **options):
        page = path.read_text(encoding="utf-8")
        try:
            wanted = rewritten(page)
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from None
        if check:
            if wanted != page:
                raise CommandError(f"{path} is out of date: run `rathaus workflow_docs`.")
            return
        if wanted != page:
            path.write_text(wanted, encoding="utf-8")
            self.stdout.write(f"{path} rewritten.")
