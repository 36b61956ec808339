"""`rathaus fim_to_definition FILE --id ID --department SLUG`: a FIM data schema
(XDatenfelder 2.0 or 3.0) as a draft service definition in YAML, for staff to refine
(catalog.fim). The notes on what to check come first, as comments."""

import copy
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rathaus.catalog.definitions import InvalidDefinition, definition_from_data
from rathaus.catalog.fim import MAX_BYTES, FimError, definition_from_fim, draft_yaml


class Command(BaseCommand):
    help = ("Converts a FIM data schema (XDatenfelder 2.0 or 3.0 Stammdatenschema) into a draft "
            "service definition (YAML) with notes on what to check by hand.")
    # A converter of files: no database needed.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the XDatenfelder file (.xml)")
        parser.add_argument("--id", required=True, dest="service_id",
                            help="the service's identifier (also the file name in services/)")
        parser.add_argument("--department", required=True,
                            help="slug of the department that decides")
        parser.add_argument("--login-level", default="basisregistrierung",
                            choices=["basisregistrierung", "substanziell", "hoch"])
        parser.add_argument("--retention-years", type=int,
                            help="how long the files are kept (default: a placeholder)")
        parser.add_argument("--file-plan", metavar="CODE",
                            help="file plan code, e.g. 32.10.01 (default: a placeholder)")
        parser.add_argument("--file-plan-title", metavar="TEXT",
                            help="title of the file plan entry (default: the service's title)")
        parser.add_argument("--codelist", action="append", type=Path, default=[],
                            metavar="FILE", help="a genericode code list (may be repeated); "
                            "files named *_genericode.xml beside FILE are read anyway")
        parser.add_argument("--require-codelists", action="store_true",
                            help="fail when a code list is missing instead of asking as text")
        parser.add_argument("--output", type=Path, help="write the YAML here, not to stdout")

    def handle(self, *args, file: Path, service_id: str, department: str, output: Path | None,
               **options):
        code_lists = {path.name: _read(path) for path in
                      sorted({*file.parent.glob("*_genericode.xml"), *options["codelist"]})}
        try:
            result = definition_from_fim(
                _read(file), service_id=service_id, department=department,
                code_lists=code_lists, minimum_login_level=options["login_level"],
                retention_years=options["retention_years"],
                file_plan=_file_plan(options["file_plan"], options["file_plan_title"]),
                require_code_lists=options["require_codelists"], source=file.name)
        except FimError as error:
            raise CommandError(str(error)) from None
        # Whatever the arguments, what is written must load (catalog.definitions).
        try:
            definition_from_data(copy.deepcopy(result.definition),
                                 source=output or Path(f"{service_id}.yaml"))
        except InvalidDefinition as error:
            raise CommandError(f"Die erzeugte Definition lädt nicht: {error}") from None
        text = draft_yaml(result, source_name=file.name)
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"{output} geschrieben, {len(result.notes)} Hinweise zum Prüfen.")


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)  # one byte more: the converter says "too big"
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None


def _file_plan(code: str | None, title: str | None) -> dict | None:
    if code is None:
        return None
    return {"code": code, "title": {"de": title}} if title else {"code": code}
